import ExcelJS from 'exceljs';
import type { CampaignResults, GroupTurnout, TargetResult, Withheld } from './results';

// 测评结果汇总表: the spreadsheet a committee files after a 述学评学 / 民主测评 meeting. Like the other forms, its
// headers are in Chinese whatever language the page is in. Sheet 1 is the usual layout: a title row, two header
// rows (criteria, then each criterion's levels and its two rates), one row per target. Sheet 2 gives turnout
// per rater group and, for each group that may be shown (the rules in results.ts), the same table.
// Withheld slices say why in words; no number of theirs is written.

// Lone surrogates and control characters are not allowed in XML; `_x0041_` in cell text would be read back as "A".
const notXmlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function text(value: string): string {
	return value.replace(notXmlCharacters, '').replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** A score 0..1 as points out of 100 with two decimals, as the 汇总表 writes it. */
export function scorePoints(score: number): number {
	return Math.round(score * 10_000) / 100;
}

export function withheldText(w: Withheld, threshold: number): string {
	switch (w.reason) {
		case 'below_threshold':
			return `不足 ${threshold} 票，不公布`;
		case 'group_hidden':
			return `其余评议组合计不足 ${threshold} 票，本组不单独公布`;
		case 'small_group_weight':
			return `有评议组不足 ${threshold} 票，不计算加权得分`;
		case 'campaign_open':
			return '测评进行中，结束后公布';
	}
}

export function resultsFileName(title: string, suffix: string): string {
	const base = title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || '测评';
	return `${base}-${suffix}.xlsx`;
}

const thin: Partial<ExcelJS.Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };

/** The criteria's column layout, from the first target that has figures (every target has the same criteria). */
type Layout = { name: string; labels: string[]; topTwo: boolean }[];

function layoutOf(criteria: { name: string; levels: string[] }[]): Layout {
	return criteria.map((c) => ({ name: c.name, labels: c.levels, topTwo: c.levels.length >= 2 }));
}

function columnsOf(layout: Layout): number {
	return 4 + layout.reduce((n, c) => n + c.labels.length + 1 + (c.topTwo ? 1 : 0), 0) + 1;
}

/** Writes the table (two header rows and a row per target) from `row`; returns the next free row. */
function writeTable(sheet: ExcelJS.Worksheet, results: CampaignResults, layout: Layout, row: number): number {
	const head1 = sheet.getRow(row);
	const head2 = sheet.getRow(row + 1);
	['序号', '姓名', '职务', '有效票数'].forEach((h, i) => {
		head1.getCell(i + 1).value = h;
		sheet.mergeCells(row, i + 1, row + 1, i + 1);
	});
	let col = 5;
	for (const c of layout) {
		const span = c.labels.length + 1 + (c.topTwo ? 1 : 0);
		head1.getCell(col).value = text(c.name);
		if (span > 1) sheet.mergeCells(row, col, row, col + span - 1);
		c.labels.forEach((l, i) => (head2.getCell(col + i).value = text(l)));
		head2.getCell(col + c.labels.length).value = text(`${c.labels[0] ?? ''}率`);
		if (c.topTwo) head2.getCell(col + c.labels.length + 1).value = text(`${c.labels[0]}+${c.labels[1]}率`);
		col += span;
	}
	head1.getCell(col).value = results.campaign.weighted === 1 && results.groupId === null ? '加权得分' : '得分';
	sheet.mergeCells(row, col, row + 1, col);
	for (const r of [head1, head2]) {
		r.font = { bold: true };
		r.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
	}
	const last = col;
	for (let c = 1; c <= last; c++) {
		head1.getCell(c).border = thin;
		head2.getCell(c).border = thin;
	}
	row += 2;
	results.targets.forEach((t: TargetResult, index) => {
		const r = sheet.getRow(row);
		r.getCell(1).value = index + 1;
		r.getCell(2).value = text(t.name);
		r.getCell(3).value = text(t.positionTitle);
		r.getCell(4).value = t.ballots;
		if (t.withheld || !t.criteria) {
			r.getCell(5).value = t.withheld ? withheldText(t.withheld, results.campaign.threshold) : '';
			sheet.mergeCells(row, 5, row, last);
		} else {
			let c = 5;
			for (const criterion of t.criteria) {
				for (const level of criterion.levels) r.getCell(c++).value = level.count;
				r.getCell(c).value = criterion.topRate;
				r.getCell(c++).numFmt = '0.0%';
				if (criterion.topTwoRate !== null) {
					r.getCell(c).value = criterion.topTwoRate;
					r.getCell(c++).numFmt = '0.0%';
				}
			}
			r.getCell(last).value = t.score !== null ? scorePoints(t.score) : t.scoreWithheld ? withheldText(t.scoreWithheld, results.campaign.threshold) : null;
		}
		for (let c = 1; c <= last; c++) r.getCell(c).border = thin;
		row++;
	});
	return row;
}

