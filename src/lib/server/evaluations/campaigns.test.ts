import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenedDatabase } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { fullBallot, makeCampaign } from '../testing/evaluations';
import { castBallot } from './ballots';
import { voidBatch } from './codes';
import {
	addTargets,
	backToDraft,
	createCampaign,
	getCampaign,
	issueCodes,
	listBatches,
	listCampaigns,
	listCriteria,
	listGroups,
	listTargets,
	moveTarget,
	removeTarget,
	saveCriteria,
	saveGroups,
	saveReport,
	startLive,
	startTrial,
	updateSettings,
	type CampaignSettings
} from './campaigns';
import { defaultCriteria, defaultGroupNames } from './defaults';
import { isPdf, reportFileFor } from './report-file';
import { criterionValues, parseCriteria, parseGroups, parseLevelsText, parseSettings, type GroupValues } from './setup-form';

let opened: OpenedDatabase;
let unitId: number;
let leaders: number[];
let raters: number[];
const hour = 3600_000;

const settings = (o: Partial<CampaignSettings> = {}): CampaignSettings => ({
	title: '2026年度述学评学',
	year: 2026,
	kind: 'study_review',
	opensAt: Date.now() - hour,
	closesAt: Date.now() + 24 * hour,
	threshold: 5,
	commentsEnabled: true,
	...o
});

beforeEach(async () => {
	opened = await freshDatabase();
	unitId = await makeUnit(opened.db, { name: '一支部', kind: 'branch' });
	leaders = [];
	for (let i = 0; i < 3; i++) leaders.push(await makeMember(opened.db, { unitId, isLeader: true }));
	raters = [];
	for (let i = 0; i < 3; i++) raters.push(await makeMember(opened.db, { unitId }));
});

afterEach(async () => {
	await opened.db.destroy();
});

describe('createCampaign', () => {
	it('makes a draft with the kind’s default criteria and the usual groups, rating by code', async () => {
		const id = await createCampaign(opened.db, leaders[0] as number, settings({ kind: 'member_review' }));
		const c = await getCampaign(opened.db, id);
		expect(c).toMatchObject({ status: 'draft', threshold: 5, commentsEnabled: true, weighted: false, locked: false, ballots: 0 });
		const criteria = await listCriteria(opened.db, id);
		expect(criteria.map((x) => ({ name: x.name, levels: x.levels, isOverall: x.isOverall }))).toEqual(defaultCriteria('member_review'));
		const groups = await listGroups(opened.db, id);
		expect(groups.map((g) => g.name)).toEqual(defaultGroupNames);
		expect(groups.every((g) => !g.membersRate && g.weightPct === null && g.eligibleNow === 0)).toBe(true);
		expect(await listCampaigns(opened.db)).toMatchObject([{ id, status: 'draft', ballots: 0, eligible: null }]);
	});
});

describe('settings form', () => {
	const values = { title: '测评', year: '2026', kind: 'study_review', opensAt: '2026-12-01T09:00', closesAt: '2026-12-15T17:00', threshold: '5', commentsEnabled: true };

	it('reads the window in the organization’s time zone', () => {
		const { settings: s, errors } = parseSettings(values, 'Asia/Shanghai');
		expect(errors).toEqual({});
		expect(new Date(s.opensAt).toISOString()).toBe('2026-12-01T01:00:00.000Z');
	});

	it('names each wrong field: threshold below 3, window backwards, empty year', () => {
		const { errors } = parseSettings({ ...values, threshold: '2', closesAt: '2026-11-01T09:00', year: '', title: ' ' }, 'Asia/Shanghai');
		expect(errors).toEqual({ threshold: 'too_small', closesAt: 'window_order', year: 'required', title: 'required' });
		expect(parseSettings({ ...values, threshold: 'x', kind: 'other' }, 'Asia/Shanghai').errors).toEqual({ threshold: 'invalid', kind: 'invalid' });
	});
});

