import { randomBytes, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db';
import type { MemberStatus } from '../db/schema';
import { decodeKey } from '../bank/questions';
import type { QuestionKey, QuestionSource, QuestionType } from '../bank/types';
import { unitPaths } from '../org/units';
import { audienceMemberIds, candidatePool, getExam } from './exams';
import { generatePaper, type RowShortfall } from './papers';

// What the committee's pages for setting up a test need beyond exams.ts: members named by login id, a sample
// paper to look at before publishing, and who might need a make-up.

export type NamedMember = { id: number; loginId: string; name: string; status: MemberStatus };

/**
 * Members by login id (工号 or phone), matched case-insensitively as sign-in does. `unknown` keeps the ids as
 * typed, so a message can name each one.
 */
export async function membersByLoginIds(db: Db, loginIds: string[]): Promise<{ found: NamedMember[]; unknown: string[] }> {
	if (loginIds.length === 0) return { found: [], unknown: [] };
	const found: NamedMember[] = [];
	// Chunked: SQLite allows a limited number of bound parameters in one statement.
	for (let i = 0; i < loginIds.length; i += 500) {
		const chunk = loginIds.slice(i, i + 500).map((id) => id.toLowerCase());
		const rows = await db
			.selectFrom('member')
			.select(['id', 'login_id', 'name', 'status'])
			.where(sql<string>`lower(login_id)`, 'in', chunk)
			.execute();
		found.push(...rows.map((r) => ({ id: r.id, loginId: r.login_id, name: r.name, status: r.status })));
	}
	const known = new Set(found.map((f) => f.loginId.toLowerCase()));
	return { found, unknown: loginIds.filter((id) => !known.has(id.toLowerCase())) };
}

/** Login ids and names of members, in the order given, for showing stored member ids back in a form. */
export async function namedMembers(db: Db, ids: number[]): Promise<NamedMember[]> {
	if (ids.length === 0) return [];
	const rows = await db.selectFrom('member').select(['id', 'login_id', 'name', 'status']).where('id', 'in', ids).execute();
	const byId = new Map(rows.map((r) => [r.id, { id: r.id, loginId: r.login_id, name: r.name, status: r.status }]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

// ---- sample paper ---------------------------------------------------------------------------------------

export type SampleItem = {
	position: number;
	questionId: number;
	version: number;
	type: QuestionType;
	stem: string;
	pointsCents: number;
	/** In the paper's shuffled order, each marked whether it is a right answer. [] for true/false and fill. */
	options: { text: string; correct: boolean }[];
	key: QuestionKey;
	explanation: string;
	source: QuestionSource | null;
	areaIds: number[];
};

export type SampleResult =
	| { ok: true; items: SampleItem[] }
	| { ok: false; problem: 'not_found' | 'no_rows' }
	| { ok: false; problem: 'unfillable'; shortfall: RowShortfall[] };

/**
 * A paper drawn the way a member's would be, for the committee to look at. It is drawn from a throwaway seed and
 * a random member id and never stored, so it is nobody's actual paper: showing or printing it gives nothing away
 * about what any member will get.
 */
export async function samplePaper(db: Db, examId: number): Promise<SampleResult> {
	const exam = await getExam(db, examId);
	if (!exam) return { ok: false, problem: 'not_found' };
	if (exam.blueprint.length === 0) return { ok: false, problem: 'no_rows' };
	const paper = generatePaper({
		seed: `preview:${randomBytes(16).toString('hex')}`,
		memberId: randomInt(1, 2 ** 31 - 1),
		blueprint: exam.blueprint,
		candidates: await candidatePool(db),
		recentlySeen: []
	});
	if (!paper.ok) return { ok: false, problem: 'unfillable', shortfall: paper.shortfall };
	if (paper.items.length === 0) return { ok: true, items: [] };

	const versionIds = paper.items.map((i) => i.versionId);
	const versions = await db.selectFrom('question_version').selectAll().where('id', 'in', versionIds).execute();
	const areas = await db.selectFrom('question_version_area').select(['version_id', 'area_id']).where('version_id', 'in', versionIds).execute();
	const byId = new Map(versions.map((v) => [v.id, v]));
	const items = paper.items.flatMap((item): SampleItem[] => {
		const v = byId.get(item.versionId);
		if (!v) return [];
		const key = decodeKey(v.type, v.options, v.answer);
		const options =
			key.type === 'single'
				? item.optionOrder.map((k) => ({ text: key.options[k] ?? '', correct: k === key.correct }))
				: key.type === 'multiple'
					? item.optionOrder.map((k) => ({ text: key.options[k] ?? '', correct: key.correct.includes(k) }))
					: [];
		return [
			{
				position: item.position,
				questionId: item.questionId,
				version: v.version,
				type: v.type,
				stem: v.stem,
				pointsCents: item.points,
				options,
				key,
				explanation: v.explanation,
				source: v.source_document ? { document: v.source_document, section: v.source_section, quote: v.source_quote } : null,
				areaIds: areas.filter((a) => a.version_id === v.id).map((a) => a.area_id)
			}
		];
	});
	return { ok: true, items };
}

// ---- make-ups ---------------------------------------------------------------------------------------------

export type MakeupCandidate = NamedMember & {
	unitPath: string;
	/** `not_taken`: no submitted attempt; `failed`: submitted, none passed. */
	standing: 'not_taken' | 'failed';
	/** Already named in a make-up of this test. */
	inMakeup: boolean;
};

/** Members of the audience who have not passed: the usual people to offer a make-up (补考). */
export async function makeupCandidates(db: Db, examId: number): Promise<MakeupCandidate[]> {
	const audience = await audienceMemberIds(db, examId);
	if (audience.length === 0) return [];
	const attempts = await db.selectFrom('attempt').select(['member_id', 'submitted_at', 'passed']).where('exam_id', '=', examId).execute();
	const passed = new Set(attempts.filter((a) => a.passed === 1).map((a) => a.member_id));
	const submitted = new Set(attempts.filter((a) => a.submitted_at !== null).map((a) => a.member_id));
	const named = new Set(
		(
			await db
				.selectFrom('exam_makeup_member')
				.innerJoin('exam_makeup', 'exam_makeup.id', 'exam_makeup_member.makeup_id')
				.select('exam_makeup_member.member_id')
				.where('exam_makeup.exam_id', '=', examId)
				.execute()
		).map((r) => r.member_id)
	);
	const wanted = audience.filter((id) => !passed.has(id));
	const rows: { id: number; login_id: string; name: string; status: MemberStatus; unit_id: number }[] = [];
	for (let i = 0; i < wanted.length; i += 500) {
		const chunk = wanted.slice(i, i + 500);
		rows.push(...(await db.selectFrom('member').select(['id', 'login_id', 'name', 'status', 'unit_id']).where('id', 'in', chunk).execute()));
	}
	const paths = unitPaths(await db.selectFrom('unit').select(['id', 'name', 'parent_id']).execute());
	return rows
		.map((r) => ({
			id: r.id,
			loginId: r.login_id,
			name: r.name,
			status: r.status,
			unitPath: paths.get(r.unit_id) ?? '',
			standing: submitted.has(r.id) ? ('failed' as const) : ('not_taken' as const),
			inMakeup: named.has(r.id)
		}))
		.sort((a, b) => a.unitPath.localeCompare(b.unitPath) || a.loginId.localeCompare(b.loginId));
}
