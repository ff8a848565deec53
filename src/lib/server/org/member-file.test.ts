import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
	csvTemplate,
	memberFileColumns,
	membersToXlsx,
	readMemberFile,
	xlsxTemplate,
	type MemberFileProblem,
	type MemberFileRow
} from './member-file';

const zhHeader = ['登录名', '姓名', '所属单位', '角色', '职务', '被测评领导', '状态'];
const enHeader = ['Login ID', 'Name', 'Unit', 'Roles', 'Position', 'Evaluated leader', 'Status'];
const unitPath = '某县教育工委/县第一中学党总支/第一支部';

async function xlsx(rows: ExcelJS.CellValue[][], extraSheetsFirst: string[] = []): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('Sheet1');
	rows.forEach((cells, i) => {
		cells.forEach((value, j) => {
			if (value !== null && value !== undefined) sheet.getCell(i + 1, j + 1).value = value;
		});
	});
	for (const name of extraSheetsFirst) {
		const other = workbook.addWorksheet(name);
		other.getCell(1, 1).value = 'not this sheet';
	}
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function utf8(text: string): Uint8Array {
	return new TextEncoder().encode(text);
}

function csv(lines: string[]): Uint8Array {
	return utf8(lines.join('\r\n') + '\r\n');
}

const goodRows: Omit<MemberFileRow, 'row'>[] = [
	{
		loginId: 'T2024001',
		name: '张三',
		unit: unitPath,
		roles: ['member'],
		positionTitle: '教师',
		isLeader: false,
		status: 'active'
	},
	{
		loginId: '13800138000',
		name: '李四',
		unit: unitPath,
		roles: ['member', 'secretary'],
		positionTitle: '校长',
		isLeader: true,
		status: 'active'
	},
	{
		loginId: 'wang.wu@school',
		name: '王五',
		unit: '第二支部',
		roles: ['member', 'secretary', 'committee'],
		positionTitle: '',
		isLeader: false,
		status: 'disabled',
		// Empty cells: an update keeps what the member has.
		blank: ['positionTitle', 'isLeader']
	}
];

function withRows(rows: Omit<MemberFileRow, 'row'>[], first = 2): MemberFileRow[] {
	return rows.map((r, i) => ({ row: first + i, ...r }));
}

const goodCsvLines = [
	zhHeader.join(','),
	`T2024001,张三,${unitPath},党员,教师,否,正常`,
	`13800138000,李四,${unitPath},党员、支部书记,校长,是,正常`,
	'wang.wu@school,王五,第二支部,"党员,书记,党委",,,停用'
];

describe('memberFileColumns', () => {
	it('lists the seven columns in template order with their headers', () => {
		expect(memberFileColumns.map((c) => c.zh)).toEqual(zhHeader);
		expect(memberFileColumns.map((c) => c.en)).toEqual(enHeader);
		expect(memberFileColumns.filter((c) => c.required).map((c) => c.key)).toEqual([
			'loginId',
			'name',
			'unit'
		]);
	});
});

