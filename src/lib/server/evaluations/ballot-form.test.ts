import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { fullBallot, makeCampaign } from '../testing/evaluations';
import {
	ballotForm,
	campaignsForMember,
	codeGuessLimit,
	codeGuessWait,
	codeGuessWindowMs,
	findCampaignForCode,
	mayReadReports,
	ownTargetId,
	raterView,
	receiptsPage,
	readBallot,
	recordWrongCode,
	reportFile
} from './ballot-form';
import { castBallot } from './ballots';

let opened: OpenedDatabase;
let unitId: number;
let leader: number;
let raters: number[];

beforeEach(async () => {
	opened = await freshDatabase();
	unitId = await makeUnit(opened.db, { name: '一支部', kind: 'branch' });
	leader = await makeMember(opened.db, { unitId, isLeader: true, name: '书记甲', positionTitle: '书记' });
	raters = [];
	for (let i = 0; i < 3; i++) raters.push(await makeMember(opened.db, { unitId }));
});

afterEach(async () => {
	await opened.db.destroy();
});

describe('ballotForm and readBallot', () => {
	it('shows targets with position and unit, and reads r_ and c_ fields back into a ballot castBallot takes', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader] });
		await opened.db.updateTable('evaluation_target').set({ report_text: '**学习**' }).execute();
		const ballot = await ballotForm(opened.db, f.id);
		expect(ballot?.targets).toEqual([{ id: f.targetIds[0], name: '书记甲', positionTitle: '书记', unitName: '一支部', report: '**学习**', hasPdf: false }]);
		expect(ballot?.criteria.map((c) => c.id)).toEqual(f.criterionIds);
		const form = new FormData();
		const t = f.targetIds[0] as number;
		for (const c of f.criterionIds) form.set(`r_${t}_${c}`, '1');
		form.set(`c_${t}`, '  多联系群众 ');
		form.set('r_999_999', '0');
		const { input, values } = readBallot(ballot!, form);
		expect(values[`c_${t}`]).toBe('  多联系群众 ');
		expect(Object.keys(input.ratings)).toEqual([String(t)]);
		const cast = await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[0] as number }, input);
		expect(cast.ok).toBe(true);
		const stored = await opened.db.selectFrom('evaluation_ballot').select('content').executeTakeFirstOrThrow();
		expect(JSON.parse(stored.content).comments).toEqual({ [t]: '多联系群众' });
	});

	it('turns a level that is not a number into an invalid rating for that target and criterion, and keeps what was typed', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader] });
		const ballot = (await ballotForm(opened.db, f.id))!;
		const t = f.targetIds[0] as number;
		const form = new FormData();
		for (const c of f.criterionIds) form.set(`r_${t}_${c}`, '0');
		form.set(`r_${t}_${f.criterionIds[1]}`, 'x');
		const { input, values } = readBallot(ballot, form);
		expect(values[`r_${t}_${f.criterionIds[0]}`]).toBe('0');
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[0] as number }, input)).toMatchObject({ ok: false, problem: 'invalid', targetId: t, criterionId: f.criterionIds[1] });
	});
});

describe('campaignsForMember and raterView', () => {
	it('lists campaigns the member may rate with whether they have, and hides others', async () => {
		const other = await makeUnit(opened.db, { name: '二支部', kind: 'branch' });
		const outsider = await makeMember(opened.db, { unitId: other });
		const f = await makeCampaign(opened.db, { targets: [leader], groups: [{ name: '党员', unitIds: [unitId] }], status: 'trial' });
		const rater = raters[0] as number;
		expect(await campaignsForMember(opened.db, rater)).toMatchObject([{ id: f.id, status: 'trial', rated: false, open: true, closed: false }]);
		expect(await campaignsForMember(opened.db, outsider)).toEqual([]);
		expect(await raterView(opened.db, f.id, outsider)).toBeNull();
		expect(await raterView(opened.db, 99999, rater)).toBeNull();
		expect(await raterView(opened.db, f.id, rater)).toMatchObject({ state: 'open' });
		await castBallot(opened.db, f.id, { kind: 'member', memberId: rater }, fullBallot(f));
		expect(await campaignsForMember(opened.db, rater)).toMatchObject([{ id: f.id, rated: true }]);
		expect(await raterView(opened.db, f.id, rater)).toMatchObject({ state: 'rated' });
		expect(await mayReadReports(opened.db, f.id, rater)).toBe(true);
		expect(await mayReadReports(opened.db, f.id, outsider)).toBe(false);
	});

	it('says a campaign whose window has passed is closed', async () => {
		const now = Date.now();
		const f = await makeCampaign(opened.db, { targets: [leader], opensAt: now - 3 * 86_400_000, closesAt: now - 86_400_000 });
		expect(await raterView(opened.db, f.id, raters[0] as number, now)).toMatchObject({ state: 'closed' });
		expect(await campaignsForMember(opened.db, raters[0] as number, now)).toMatchObject([{ id: f.id, closed: true, open: false }]);
	});
});