describe('rating scales as typed', () => {
	it('reads labels and scores with half- or full-width separators, best first', () => {
		expect(parseLevelsText('优秀=1 / 称职=0.8／基本称职：0.6；不称职 0.4')).toEqual({
			levels: [
				{ label: '优秀', score: 1 },
				{ label: '称职', score: 0.8 },
				{ label: '基本称职', score: 0.6 },
				{ label: '不称职', score: 0.4 }
			]
		});
		expect(parseLevelsText('好')).toEqual({ problem: 'levels_count' });
		expect(parseLevelsText('好=1 / 差')).toEqual({ problem: 'levels_format' });
		expect(parseLevelsText('好=1 / 好=0.5')).toEqual({ problem: 'levels_duplicate' });
		expect(parseLevelsText('差=0.4 / 好=1')).toEqual({ problem: 'levels_order' });
	});

	it('names the row of each problem in the criteria editor', () => {
		const { errors } = parseCriteria([
			{ id: '', name: '学习态度', levels: '好=1 / 差=0', isOverall: false },
			{ id: '', name: '', levels: '', isOverall: false },
			{ id: '', name: '学习态度', levels: '好=1', isOverall: true },
			{ id: '', name: '', levels: '好=1 / 差=0', isOverall: true }
		]);
		expect(errors).toEqual([
			{ row: 3, problem: 'name_duplicate' },
			{ row: 3, problem: 'levels_count' },
			{ row: 4, problem: 'name_required' },
			{ row: 0, problem: 'overall_many' }
		]);
		expect(parseCriteria([]).errors).toEqual([{ row: 0, problem: 'none' }]);
	});
});

describe('rater group weights', () => {
	const row = (name: string, weight: string): GroupValues => ({ id: '', name, weight, membersRate: false, unitIds: [], roles: [] });

	it('are all empty, or all given and summing to 100 (the sum is reported)', () => {
		expect(parseGroups([row('党员', ''), row('群众', '')]).errors).toEqual([]);
		expect(parseGroups([row('党员', '60'), row('群众', '40%')]).errors).toEqual([]);
		expect(parseGroups([row('党员', '60'), row('群众', '30')])).toMatchObject({ errors: [{ row: 0, problem: 'weights_sum' }], weightSum: 90 });
		expect(parseGroups([row('党员', '60'), row('群众', '')]).errors).toEqual([{ row: 2, problem: 'weight_missing' }]);
		expect(parseGroups([row('党员', '60.5'), row('群众', '40')]).errors).toEqual([{ row: 1, problem: 'weight_invalid' }]);
	});
});