describe('readMemberFile: good files', () => {
	it('reads a good xlsx', async () => {
		const bytes = await xlsx([
			zhHeader,
			['T2024001', '张三', unitPath, '党员', '教师', '否', '正常'],
			['13800138000', '李四', unitPath, '党员、支部书记', '校长', '是', '正常'],
			['wang.wu@school', '王五', '第二支部', '党员,书记,党委', null, null, '停用']
		]);
		expect(await readMemberFile(bytes, 'members.xlsx')).toEqual({ rows: withRows(goodRows), problems: [], rejected: [] });
	});

	it('reads a UTF-8 CSV with BOM', async () => {
		const bytes = utf8('\uFEFF' + goodCsvLines.join('\r\n') + '\r\n');
		expect(await readMemberFile(bytes, 'members.csv')).toEqual({ rows: withRows(goodRows), problems: [], rejected: [] });
	});

	it('reads a UTF-8 CSV without BOM and with LF line ends', async () => {
		const bytes = utf8(goodCsvLines.join('\n'));
		expect(await readMemberFile(bytes, 'MEMBERS.CSV')).toEqual({ rows: withRows(goodRows), problems: [], rejected: [] });
	});

	it('reads a GBK CSV as saved by Chinese Excel', async () => {
		const bytes = new Uint8Array(readFileSync(new URL('./fixtures/members-gbk.csv', import.meta.url)));
		// The fixture really is not UTF-8, so this exercises the fallback.
		expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
		expect(await readMemberFile(bytes, 'members-gbk.csv')).toEqual({
			rows: [
				{
					row: 2,
					loginId: 'wang01',
					name: '王五',
					unit: '某县教育工委/县第一中学党总支/第二支部',
					roles: ['member', 'secretary'],
					positionTitle: '副校长',
					isLeader: true,
					status: 'active'
				},
				{
					row: 3,
					loginId: '13900139000',
					name: '赵六',
					unit: '第二支部',
					roles: ['member'],
					blank: ['roles', 'positionTitle'],
					positionTitle: '',
					isLeader: false,
					status: 'disabled'
				}
			],
			problems: [],
			rejected: []
		});
	});

	it('accepts English headers, in any letter case and with surrounding spaces', async () => {
		const header = [' login id ', 'NAME', 'unit', 'Roles', 'position', 'EVALUATED LEADER', 'status'];
		const lines = [header.join(','), ...goodCsvLines.slice(1)];
		expect(await readMemberFile(csv(lines), 'members.csv')).toEqual({
			rows: withRows(goodRows),
			problems: [],
			rejected: []
		});
		const bytes = await xlsx([
			enHeader,
			['T2024001', '张三', unitPath, 'member', '教师', 'no', 'active'],
			['13800138000', '李四', unitPath, 'Member Secretary', '校长', 'YES', 'Active']
		]);
		expect(await readMemberFile(bytes, 'members.xlsx')).toEqual({
			rows: withRows(goodRows.slice(0, 2)),
			problems: [],
			rejected: []
		});
	});

	it('accepts reordered columns, mixed languages, missing optional columns and ignores unknown ones', async () => {
		const bytes = await xlsx([
			['备注', 'Unit', '姓名', '状态', 'Login ID'],
			['随便写', unitPath, '张三', '', 'T2024001'],
			['', '第二支部', '王五', '停用', 'wang.wu@school']
		]);
		expect(await readMemberFile(bytes, 'members.xlsx')).toEqual({
			rows: [
				{
					row: 2,
					loginId: 'T2024001',
					name: '张三',
					unit: unitPath,
					roles: ['member'],
					blank: ['roles', 'positionTitle', 'isLeader', 'status'],
					positionTitle: '',
					isLeader: false,
					status: 'active'
				},
				{
					row: 3,
					loginId: 'wang.wu@school',
					name: '王五',
					unit: '第二支部',
					roles: ['member'],
					blank: ['roles', 'positionTitle', 'isLeader'],
					positionTitle: '',
					isLeader: false,
					status: 'disabled'
				}
			],
			problems: [],
			rejected: []
		});
	});

	it('uses the first of two headers for the same column', async () => {
		const lines = ['登录名,姓名,所属单位,Name', 'a1,张三,支部,李四'];
		const { rows } = await readMemberFile(csv(lines), 'm.csv');
		expect(rows[0]?.name).toBe('张三');
	});

	it('turns a numeric phone cell into text without exponent and rejects non-integers', async () => {
		const bytes = await xlsx([
			zhHeader,
			[13800138000, '李四', unitPath],
			[20240001, '张三', unitPath],
			[1.38001e10 + 0.5, '王五', unitPath],
			[1e21, '赵六', unitPath]
		]);
		const { rows, problems } = await readMemberFile(bytes, 'members.xlsx');
		expect(rows.map((r) => [r.row, r.loginId])).toEqual([
			[2, '13800138000'],
			[3, '20240001']
		]);
		expect(problems).toEqual([
			{ row: 4, column: 'loginId', code: 'invalid_login_id', value: '13800100000.5' },
			{ row: 5, column: 'loginId', code: 'invalid_login_id', value: '1e+21' }
		]);
	});

	it('reads formula results, rich text, hyperlinks and boolean cells from xlsx', async () => {
		const bytes = await xlsx([
			zhHeader,
			[
				{ formula: '"T"&"001"', result: 'T001' },
				{ richText: [{ text: '张' }, { text: '三', font: { bold: true } }] },
				unitPath,
				null,
				null,
				true
			],
			[{ text: 'li.si@school.cn', hyperlink: 'mailto:li.si@school.cn' }, '李四', unitPath, null, null, false]
		]);
		const { rows, problems } = await readMemberFile(bytes, 'members.xlsx');
		expect(problems).toEqual([]);
		expect(rows.map((r) => [r.loginId, r.name, r.isLeader])).toEqual([
			['T001', '张三', true],
			['li.si@school.cn', '李四', false]
		]);
	});

	it('reads only the first worksheet', async () => {
		const bytes = await xlsx([zhHeader, ['T001', '张三', unitPath]], ['第二页']);
		const { rows } = await readMemberFile(bytes, 'm.xlsx');
		expect(rows.map((r) => r.loginId)).toEqual(['T001']);
		const onlySecond = new ExcelJS.Workbook();
		onlySecond.addWorksheet('空');
		const second = onlySecond.addWorksheet('成员');
		second.addRow(zhHeader);
		second.addRow(['T001', '张三', unitPath]);
		const result = await readMemberFile(new Uint8Array(await onlySecond.xlsx.writeBuffer()), 'm.xlsx');
		expect(result).toEqual({ rows: [], problems: [{ row: null, column: null, code: 'file_unreadable' }] });
	});

	it('trims ordinary, full-width and non-breaking spaces from every cell', async () => {
		const lines = [
			zhHeader.map((h) => `\u3000${h} `).join(','),
			['\u3000T001\u00a0', ' 张三\u3000', `\u00a0${unitPath}\u3000`, '\u3000党员\u3000', ' 教师 ', '\u3000是', ' 正常\u00a0'].join(',')
		];
		expect(await readMemberFile(csv(lines), 'm.csv')).toEqual({
			rows: [
				{
					row: 2,
					loginId: 'T001',
					name: '张三',
					unit: unitPath,
					roles: ['member'],
					positionTitle: '教师',
					isLeader: true,
					status: 'active'
				}
			],
			problems: [],
			rejected: []
		});
	});

	it('normalises full-width slashes and spaces around slashes in unit paths', async () => {
		const bytes = await xlsx([
			zhHeader,
			['a1', '张三', '某县教育工委 ／ 县第一中学党总支 /　第一支部'],
			['a2', '李四', '县第一中学党总支／第一支部'],
			['a3', '王五', '第一 支部']
		]);
		const { rows } = await readMemberFile(bytes, 'm.xlsx');
		expect(rows.map((r) => r.unit)).toEqual([unitPath, '县第一中学党总支/第一支部', '第一 支部']);
	});

	it('understands all role words and separators, always including member', async () => {
		const cases: [string, string[]][] = [
			['', ['member']],
			['党员', ['member']],
			['书记', ['member', 'secretary']],
			['支部书记；党委', ['member', 'secretary', 'committee']],
			['党委，党员', ['member', 'committee']],
			['COMMITTEE;secretary', ['member', 'secretary', 'committee']],
			['党委　支部书记 、 党员', ['member', 'secretary', 'committee']],
			['书记、支部书记', ['member', 'secretary']]
		];
		const bytes = await xlsx([zhHeader, ...cases.map(([roles], i) => [`u${i}`, '张三', unitPath, roles])]);
		const { rows, problems } = await readMemberFile(bytes, 'm.xlsx');
		expect(problems).toEqual([]);
		expect(rows.map((r) => r.roles)).toEqual(cases.map(([, roles]) => roles));
	});

	it('understands all yes/no and status words', async () => {
		const yes = ['是', 'yes', 'Y', '1', 'TRUE', '✓', '√'];
		const no = ['', '否', 'No', 'n', '0', 'false'];
		const statuses: [string, string][] = [
			['', 'active'],
			['正常', 'active'],
			['Active', 'active'],
			['停用', 'disabled'],
			['DISABLED', 'disabled']
		];
		const lines = [
			zhHeader.join(','),
			...yes.map((v, i) => `y${i},张三,支部,,,${v},`),
			...no.map((v, i) => `n${i},张三,支部,,,${v},`),
			...statuses.map(([v], i) => `s${i},张三,支部,,,,${v}`)
		];
		const { rows, problems } = await readMemberFile(csv(lines), 'm.csv');
		expect(problems).toEqual([]);
		expect(rows.map((r) => r.isLeader).slice(0, yes.length + no.length)).toEqual([
			...yes.map(() => true),
			...no.map(() => false)
		]);
		expect(rows.slice(yes.length + no.length).map((r) => r.status)).toEqual(statuses.map(([, s]) => s));
		// A numeric 1/0 in xlsx counts too.
		const bytes = await xlsx([zhHeader, ['a1', '张三', '支部', null, null, 1], ['a2', '李四', '支部', null, null, 0]]);
		expect((await readMemberFile(bytes, 'm.xlsx')).rows.map((r) => r.isLeader)).toEqual([true, false]);
	});

	it('skips empty rows silently but keeps spreadsheet row numbers', async () => {
		const bytes = await xlsx([
			zhHeader,
			[],
			['a1', '张三', unitPath],
			['', '  ', '\u3000'],
			[],
			['a2', '李四', unitPath, null, null, null, null, null, '只有备注列的行']
		]);
		const { rows, problems } = await readMemberFile(bytes, 'm.xlsx');
		expect(problems).toEqual([]);
		expect(rows.map((r) => [r.row, r.loginId])).toEqual([
			[3, 'a1'],
			[6, 'a2']
		]);

		const lines = [zhHeader.join(','), '', ',,,,,,', 'a1,张三,支部', '', '\u3000, ,', 'a2,李四,支部', '', ''];
		const fromCsv = await readMemberFile(csv(lines), 'm.csv');
		expect(fromCsv.problems).toEqual([]);
		expect(fromCsv.rows.map((r) => [r.row, r.loginId])).toEqual([
			[4, 'a1'],
			[7, 'a2']
		]);
	});

	it('treats a row with content only in an unknown column as empty', async () => {
		const lines = ['登录名,姓名,所属单位,备注', 'a1,张三,支部,', ',,,注：以上为全部成员'];
		expect(await readMemberFile(csv(lines), 'm.csv')).toMatchObject({ problems: [], rows: [{ row: 2 }] });
	});

	it('counts CSV rows as Papa Parse gives them when a quoted cell spans lines', async () => {
		const lines = [zhHeader.join(','), 'a1,张三,支部,,"校长\n兼书记"', 'a2,李四,支部'];
		const { rows, problems } = await readMemberFile(csv(lines), 'm.csv');
		expect(problems).toEqual([]);
		expect(rows.map((r) => [r.row, r.positionTitle])).toEqual([
			[2, '校长\n兼书记'],
			[3, '']
		]);
	});

	it('reads semicolon- and tab-separated CSV', async () => {
		const semicolon = [zhHeader.join(';'), 'a1;张三;支部;"党员;书记"', 'a2;李四;支部;党委'];
		const bySemicolon = await readMemberFile(csv(semicolon), 'm.csv');
		expect(bySemicolon.problems).toEqual([]);
		expect(bySemicolon.rows.map((r) => r.roles)).toEqual([
			['member', 'secretary'],
			['member', 'committee']
		]);
		const tab = [zhHeader.join('\t'), 'a1\t张三\t支部\t党员;书记'];
		const byTab = await readMemberFile(csv(tab), 'm.csv');
		expect(byTab.problems).toEqual([]);
		expect(byTab.rows[0]?.roles).toEqual(['member', 'secretary']);
	});
});

