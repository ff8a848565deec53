import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { fullBallot, makeCampaign } from '../testing/evaluations';
import { castBallot, hasRated, isLocked, publishedReceipts, wipeBallots } from './ballots';
import { normalizeCode } from './codes';

let opened: OpenedDatabase;
let unitId: number;
let leader: number;
let raters: number[];

beforeEach(async () => {
	opened = await freshDatabase();
	unitId = await makeUnit(opened.db, { name: '一支部', kind: 'branch' });
	leader = await makeMember(opened.db, { unitId, isLeader: true, name: '书记甲' });
	raters = [];
	for (let i = 0; i < 4; i++) raters.push(await makeMember(opened.db, { unitId }));
});

afterEach(async () => {
	await opened.db.destroy();
});

describe('castBallot', () => {
	it('takes one ballot per eligible member, also when two submissions race, and gives a receipt', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader] });
		const rater = { kind: 'member' as const, memberId: raters[0] as number };
		const [a, b] = await Promise.all([castBallot(opened.db, f.id, rater, fullBallot(f)), castBallot(opened.db, f.id, rater, fullBallot(f, 1))]);
		expect([a.ok, b.ok].sort()).toEqual([false, true]);
		expect([a, b].find((r) => !r.ok)).toMatchObject({ problem: 'already_rated' });
		expect(await opened.db.selectFrom('evaluation_ballot').selectAll().execute()).toHaveLength(1);
		expect(await hasRated(opened.db, f.id, raters[0] as number)).toBe(true);
		const ok = [a, b].find((r) => r.ok);
		expect(ok && ok.ok && ok.receipt).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
	});

	it('gives each of many ballots arriving at once its own answer, cast together in batches', async () => {
		const f = await makeCampaign(opened.db, {
			targets: [leader],
			groups: [{ name: '党员', unitIds: [unitId] }, { name: '教职工群众', membersRate: false }],
			codes: { 1: 1 }
		});
		const [code] = f.codes.get(f.groupIds[1] as number) as string[];
		const member = (i: number) => ({ kind: 'member' as const, memberId: raters[i] as number });
		const partial = fullBallot(f);
		delete partial.ratings[f.targetIds[0] as number];
		// The first is cast at once, alone; the others arrive while it is being cast and form the next batch, where
		// a member and a code each come twice.
		const results = await Promise.all([
			castBallot(opened.db, f.id, member(3), fullBallot(f, 2)),
			castBallot(opened.db, f.id, member(0), fullBallot(f)),
			castBallot(opened.db, f.id, member(0), fullBallot(f, 2)),
			castBallot(opened.db, f.id, member(1), fullBallot(f, 1)),
			castBallot(opened.db, f.id, { kind: 'code', code: code as string }, fullBallot(f, 3)),
			castBallot(opened.db, f.id, { kind: 'code', code: code as string }, fullBallot(f, 3)),
			castBallot(opened.db, f.id, member(2), partial)
		]);
		expect(results.map((r) => (r.ok ? 'ok' : r.problem))).toEqual(['ok', 'ok', 'already_rated', 'ok', 'ok', 'code_used', 'incomplete']);
		const receipts = results.flatMap((r) => (r.ok ? [r.receipt] : []));
		expect(new Set(receipts).size).toBe(4);
		const stored = await opened.db.selectFrom('evaluation_receipt').select('code').where('evaluation_id', '=', f.id).orderBy('code').execute();
		expect(stored.map((r) => r.code)).toEqual([...receipts].sort());
		expect(await opened.db.selectFrom('evaluation_ballot').select('id').where('evaluation_id', '=', f.id).execute()).toHaveLength(4);
		const rated = await Promise.all(raters.map((id) => hasRated(opened.db, f.id, id)));
		expect(rated).toEqual([true, true, false, true]);
		// The member whose ballot was incomplete rates afterwards as usual.
		expect(await castBallot(opened.db, f.id, member(2), fullBallot(f))).toMatchObject({ ok: true });
	});

	it('casts the others of a batch when one ballot of it fails unexpectedly, and answers that one with the error', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader] });
		const member = (i: number) => ({ kind: 'member' as const, memberId: raters[i] as number });
		// A ballot whose reading throws: any unexpected failure inside the batch's transaction rolls all of it back.
		const broken = { ...fullBallot(f), get ratings(): never { throw new Error('broken ballot'); } };
		const settled = await Promise.allSettled([
			castBallot(opened.db, f.id, member(3), fullBallot(f)),
			castBallot(opened.db, f.id, member(0), fullBallot(f)),
			castBallot(opened.db, f.id, member(1), broken),
			castBallot(opened.db, f.id, member(2), fullBallot(f, 1))
		]);
		expect(settled.map((s) => (s.status === 'fulfilled' ? (s.value.ok ? 'ok' : s.value.problem) : (s.reason as Error).message))).toEqual(['ok', 'ok', 'broken ballot', 'ok']);
		expect(await opened.db.selectFrom('evaluation_ballot').select('id').where('evaluation_id', '=', f.id).execute()).toHaveLength(3);
		expect(await Promise.all(raters.map((id) => hasRated(opened.db, f.id, id)))).toEqual([true, false, true, true]);
		// The campaign goes on taking ballots.
		expect(await castBallot(opened.db, f.id, member(1), fullBallot(f))).toMatchObject({ ok: true });
	});

	it('refuses members outside the rater groups, incomplete ballots and levels outside the scale', async () => {
		const other = await makeUnit(opened.db, { name: '二支部', kind: 'branch' });
		const outsider = await makeMember(opened.db, { unitId: other });
		const f = await makeCampaign(opened.db, { targets: [leader], groups: [{ name: '党员', unitIds: [unitId] }] });
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: outsider }, fullBallot(f))).toEqual({ ok: false, problem: 'not_eligible' });
		const partial = fullBallot(f);
		delete partial.ratings[f.targetIds[0] as number]?.[f.criterionIds[2] as number];
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[0] as number }, partial)).toEqual({
			ok: false,
			problem: 'incomplete',
			targetId: f.targetIds[0],
			criterionId: f.criterionIds[2]
		});
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(f, 9))).toMatchObject({ ok: false, problem: 'invalid' });
		// Nothing of the refused attempts was kept: the member can still rate.
		expect(await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(f))).toMatchObject({ ok: true });
	});

	it('takes a code once, typed in any case with or without the dash, and refuses unknown and voided codes', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader], groups: [{ name: '教职工群众', membersRate: false }], codes: { 0: 2 } });
		const [code, second] = f.codes.get(f.groupIds[0] as number) as string[];
		const typed = (code as string).toLowerCase().replace('-', ' ');
		expect(normalizeCode(typed)).toBe((code as string).replace('-', ''));
		expect(await castBallot(opened.db, f.id, { kind: 'code', code: typed }, fullBallot(f))).toMatchObject({ ok: true });
		expect(await castBallot(opened.db, f.id, { kind: 'code', code: code as string }, fullBallot(f))).toEqual({ ok: false, problem: 'code_used' });
		expect(await castBallot(opened.db, f.id, { kind: 'code', code: 'AAAAA-AAAAA' }, fullBallot(f))).toEqual({ ok: false, problem: 'code_unknown' });
		await opened.db.updateTable('evaluation_code').set({ voided: 1 }).where('used', '=', 0).execute();
		expect(await castBallot(opened.db, f.id, { kind: 'code', code: second as string }, fullBallot(f))).toEqual({ ok: false, problem: 'code_unknown' });
		// The used code records nothing but `used`.
		const codes = await opened.db.selectFrom('evaluation_code').selectAll().execute();
		expect(Object.keys(codes[0] ?? {}).sort()).toEqual(['batch', 'code_hash', 'evaluation_id', 'group_id', 'used', 'voided']);
	});

	it('takes ballots in the real run only inside its window, and in the test run at any time', async () => {
		const now = Date.now();
		const later = await makeCampaign(opened.db, { targets: [leader], opensAt: now + 3600_000 });
		expect(await castBallot(opened.db, later.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(later), now)).toEqual({ ok: false, problem: 'not_open' });
		const trial = await makeCampaign(opened.db, { targets: [leader], status: 'trial', opensAt: now + 3600_000 });
		expect(await castBallot(opened.db, trial.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(trial), now)).toMatchObject({ ok: true });
		const draft = await makeCampaign(opened.db, { targets: [leader], status: 'draft' });
		expect(await castBallot(opened.db, draft.id, { kind: 'member', memberId: raters[0] as number }, fullBallot(draft), now)).toEqual({ ok: false, problem: 'not_open' });
	});

	it('stores the ballot without who or when, and locks the campaign once a real ballot is in', async () => {
		const f = await makeCampaign(opened.db, { targets: [leader] });
		expect(await isLocked(opened.db, f.id)).toBe(false);
		const ballot = fullBallot(f, 1);
		// Quotes, a backslash, a line break and an emoji survive the rewrite in key order (through JSON and back).
		ballot.comments[f.targetIds[0] as number] = '  学习笔记扎实，"引用" \\ 第二行\n👍  ';
		await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[1] as number }, ballot);
		expect(await isLocked(opened.db, f.id)).toBe(true);
		const [row] = await opened.db.selectFrom('evaluation_ballot').selectAll().execute();
		expect(Object.keys(row ?? {}).sort()).toEqual(['content', 'evaluation_id', 'group_id', 'id']);
		expect(row?.id).toMatch(/^[0-9a-f]{32}$/);
		expect(JSON.parse(row?.content ?? '{}').comments).toEqual({ [String(f.targetIds[0])]: '学习笔记扎实，"引用" \\ 第二行\n👍' });
		// A second ballot makes the first one go through the rewrite again.
		await castBallot(opened.db, f.id, { kind: 'member', memberId: raters[2] as number }, fullBallot(f, 2));
		const rows = await opened.db.selectFrom('evaluation_ballot').selectAll().orderBy('id').execute();
		expect(rows).toHaveLength(2);
		expect(rows.map((r) => JSON.parse(r.content).comments[String(f.targetIds[0])]).filter(Boolean)).toEqual(['学习笔记扎实，"引用" \\ 第二行\n👍']);
		expect(rows.every((r) => r.group_id === f.groupIds[0] && r.evaluation_id === f.id)).toBe(true);
	});

	it('publishes receipts (sorted, codes only) after the window closes; a wipe removes the test run', async () => {
		const now = Date.now();
		const f = await makeCampaign(opened.db, { targets: [leader], closesAt: now + 1000 });
		const receipts: string[] = [];
		for (const r of raters.slice(0, 3)) {
			const result = await castBallot(opened.db, f.id, { kind: 'member', memberId: r }, fullBallot(f), now);
			if (result.ok) receipts.push(result.receipt);
		}
		expect(await publishedReceipts(opened.db, f.id, now)).toBeNull();
		expect(await publishedReceipts(opened.db, f.id, now + 1000)).toEqual([...receipts].sort());
		await wipeBallots(opened.db, f.id);
		expect(await opened.db.selectFrom('evaluation_ballot').selectAll().execute()).toEqual([]);
		expect(await hasRated(opened.db, f.id, raters[0] as number)).toBe(false);
	});
});