describe('editing', () => {
	it('adds, reorders and removes targets, and keeps a report as text and a PDF', async () => {
		const id = await createCampaign(opened.db, leaders[0] as number, settings());
		expect(await addTargets(opened.db, id, [leaders[0] as number, leaders[1] as number, leaders[0] as number])).toEqual({ ok: true });
		expect(await addTargets(opened.db, id, [leaders[1] as number, leaders[2] as number])).toEqual({ ok: true });
		let targets = await listTargets(opened.db, id);
		expect(targets.map((t) => t.memberId)).toEqual(leaders);
		expect(await moveTarget(opened.db, id, targets[2]?.id as number, -1)).toEqual({ ok: true });
		expect(await removeTarget(opened.db, id, targets[0]?.id as number)).toEqual({ ok: true });
		targets = await listTargets(opened.db, id);
		expect(targets.map((t) => t.memberId)).toEqual([leaders[2], leaders[1]]);

		const pdf = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF');
		expect(isPdf(pdf)).toBe(true);
		expect(isPdf(new TextEncoder().encode('<html>%PDF-'.padStart(2000, ' ')))).toBe(false);
		const target = targets[0]?.id as number;
		expect(await saveReport(opened.db, id, target, { text: '**学习**\n\n- 一', file: { fileName: '述学报告.pdf', bytes: pdf } })).toEqual({ ok: true });
		expect((await listTargets(opened.db, id))[0]).toMatchObject({ reportText: '**学习**\n\n- 一', file: { fileName: '述学报告.pdf', bytes: pdf.length } });
		expect(await reportFileFor(opened.db, target)).toMatchObject({ evaluationId: id, fileName: '述学报告.pdf', content: pdf });
		expect(await saveReport(opened.db, id, target, { text: '', removeFile: true })).toEqual({ ok: true });
		expect(await reportFileFor(opened.db, target)).toBeUndefined();
		// A target of another campaign is not found through this one.
		const other = await createCampaign(opened.db, leaders[0] as number, settings());
		expect(await removeTarget(opened.db, other, target)).toEqual({ ok: false, problem: 'not_found' });
	});

	it('saves criteria all or nothing, keeping the ids of rows that stay', async () => {
		const id = await createCampaign(opened.db, leaders[0] as number, settings({ kind: 'custom' }));
		const [overall] = await listCriteria(opened.db, id);
		const values = criterionValues(await listCriteria(opened.db, id));
		values.push({ id: '', name: '学用结合', levels: '好=1 / 一般=0.6 / 差=0.2', isOverall: false });
		const { rows, errors } = parseCriteria(values.map((v) => (v.isOverall ? { ...v, name: '总体评价（班子）' } : v)));
		expect(errors).toEqual([]);
		expect(await saveCriteria(opened.db, id, rows)).toEqual({ ok: true });
		const saved = await listCriteria(opened.db, id);
		expect(saved.map((c) => c.name)).toEqual(['总体评价（班子）', '学用结合']);
		expect(saved[0]?.id).toBe(overall?.id);
	});

	it('saves groups with weights and refuses to drop a group whose codes are out', async () => {
		const id = await createCampaign(opened.db, leaders[0] as number, settings());
		const groups = await listGroups(opened.db, id);
		const issued = await issueCodes(opened.db, id, groups[3]?.id as number, 2);
		expect(issued).toMatchObject({ ok: true, batch: 1 });
		const rows = groups.map((g, i) => ({ id: g.id, name: g.name, weightPct: [10, 20, 30, 40][i] as number, membersRate: i === 2, unitIds: i === 2 ? [unitId] : [], roles: [] }));
		expect(await saveGroups(opened.db, id, rows)).toEqual({ ok: true });
		expect(await getCampaign(opened.db, id)).toMatchObject({ weighted: true });
		const after = await listGroups(opened.db, id);
		expect(after[2]).toMatchObject({ membersRate: true, unitIds: [unitId], eligibleNow: 6, weightPct: 30 });
		expect(await saveGroups(opened.db, id, rows.slice(0, 3))).toEqual({ ok: false, problem: 'has_codes', name: '教职工群众' });
		expect(await listGroups(opened.db, id)).toHaveLength(4);
	});
});

