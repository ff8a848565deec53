// npx tsx tests/bench/papers.ts — drawing 10,000 papers (a 50-question blueprint over ~2,000 candidates in 13
// areas, each member with ~100 recently seen questions), as when a whole district starts a test. Pure CPU, no
// database. Prints figures and ends with one `papers: n=… seconds=…` line; passes or fails nothing.
import { cpus } from 'node:os';
import type { Difficulty, QuestionType } from '../../src/lib/server/bank/types';
import { checkBlueprint, generatePaper, typeOrder, type BlueprintRow, type Candidate } from '../../src/lib/server/exams/papers';

// The pool and the seen lists come from their own small seeded generator, so every run measures the same work.
let state = 0x9e3779b9;
const rand = (): number => {
	state = (state + 0x6d2b79f5) | 0;
	let t = Math.imul(state ^ (state >>> 15), 1 | state);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const below = (n: number): number => Math.floor(rand() * n);

const areas = 13;
const difficulties: Difficulty[] = ['easy', 'medium', 'hard'];
const poolSize = 2_000;
const members = 10_000;

// Ids are spread out (not 1..n) like a bank after years of edits; a fifth of the questions have a second area.
const candidates: Candidate[] = Array.from({ length: poolSize }, (_, k) => {
	const type = typeOrder[k % typeOrder.length] ?? 'single';
	const area = 1 + below(areas);
	const areaIds = rand() < 0.2 ? [area, 1 + ((area + below(areas - 1)) % areas)] : [area];
	return {
		questionId: 1_000 + k * 3 + below(3),
		versionId: 50_000 + k,
		areaIds,
		type,
		difficulty: difficulties[below(3)] ?? 'medium',
		optionCount: type === 'single' || type === 'multiple' ? 4 + below(2) : 0
	};
});

// 50 questions: 20 单选, 10 多选, 10 判断, 10 填空, spread over all areas and difficulties (rows merged by cell).
const sections: [QuestionType, number, number][] = [
	['single', 20, 1],
	['multiple', 10, 2],
	['true_false', 10, 1],
	['fill', 10, 2]
];
const blueprint: BlueprintRow[] = [];
let k = 0;
for (const [type, count, points] of sections) {
	for (let i = 0; i < count; i++, k++) {
		const areaId = 1 + (k % areas);
		const difficulty = difficulties[(k * 7) % 3] ?? 'medium';
		const same = blueprint.find((r) => r.areaId === areaId && r.type === type && r.difficulty === difficulty);
		if (same) same.count++;
		else blueprint.push({ areaId, type, difficulty, count: 1, points });
	}
}
const slots = blueprint.reduce((sum, r) => sum + r.count, 0);
const shortfall = checkBlueprint(blueprint, candidates);
if (shortfall.length > 0) throw new Error(`benchmark blueprint cannot be met: ${JSON.stringify(shortfall)}`);

// Seen lists are made before the clock starts: they are the caller's data, not the generator's work.
const ids = candidates.map((c) => c.questionId);
const seenLists = Array.from({ length: members }, () => Array.from({ length: 90 + below(21) }, () => ids[below(ids.length)] ?? 0));

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
console.log(`pool: ${candidates.length} candidates in ${areas} areas; blueprint: ${blueprint.length} rows, ${slots} questions`);

let seenUsed = 0;
const started = performance.now();
for (let memberId = 1; memberId <= members; memberId++) {
	const recentlySeen = seenLists[memberId - 1] ?? [];
	const result = generatePaper({ seed: 'bench-2025-Q3', memberId, blueprint, candidates, recentlySeen });
	if (!result.ok || result.items.length !== slots) throw new Error(`paper for member ${memberId} is wrong`);
	const seen = new Set(recentlySeen);
	for (const item of result.items) if (seen.has(item.questionId)) seenUsed++;
}
const seconds = (performance.now() - started) / 1000;

console.log(`${members} papers in ${seconds.toFixed(2)} s (${((seconds * 1000) / members).toFixed(3)} ms each); recently seen questions drawn: ${seenUsed}`);
console.log(`papers: n=${members} seconds=${seconds.toFixed(2)}`);
