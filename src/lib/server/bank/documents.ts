// The five source documents (../shared/seeds/), by the number questions cite them with.
export const sourceDocuments: { code: string; title: string }[] = [
	{ code: '000', title: '延庆县教育系统《关于加强学习型党组织建设的实施办法》' },
	{ code: '001', title: '《许昌市教育局学习型机关建设实施方案》' },
	{ code: '002', title: '西湖区教育系统学习实践活动学习调研阶段工作计划' },
	{ code: '003', title: '海州区教育局《围绕工作抓学习 抓好学习促工作》' },
	{ code: '004', title: '县教育系统2015年学校党建工作要点' }
];