function turnoutRow(g: GroupTurnout): (string | number | null)[] {
	return [text(g.name), g.weightPct === null ? null : g.weightPct / 100, g.membersRate ? g.eligibleMembers : null, g.membersRate ? g.ratedMembers : null, g.codesIssued, g.codesUsed, g.ballots];
}

const phaseText = { draft: '草稿', trial: '试测', open: '测评进行中，只有参评情况，结果在测评结束后公布', final: '测评已结束' } as const;

/**
 * The workbook: `all` is the whole campaign; `byGroup` the same results per rater group (each possibly
 * withheld); `criteria` the form's criteria and level labels in order.
 */
export async function resultsXlsx(
	all: CampaignResults,
	byGroup: CampaignResults[],
	criteria: { name: string; levels: string[] }[],
	options: { exportedAt: string }
): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const layout = layoutOf(criteria);
	const width = columnsOf(layout);

	const sheet = workbook.addWorksheet('测评结果汇总表', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
	sheet.getCell(1, 1).value = text(`${all.campaign.title}测评结果汇总表`);
	sheet.mergeCells(1, 1, 1, width);
	sheet.getRow(1).font = { bold: true, size: 16 };
	sheet.getRow(1).alignment = { horizontal: 'center' };
	sheet.getCell(2, 1).value = text(`收回有效票 ${all.ballots} 张；${phaseText[all.phase]}；不足 ${all.campaign.threshold} 票的不公布；导出时间 ${options.exportedAt}`);
	sheet.mergeCells(2, 1, 2, width);
	const columns: Partial<ExcelJS.Column>[] = [{ width: 6 }, { width: 12 }, { width: 18 }, { width: 9 }];
	for (let c = 5; c <= width; c++) columns.push({ width: 9 });
	sheet.columns = columns;
	writeTable(sheet, all, layout, 3);

	const groups = workbook.addWorksheet('分组统计', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
	groups.columns = columns;
	groups.getCell(1, 1).value = text(`${all.campaign.title}分组统计`);
	groups.mergeCells(1, 1, 1, width);
	groups.getRow(1).font = { bold: true, size: 16 };
	const head = ['评议组', '权重', '应参评人数', '已参评人数', '发放票码', '已用票码', '有效票数'];
	groups.getRow(2).values = head;
	groups.getRow(2).font = { bold: true };
	let row = 3;
	for (const g of all.groups) {
		groups.getRow(row).values = turnoutRow(g);
		groups.getCell(row, 2).numFmt = '0%';
		row++;
	}
	for (const r of byGroup) {
		row++;
		const g = all.groups.find((x) => x.groupId === r.groupId);
		groups.getCell(row, 1).value = text(`评议组：${g?.name ?? ''}（${r.targets[0]?.ballots ?? g?.ballots ?? 0} 票）`);
		groups.getRow(row).font = { bold: true };
		row++;
		if (r.withheld) {
			groups.getCell(row, 1).value = withheldText(r.withheld, all.campaign.threshold);
			row++;
			continue;
		}
		row = writeTable(groups, r, layout, row);
	}
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}
