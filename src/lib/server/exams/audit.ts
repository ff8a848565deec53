import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import type { Db } from '../db';
import type { BlueprintRow, Candidate } from './papers';
import { generatePaper, paperAlgorithmVersion } from './papers';
import { paperSeed } from './paper-seed';

// Auditing a paper: is the stored paper the one the generator draws from the test's seed and the member? The draw
// also depends on the pool of active questions and the member's recently seen questions at that moment; the attempt
// stores the latter and a digest of the former, so an audit can tell "rebuilt and identical" from "the bank has
// changed since, so the draw cannot be replayed" instead of reporting a false mismatch.

/** SHA-256 over the pool as the generator sees it, in question order. */
export function poolDigest(candidates: Candidate[]): string {
	const lines = [...candidates]
		.sort((a, b) => a.questionId - b.questionId)
		.map((c) => `${c.questionId}:${c.versionId}:${c.type}:${c.difficulty}:${c.optionCount}:${[...c.areaIds].sort((x, y) => x - y).join(',')}`);
	return encodeHexLowerCase(sha256(new TextEncoder().encode(lines.join('\n'))));
}

export type AuditResult =
	| { status: 'identical' }
	| { status: 'different'; positions: number[] }
	| { status: 'pool_changed' }
	| { status: 'algorithm_changed'; stored: number }
	| { status: 'not_found' };

/** Rebuilds an attempt's paper and compares it item by item (question, version, points, option order). */
export async function auditPaper(db: Db, attemptId: number, currentPool: Candidate[]): Promise<AuditResult> {
	const attempt = await db.selectFrom('attempt').selectAll().where('id', '=', attemptId).executeTakeFirst();
	if (!attempt) return { status: 'not_found' };
	if (attempt.paper_algorithm !== paperAlgorithmVersion) return { status: 'algorithm_changed', stored: attempt.paper_algorithm };
	if (poolDigest(currentPool) !== attempt.pool_digest) return { status: 'pool_changed' };
	const exam = await db.selectFrom('exam').select('seed').where('id', '=', attempt.exam_id).executeTakeFirstOrThrow();
	const rows = await db.selectFrom('exam_blueprint_row').selectAll().where('exam_id', '=', attempt.exam_id).orderBy('position').execute();
	const blueprint: BlueprintRow[] = rows.map((r) => ({ areaId: r.area_id, type: r.type, difficulty: r.difficulty, count: r.count, points: r.points_cents }));
	const rebuilt = generatePaper({
		seed: paperSeed(exam.seed, attempt.number),
		memberId: attempt.member_id,
		blueprint,
		candidates: currentPool,
		recentlySeen: JSON.parse(attempt.recent_questions) as number[]
	});
	const stored = await db.selectFrom('attempt_item').selectAll().where('attempt_id', '=', attemptId).orderBy('position').execute();
	if (!rebuilt.ok) return { status: 'different', positions: stored.map((s) => s.position) };
	const positions: number[] = [];
	const count = Math.max(stored.length, rebuilt.items.length);
	for (let i = 0; i < count; i++) {
		const a = stored[i];
		const b = rebuilt.items[i];
		const same = a && b && a.question_id === b.questionId && a.version_id === b.versionId && a.points_cents === b.points && a.option_order === JSON.stringify(b.optionOrder);
		if (!same) positions.push(i + 1);
	}
	return positions.length === 0 ? { status: 'identical' } : { status: 'different', positions };
}