describe('readMemberFile: problems', () => {
	it('rejects other file types: file_type', async () => {
		for (const [name, extension] of [
			['members.xls', '.xls'],
			['members.txt', '.txt'],
			['members', '']
		]) {
			expect(await readMemberFile(csv(goodCsvLines), name ?? '')).toEqual({
				rows: [],
				problems: [{ row: null, column: null, code: 'file_type', value: extension }]
			});
		}
	});

	it('rejects unreadable and empty files: file_unreadable', async () => {
		const unreadable = { rows: [], problems: [{ row: null, column: null, code: 'file_unreadable' }] };
		expect(await readMemberFile(csv(goodCsvLines), 'members.xlsx')).toEqual(unreadable);
		expect(await readMemberFile(new Uint8Array(), 'members.xlsx')).toEqual(unreadable);
		expect(await readMemberFile(new Uint8Array(), 'members.csv')).toEqual(unreadable);
		expect(await readMemberFile(utf8('\uFEFF \r\n\r\n'), 'members.csv')).toEqual(unreadable);
		expect(await readMemberFile(await xlsx([]), 'members.xlsx')).toEqual(unreadable);
		// An unclosed quote swallows the rest of the file.
		const broken = await readMemberFile(csv([zhHeader.join(','), 'a1,"张三,支部', 'a2,李四,支部']), 'm.csv');
		expect(broken.rows).toEqual([]);
		expect(broken.problems).toEqual([{ row: 2, column: null, code: 'file_unreadable' }]);
	});

	it('reports a header without data rows: no_rows', async () => {
		const noRows = { rows: [], problems: [{ row: null, column: null, code: 'no_rows' }] };
		expect(await readMemberFile(csv([zhHeader.join(','), '', ',,']), 'm.csv')).toEqual(noRows);
		expect(await readMemberFile(await xlsx([zhHeader]), 'm.xlsx')).toEqual(noRows);
	});

	it('reports more than 5000 data rows: too_many_rows', async () => {
		const header = zhHeader.slice(0, 3).join(',');
		const rowsOf = (n: number) => Array.from({ length: n }, (_, i) => `u${i},张三,支部`);
		const atLimit = await readMemberFile(csv([header, ...rowsOf(5000), '', '']), 'm.csv');
		expect(atLimit.problems).toEqual([]);
		expect(atLimit.rows).toHaveLength(5000);
		expect(await readMemberFile(csv([header, ...rowsOf(5001)]), 'm.csv')).toEqual({
			rows: [],
			problems: [{ row: null, column: null, code: 'too_many_rows', value: '5001' }]
		});
	});

	it('reports every missing required column on the header row: missing_column', async () => {
		const bytes = await xlsx([
			['Name', '角色', '单位'],
			['张三', '党员', '支部']
		]);
		expect(await readMemberFile(bytes, 'm.xlsx')).toEqual({
			rows: [],
			problems: [
				{ row: 1, column: 'loginId', code: 'missing_column' },
				{ row: 1, column: 'unit', code: 'missing_column' }
			]
		});
	});

	it('reports empty required cells: required', async () => {
		const bytes = await xlsx([
			zhHeader,
			['a1', '张三', unitPath],
			[null, '李四', unitPath],
			['a3', '\u3000', unitPath],
			['a4', '王五', ' ']
		]);
		const { rows, problems } = await readMemberFile(bytes, 'm.xlsx');
		expect(rows.map((r) => r.loginId)).toEqual(['a1']);
		expect(problems).toEqual([
			{ row: 3, column: 'loginId', code: 'required' },
			{ row: 4, column: 'name', code: 'required' },
			{ row: 5, column: 'unit', code: 'required' }
		]);
	});

	it('reports cells that are too long: too_long', async () => {
		const name51 = '张'.repeat(51);
		const unit201 = '支'.repeat(201);
		const title51 = 'x'.repeat(51);
		const login65 = 'a'.repeat(65);
		const bytes = await xlsx([
			zhHeader,
			['a'.repeat(64), '张'.repeat(50), '支'.repeat(200), null, 'x'.repeat(50)],
			['b1', name51, unitPath],
			['b2', '李四', unit201],
			['b3', '王五', unitPath, null, title51],
			[login65, '赵六', unitPath],
			// Characters outside the BMP count once, not as two UTF-16 units.
			['b4', '𠀀'.repeat(50), unitPath]
		]);
		const { rows, problems } = await readMemberFile(bytes, 'm.xlsx');
		expect(rows.map((r) => r.row)).toEqual([2, 7]);
		expect(problems).toEqual([
			{ row: 3, column: 'name', code: 'too_long', value: name51 },
			{ row: 4, column: 'unit', code: 'too_long', value: unit201 },
			{ row: 5, column: 'positionTitle', code: 'too_long', value: title51 },
			{ row: 6, column: 'loginId', code: 'too_long', value: login65 }
		]);
	});

	it('reports bad login ids: invalid_login_id', async () => {
		const bad = ['a', 'zhang san', '张三', 'a#1', '1.38001E+10', 'a/b'];
		const lines = [
			zhHeader.join(','),
			'ok_1.-@x,张三,支部',
			...bad.map((id) => `${id},李四,支部`)
		];
		const { rows, problems } = await readMemberFile(csv(lines), 'm.csv');
		expect(rows.map((r) => r.loginId)).toEqual(['ok_1.-@x']);
		expect(problems).toEqual(
			bad.map((id, i) => ({ row: 3 + i, column: 'loginId', code: 'invalid_login_id', value: id }))
		);
	});

	it('reports each unknown role word: invalid_role', async () => {
		const lines = [zhHeader.join(','), 'a1,张三,支部,"党员、组织委员,admin"', 'a2,李四,支部,书记'];
		const { rows, problems } = await readMemberFile(csv(lines), 'm.csv');
		expect(rows.map((r) => r.loginId)).toEqual(['a2']);
		expect(problems).toEqual([
			{ row: 2, column: 'roles', code: 'invalid_role', value: '组织委员' },
			{ row: 2, column: 'roles', code: 'invalid_role', value: 'admin' }
		]);
	});

	it('reports other yes/no words: invalid_yes_no', async () => {
		const lines = [zhHeader.join(','), 'a1,张三,支部,,,不是', 'a2,李四,支部,,,2'];
		expect((await readMemberFile(csv(lines), 'm.csv')).problems).toEqual([
			{ row: 2, column: 'isLeader', code: 'invalid_yes_no', value: '不是' },
			{ row: 3, column: 'isLeader', code: 'invalid_yes_no', value: '2' }
		]);
	});

	it('reports unknown status words: invalid_status', async () => {
		const lines = [zhHeader.join(','), 'a1,张三,支部,,,,离职'];
		expect(await readMemberFile(csv(lines), 'm.csv')).toEqual({
			rows: [],
			problems: [{ row: 2, column: 'status', code: 'invalid_status', value: '离职' }],
			// The row is left out, but what could be read of it is kept for the database checks.
			rejected: [{ row: 2, loginId: 'a1', unit: '支部' }]
		});
	});

	it('reports a repeated login id on the later row, ignoring case and spaces: duplicate_in_file', async () => {
		const bytes = await xlsx([
			zhHeader,
			['Zhang.San', '张三', unitPath],
			['li4', '李四', unitPath],
			[' zhang.san\u3000', '张三二', unitPath],
			['LI4', '李四二', unitPath],
			['ZHANG.SAN', '张三三', unitPath]
		]);
		const { rows, problems } = await readMemberFile(bytes, 'm.xlsx');
		expect(rows.map((r) => r.row)).toEqual([2, 3]);
		expect(problems).toEqual([
			{ row: 4, column: 'loginId', code: 'duplicate_in_file', value: 'zhang.san', otherRow: 2 },
			{ row: 5, column: 'loginId', code: 'duplicate_in_file', value: 'LI4', otherRow: 3 },
			{ row: 6, column: 'loginId', code: 'duplicate_in_file', value: 'ZHANG.SAN', otherRow: 2 }
		]);
	});

	it('catches a duplicate of an earlier row that has problems of its own, and a numeric id', async () => {
		const bytes = await xlsx([zhHeader, ['13800138000', '', unitPath], [13800138000, '李四', unitPath]]);
		expect((await readMemberFile(bytes, 'm.xlsx')).problems).toEqual([
			{ row: 2, column: 'name', code: 'required' },
			{ row: 3, column: 'loginId', code: 'duplicate_in_file', value: '13800138000', otherRow: 2 }
		]);
	});

	it('lists every problem of every row in row order and leaves those rows out', async () => {
		const lines = [
			zhHeader.join(','),
			'ok1,张三,支部',
			',,,管理员,,也许,休假',
			'ok2,李四,支部',
			'a b,王五,,党员,,是,停用'
		];
		const { rows, problems } = await readMemberFile(csv(lines), 'm.csv');
		expect(rows.map((r) => r.loginId)).toEqual(['ok1', 'ok2']);
		const expected: MemberFileProblem[] = [
			{ row: 3, column: 'loginId', code: 'required' },
			{ row: 3, column: 'name', code: 'required' },
			{ row: 3, column: 'unit', code: 'required' },
			{ row: 3, column: 'roles', code: 'invalid_role', value: '管理员' },
			{ row: 3, column: 'isLeader', code: 'invalid_yes_no', value: '也许' },
			{ row: 3, column: 'status', code: 'invalid_status', value: '休假' },
			{ row: 5, column: 'loginId', code: 'invalid_login_id', value: 'a b' },
			{ row: 5, column: 'unit', code: 'required' }
		];
		expect(problems).toEqual(expected);
	});
});

