// Shared by `npm run bench:ballots` and the ballot-log test (tests/unit/ballot-logs.test.ts): a database with a
// live campaign, signed-in raters with sessions and one-time codes, and a ballot posted through the real form
// actions of the built server. Only benchmarks and tests import this file.
import { randomInt } from 'node:crypto';
import type { Agent } from 'node:http';
import { createServer } from 'node:net';
import { createSession, generateSessionToken, sessionCookieName } from '../../src/lib/server/auth/session';
import { openDatabase } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrate';
import { generateCodes } from '../../src/lib/server/evaluations/codes';
import { defaultCriteria } from '../../src/lib/server/evaluations/defaults';
import { makeCampaign } from '../../src/lib/server/testing/evaluations';
import { send, type Reply } from './exam-load';

export type BallotLoad = {
	evaluationId: number;
	targetIds: number[];
	criterionIds: number[];
	/** Levels per criterion, in the order of criterionIds. */
	levelCounts: number[];
	members: { memberId: number; cookie: string }[];
	codes: string[];
};

/**
 * Creates the database: the real migrations, one unit, `targets` leaders, `members` raters with a session each,
 * and a live campaign (the 述学评学 default form: 8 criteria) whose groups are 党员 (every active member) and
 * 教职工群众 (`codes` one-time codes).
 */
export async function prepareBallotLoad(file: string, o: { members: number; codes: number; targets: number }): Promise<BallotLoad> {
	const { db, sqlite } = openDatabase(file);
	sqlite.pragma('synchronous = OFF');
	try {
		await migrateToLatest(db);
		const now = Date.now();
		const unit = await db.insertInto('unit').values({ name: '基准党委', kind: 'committee', parent_id: null, archived_at: null, created_at: now }).returning('id').executeTakeFirstOrThrow();
		const insertMembers = async (count: number, prefix: string, leader: boolean) => {
			const ids: number[] = [];
			for (let from = 0; from < count; from += 500) {
				const rows = Array.from({ length: Math.min(500, count - from) }, (_, k) => ({
					login_id: `${prefix}${from + k}`,
					name: `${leader ? '领导' : '成员'}${from + k}`,
					unit_id: unit.id,
					position_title: leader ? '副校长' : '',
					is_leader: leader ? 1 : 0,
					status: 'active' as const,
					password_hash: null,
					last_sign_in_at: null,
					created_at: now,
					updated_at: now
				}));
				const inserted = await db.insertInto('member').values(rows).returning('id').execute();
				ids.push(...inserted.map((r) => r.id));
				await db.insertInto('member_role').values(inserted.map((r) => ({ member_id: r.id, role: 'member' as const }))).execute();
			}
			return ids;
		};
		// Targets are members too and so on the eligible list; the raters below are the others.
		const leaders = await insertMembers(o.targets, 'leader', true);
		const raterIds = await insertMembers(o.members, 'rater', false);
		const criteria = defaultCriteria('study_review');
		const f = await makeCampaign(db, {
			targets: leaders,
			criteria,
			groups: [{ name: '党员' }, { name: '教职工群众', membersRate: false }],
			codes: {},
			now
		});
		const codes: string[] = [];
		for (let left = o.codes; left > 0; left -= 500) {
			codes.push(...(await generateCodes(db, f.id, f.groupIds[1] as number, Math.min(500, left))).codes);
		}
		const members: BallotLoad['members'] = [];
		await db.transaction().execute(async (trx) => {
			for (const memberId of raterIds) {
				const token = generateSessionToken();
				await createSession(trx, token, memberId, now);
				members.push({ memberId, cookie: `${sessionCookieName}=${token}` });
			}
		});
		return { evaluationId: f.id, targetIds: f.targetIds, criterionIds: f.criterionIds, levelCounts: criteria.map((c) => c.levels.length), members, codes };
	} finally {
		await db.destroy();
	}
}

/** A urlencoded ballot as the form sends it: every target on every criterion at a random level, minus `skip`. */
export function ballotBody(load: BallotLoad, o: { code?: string; comment?: string; skip?: number } = {}): string {
	const form = new URLSearchParams();
	if (o.code !== undefined) form.set('code', o.code);
	let n = 0;
	for (const t of load.targetIds) {
		for (const [i, c] of load.criterionIds.entries()) {
			if (n++ === o.skip) continue;
			form.set(`r_${t}_${c}`, String(randomInt(load.levelCounts[i] ?? 1)));
		}
		if (o.comment) form.set(`c_${t}`, o.comment);
	}
	return form.toString();
}

export type BallotReply = Reply & { type: string; receipt: string | null };

/** POSTs a ballot to a form action as `use:enhance` does (JSON answer) with the Origin the server expects. */
export async function postBallot(agent: Agent, port: number, path: string, body: string, cookie: string | null, timeoutMs = 30_000): Promise<BallotReply> {
	const headers: Record<string, string> = {
		'content-type': 'application/x-www-form-urlencoded',
		accept: 'application/json',
		'x-sveltekit-action': 'true',
		origin: `http://127.0.0.1:${port}`
	};
	if (cookie) headers.cookie = cookie;
	const reply = await send(agent, port, 'POST', path, headers, body, timeoutMs);
	let type = `HTTP ${reply.status}`;
	try {
		type = (JSON.parse(reply.body) as { type?: string }).type ?? type;
	} catch {
		// not JSON: keep the status
	}
	const receipt = type === 'success' ? (/[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/.exec(reply.body)?.[0] ?? null) : null;
	return { ...reply, type, receipt };
}

/** A TCP port nobody listens on now (for a server started by a test). */
export function freePort(): Promise<number> {
	return new Promise((done, fail) => {
		const probe = createServer();
		probe.once('error', fail);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => done(port));
		});
	});
}
