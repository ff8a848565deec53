import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { fullBallot, makeCampaign } from '../testing/evaluations';
import { castBallot } from './ballots';
import { itemScale, leaderScale } from './defaults';
import { resultsXlsx, scorePoints } from './results-file';
import { campaignCriteria, resultsByGroup } from './results';

let opened: OpenedDatabase;

beforeEach(async () => {
	opened = await freshDatabase();
});
afterEach(async () => {
	await opened.db.destroy();
});

async function read(bytes: Uint8Array) {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
	return workbook;
}

describe('resultsXlsx', () => {
	it('writes the 汇总表 layout: title, two header rows, a row per target, and the groups on a second sheet', async () => {
		const unitId = await makeUnit(opened.db, { name: '一支部', kind: 'branch' });
		const leader = await makeMember(opened.db, { unitId, name: '校长甲', positionTitle: '校长' });
		const raters: number[] = [];
		for (let i = 0; i < 5; i++) raters.push(await makeMember(opened.db, { unitId }));
		const f = await makeCampaign(opened.db, {
			title: '2026年度述学评学',
			targets: [leader],
			criteria: [
				{ name: '总体评价', levels: leaderScale, isOverall: true },
				{ name: '学习态度', levels: itemScale, isOverall: false }
			],
			groups: [{ name: '党员', unitIds: [unitId] }, { name: '教职工群众', membersRate: false }],
			codes: { 1: 2 }
		});
		// 优秀 ×4, 称职 ×1 on everything (the leader rates too: 6 ballots from members), and one code ballot of 不称职.
		for (const [i, memberId] of [leader, ...raters].entries()) await castBallot(opened.db, f.id, { kind: 'member', memberId }, fullBallot(f, i < 4 ? 0 : 1));
		const code = f.codes.get(f.groupIds[1] as number)?.[0] as string;
		await castBallot(opened.db, f.id, { kind: 'code', code }, fullBallot(f, 3));
		// While the run is open the file holds turnout and says why there is nothing else.
		const open = await resultsByGroup(opened.db, f.id);
		if (!open) throw new Error('no results');
		const openSheet = (await read(await resultsXlsx(open.all, open.byGroup, await campaignCriteria(opened.db, f.id), { exportedAt: '2026-11-30 12:00' }))).getWorksheet('测评结果汇总表');
		expect([2, 3, 4, 5, 6, 7, 8].map((c) => openSheet?.getRow(5).getCell(c).value)).toEqual(['校长甲', '校长', 7, ...Array(4).fill('测评进行中，结束后公布')]);
		// Read after the fixture's window (a day) and the minute after it.
		const r = await resultsByGroup(opened.db, f.id, Date.now() + 2 * 86_400_000);
		if (!r) throw new Error('no results');
		const workbook = await read(await resultsXlsx(r.all, r.byGroup, await campaignCriteria(opened.db, f.id), { exportedAt: '2026-11-30 12:00' }));
		const sheet = workbook.getWorksheet('测评结果汇总表');
		expect(sheet?.getCell('A1').value).toBe('2026年度述学评学测评结果汇总表');
		expect(sheet?.getCell('A3').value).toBe('序号');
		expect(sheet?.getCell('E3').value).toBe('总体评价');
		expect([5, 6, 7, 8, 9, 10].map((c) => sheet?.getRow(4).getCell(c).value)).toEqual(['优秀', '称职', '基本称职', '不称职', '优秀率', '优秀+称职率']);
		expect(sheet?.getCell('K3').value).toBe('学习态度');
		expect(sheet?.getRow(4).getCell(15).value).toBe('好率');
		// Row 5: 7 ballots; 优秀 4, 称职 2, 不称职 1; 优秀率 4/7; score (4 + 1.6 + 0.4)/7 = 0.857142… → 85.71.
		const row = sheet?.getRow(5);
		expect([2, 3, 4, 5, 6, 7, 8].map((c) => row?.getCell(c).value)).toEqual(['校长甲', '校长', 7, 4, 2, 0, 1]);
		expect(row?.getCell(9).value).toBeCloseTo(4 / 7, 10);
		expect(row?.getCell(17).value).toBe(85.71);
		expect(scorePoints(6 / 7)).toBe(85.71);
		// Per group: turnout for both; the 党员 slice would give the single code ballot by subtraction.
		const groups = workbook.getWorksheet('分组统计');
		expect(groups?.getRow(3).values).toEqual([undefined, '党员', undefined, 6, 6, 0, 0, 6]);
		expect(groups?.getRow(4).values).toEqual([undefined, '教职工群众', undefined, undefined, undefined, 2, 1, 1]);
		const texts: string[] = [];
		groups?.eachRow((r) => texts.push(String(r.getCell(1).value)));
		expect(texts).toContain('其余评议组合计不足 5 票，本组不单独公布');
		expect(texts).toContain('不足 5 票，不公布');
	});
});