describe('the run and the lock', () => {
	async function ready() {
		const id = await createCampaign(opened.db, leaders[0] as number, settings());
		await addTargets(opened.db, id, [leaders[0] as number]);
		const groups = await listGroups(opened.db, id);
		await saveGroups(opened.db, id, [{ id: groups[2]?.id as number, name: '党员', weightPct: null, membersRate: true, unitIds: [], roles: [] }]);
		const targets = await listTargets(opened.db, id);
		const criteria = await listCriteria(opened.db, id);
		return { id, fixture: { targetIds: targets.map((t) => t.id), criterionIds: criteria.map((c) => c.id) } };
	}

	it('refuses a run without targets, and a real run after the window', async () => {
		const id = await createCampaign(opened.db, leaders[0] as number, settings());
		expect(await startTrial(opened.db, id)).toEqual({ ok: false, problem: 'no_targets' });
		const late = await createCampaign(opened.db, leaders[0] as number, settings({ opensAt: Date.now() - 2 * hour, closesAt: Date.now() - hour }));
		await addTargets(opened.db, late, [leaders[0] as number]);
		expect(await startLive(opened.db, late)).toEqual({ ok: false, problem: 'window_over' });
	});

	it('wipes the test run’s ballots when the real run opens, then locks at the first real ballot', async () => {
		const { id, fixture } = await ready();
		expect(await startTrial(opened.db, id)).toEqual({ ok: true, eligible: 6 });
		expect(await castBallot(opened.db, id, { kind: 'member', memberId: raters[0] as number }, fullBallot(fixture))).toMatchObject({ ok: true });
		expect(await getCampaign(opened.db, id)).toMatchObject({ status: 'trial', ballots: 1, locked: false });

		expect(await startLive(opened.db, id)).toEqual({ ok: true, eligible: 6 });
		expect(await getCampaign(opened.db, id)).toMatchObject({ status: 'live', ballots: 0, locked: false });
		expect(await opened.db.selectFrom('evaluation_participation').selectAll().execute()).toEqual([]);
		expect(await opened.db.selectFrom('evaluation_receipt').selectAll().execute()).toEqual([]);

		// The same member rates again in the real run: the lock is on.
		expect(await castBallot(opened.db, id, { kind: 'member', memberId: raters[0] as number }, fullBallot(fixture))).toMatchObject({ ok: true });
		expect(await getCampaign(opened.db, id)).toMatchObject({ ballots: 1, locked: true });
		const locked = { ok: false, problem: 'locked' };
		expect(await addTargets(opened.db, id, [leaders[1] as number])).toEqual(locked);
		expect(await removeTarget(opened.db, id, fixture.targetIds[0] as number)).toEqual(locked);
		expect(await saveReport(opened.db, id, fixture.targetIds[0] as number, { text: 'x' })).toEqual(locked);
		expect(await saveCriteria(opened.db, id, [])).toEqual(locked);
		expect(await saveGroups(opened.db, id, [])).toEqual(locked);
		expect(await issueCodes(opened.db, id, (await listGroups(opened.db, id))[0]?.id as number, 3)).toEqual(locked);
		expect(await backToDraft(opened.db, id)).toEqual(locked);
		expect(await startLive(opened.db, id)).toEqual({ ok: false, problem: 'status' });

		// Settings: the title and a later end go through; a lower threshold or an earlier end do not.
		const c = (await getCampaign(opened.db, id)) as NonNullable<Awaited<ReturnType<typeof getCampaign>>>;
		const now = { title: c.title, year: c.year, kind: c.kind, opensAt: c.opensAt, closesAt: c.closesAt, threshold: c.threshold, commentsEnabled: c.commentsEnabled };
		expect(await updateSettings(opened.db, id, { ...now, threshold: 3, closesAt: c.closesAt - hour })).toEqual({
			ok: false,
			problem: 'locked',
			errors: { threshold: 'locked', closesAt: 'locked' }
		});
		expect(await updateSettings(opened.db, id, { ...now, title: '改名', closesAt: c.closesAt + hour })).toEqual({ ok: true });
		expect(await getCampaign(opened.db, id)).toMatchObject({ title: '改名', closesAt: c.closesAt + hour, threshold: 5 });
	});

	it('goes back to draft from the test run, wiping its ballots', async () => {
		const { id, fixture } = await ready();
		await startTrial(opened.db, id);
		await castBallot(opened.db, id, { kind: 'member', memberId: raters[1] as number }, fullBallot(fixture));
		expect(await backToDraft(opened.db, id)).toMatchObject({ ok: true });
		expect(await getCampaign(opened.db, id)).toMatchObject({ status: 'draft', ballots: 0 });
		expect(await opened.db.selectFrom('evaluation_eligible').selectAll().execute()).toEqual([]);
	});
});

describe('codes', () => {
	it('issues a batch for a group of this campaign only, and voids its unused codes', async () => {
		const f = await makeCampaign(opened.db, { targets: [leaders[0] as number], groups: [{ name: '群众', membersRate: false }], status: 'trial' });
		const other = await makeCampaign(opened.db, { targets: [leaders[0] as number] });
		expect(await issueCodes(opened.db, f.id, other.groupIds[0] as number, 3)).toEqual({ ok: false, problem: 'not_found' });
		expect(await issueCodes(opened.db, f.id, f.groupIds[0] as number, 0)).toEqual({ ok: false, problem: 'count' });
		const issued = await issueCodes(opened.db, f.id, f.groupIds[0] as number, 3);
		if (!issued.ok) throw new Error('not issued');
		expect(issued.codes).toHaveLength(3);
		expect(await castBallot(opened.db, f.id, { kind: 'code', code: issued.codes[0] as string }, fullBallot(f))).toMatchObject({ ok: true });
		expect(await voidBatch(opened.db, f.id, issued.batch)).toBe(2);
		expect(await listBatches(opened.db, f.id)).toEqual([{ batch: 1, groupId: f.groupIds[0], groupName: '群众', issued: 3, used: 1, voided: 2 }]);
		expect(await castBallot(opened.db, f.id, { kind: 'code', code: issued.codes[1] as string }, fullBallot(f))).toMatchObject({ ok: false, problem: 'code_unknown' });
	});
});