describe('templates and export', () => {
	it('exports members so that importing the file gives the same rows', async () => {
		const members: Omit<MemberFileRow, 'row'>[] = [
			...goodRows,
			{
				loginId: '00123',
				name: '𠀀小明',
				unit: '某县教育工委',
				roles: ['member', 'committee'],
				positionTitle: '=1+1',
				isLeader: true,
				status: 'disabled'
			}
		];
		const bytes = await membersToXlsx(members);
		// The export writes every value out (是/否, 正常/停用, 党员), so only an empty position reads back as blank.
		const exported = members.map((m) => {
			const { blank: _blank, ...rest } = m;
			return m.positionTitle === '' ? { ...rest, blank: ['positionTitle' as const] } : rest;
		});
		expect(await readMemberFile(bytes, 'export.xlsx')).toEqual({ rows: withRows(exported), problems: [], rejected: [] });

		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
		const sheet = workbook.worksheets[0];
		expect(sheet?.name).toBe('成员');
		expect(sheet?.getRow(1).values).toEqual([undefined, ...zhHeader]);
		expect(sheet?.getRow(3).values).toEqual([
			undefined,
			'13800138000',
			'李四',
			unitPath,
			'党员、支部书记',
			'校长',
			'是',
			'正常'
		]);
		expect(sheet?.getCell('D4').value).toBe('党员、支部书记、党委');
		expect(sheet?.getCell('G4').value).toBe('停用');
		// Text stays text: no formula is created from a value that starts with '='.
		expect(sheet?.getCell('E5').value).toBe('=1+1');
	});

	it('writes 党员 even when the roles leave member out', async () => {
		const bytes = await membersToXlsx([{ ...goodRows[0]!, roles: ['secretary'] }]);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
		expect(workbook.worksheets[0]?.getCell('D2').value).toBe('党员、支部书记');
	});

	it('builds an xlsx template whose example rows import without problems', async () => {
		const unitPaths = ['某县教育工委', '某县教育工委/县第一中学党总支', '某县教育工委/县第一中学党总支/第一支部'];
		const bytes = await xlsxTemplate(unitPaths);
		const { rows, problems } = await readMemberFile(bytes, '成员导入模板.xlsx');
		expect(problems).toEqual([]);
		expect(rows).toHaveLength(2);
		expect(rows.map((r) => r.row)).toEqual([2, 3]);
		expect(rows[1]?.loginId).toBe('13800138000');

		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
		expect(workbook.worksheets.map((s) => s.name)).toEqual(['成员', '单位列表', '说明']);
		const [members, units, help] = workbook.worksheets;
		expect(members?.getRow(1).values).toEqual([undefined, ...zhHeader]);
		expect(members?.getCell('A1').font?.bold).toBe(true);
		expect(members?.getColumn(1).numFmt).toBe('@');
		expect(members?.getCell('A3').numFmt).toBe('@');
		expect(members?.getColumn(3).width).toBeGreaterThan(20);
		expect(units?.getColumn(1).values).toEqual([undefined, '所属单位', ...unitPaths]);
		const helpColumns = help?.getColumn(1).values.slice(2, 2 + zhHeader.length);
		expect(helpColumns).toEqual(zhHeader);
		for (let i = 0; i < zhHeader.length; i++) {
			expect(String(help?.getCell(i + 2, 2).value)).toMatch(/[\u4e00-\u9fff]/u);
		}
	});

	it('builds an xlsx template with an empty unit list', async () => {
		const bytes = await xlsxTemplate([]);
		expect((await readMemberFile(bytes, 't.xlsx')).problems).toEqual([]);
	});

	it('builds a CSV template with BOM whose example rows import without problems', async () => {
		const text = csvTemplate();
		expect(text.startsWith('\uFEFF登录名,姓名,所属单位,角色,职务,被测评领导,状态\r\n')).toBe(true);
		const { rows, problems } = await readMemberFile(utf8(text), '成员导入模板.csv');
		expect(problems).toEqual([]);
		expect(rows).toHaveLength(2);
		const fromXlsx = await readMemberFile(await xlsxTemplate([]), 't.xlsx');
		expect(rows).toEqual(fromXlsx.rows);
	});
});

describe('readMemberFile: words that are also JavaScript property names', () => {
	it('reports them as unknown roles and statuses', async () => {
		const lines = ['登录名,姓名,所属单位,角色,状态', 'a1,甲,支部,constructor,toString'];
		const result = await readMemberFile(new TextEncoder().encode(lines.join('\n')), 'm.csv');
		expect(result.problems.map((p) => [p.column, p.code, p.value])).toEqual([
			['roles', 'invalid_role', 'constructor'],
			['status', 'invalid_status', 'toString']
		]);
	});
});