describe('findCampaignForCode', () => {
	it('finds the campaign of a code typed any way, says when it was used, and knows no code of a closed campaign', async () => {
		const now = Date.now();
		const closed = await makeCampaign(opened.db, { targets: [leader], groups: [{ name: '群众', membersRate: false }], codes: { 0: 1 }, opensAt: now - 3 * 86_400_000, closesAt: now - 1000 });
		const f = await makeCampaign(opened.db, { targets: [leader], groups: [{ name: '群众', membersRate: false }], codes: { 0: 2 } });
		const [code] = f.codes.get(f.groupIds[0] as number) as string[];
		const typed = ` ${(code as string).toLowerCase()} `;
		expect(await findCampaignForCode(opened.db, typed, now)).toEqual({ ok: true, evaluationId: f.id, code: (code as string).replace('-', '') });
		const [old] = closed.codes.get(closed.groupIds[0] as number) as string[];
		expect(await findCampaignForCode(opened.db, old as string, now)).toEqual({ ok: false, problem: 'code_unknown' });
		expect(await findCampaignForCode(opened.db, 'nonsense', now)).toEqual({ ok: false, problem: 'code_unknown' });
		await castBallot(opened.db, f.id, { kind: 'code', code: code as string }, fullBallot(f));
		expect(await findCampaignForCode(opened.db, code as string, now)).toEqual({ ok: false, problem: 'code_used' });
	});
});

describe('code guessing', () => {
	it(`allows ${codeGuessLimit} wrong codes per address in the window, then makes it wait until the window has passed`, async () => {
		const now = 1_000_000_000;
		for (let i = 0; i < codeGuessLimit - 1; i++) await recordWrongCode(opened.db, '10.0.0.1', now + i);
		expect(await codeGuessWait(opened.db, '10.0.0.1', now + 100)).toBe(0);
		await recordWrongCode(opened.db, '10.0.0.1', now + 100);
		expect(await codeGuessWait(opened.db, '10.0.0.1', now + 200)).toBe(codeGuessWindowMs - 100);
		expect(await codeGuessWait(opened.db, '10.0.0.2', now + 200)).toBe(0);
		expect(await codeGuessWait(opened.db, '10.0.0.1', now + 100 + codeGuessWindowMs)).toBe(0);
		await recordWrongCode(opened.db, '10.0.0.1', now + 100 + codeGuessWindowMs);
		expect(await codeGuessWait(opened.db, '10.0.0.1', now + 200 + codeGuessWindowMs)).toBe(0);
	});
});

describe('reportFile', () => {
	it('serves a target’s PDF only through its own campaign', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader] });
		const g = await makeCampaign(opened.db, { targets: [leader] });
		const t = f.targetIds[0] as number;
		await opened.db.insertInto('evaluation_report_file').values({ target_id: t, file_name: '述学报告.pdf', content: Buffer.from('%PDF-1.4'), uploaded_at: Date.now() }).execute();
		expect((await reportFile(opened.db, f.id, t))?.fileName).toBe('述学报告.pdf');
		expect(await reportFile(opened.db, g.id, t)).toBeNull();
		expect((await ballotForm(opened.db, f.id))?.targets[0]?.hasPdf).toBe(true);
	});
});

describe('ownTargetId and receiptsPage', () => {
	it('finds the member’s own card, and publishes receipts only once the campaign has closed', async () => {
		const now = Date.now();
		const f = await makeCampaign(opened.db, { targets: [leader], opensAt: now - 3 * 86_400_000, closesAt: now + 1000 });
		expect(await ownTargetId(opened.db, f.id, leader)).toBe(f.targetIds[0]);
		expect(await ownTargetId(opened.db, f.id, raters[0] as number)).toBeNull();
		const cast = await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(f), now);
		expect(await receiptsPage(opened.db, f.id, now)).toMatchObject({ receipts: null, status: 'live' });
		expect((await receiptsPage(opened.db, f.id, now + 2000))?.receipts).toEqual([cast.ok ? cast.receipt : 'none']);
		expect(await receiptsPage(opened.db, 99999, now)).toBeNull();
		const draft = await makeCampaign(opened.db, { targets: [leader], status: 'draft' });
		expect(await receiptsPage(opened.db, draft.id, now)).toBeNull();
	});
});
