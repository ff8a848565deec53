// npm run bench:bank — importing 10,000 questions from XLSX, and the server time of a bank search over
// 20,000 questions, on a real SQLite file (WAL, synchronous=FULL). Prints figures; passes or fails nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { listAreas } from '../../src/lib/server/bank/areas';
import { questionsToXlsx, readQuestionSheet } from '../../src/lib/server/bank/formats/template';
import { applyQuestionImport, planQuestionImport, type ImportOptions } from '../../src/lib/server/bank/import';
import { listQuestions } from '../../src/lib/server/bank/questions';
import type { QuestionDraft } from '../../src/lib/server/bank/types';
import { openDatabase } from '../../src/lib/server/db/index';
import { migrateToLatest } from '../../src/lib/server/db/migrate';

const dir = mkdtempSync(join(tmpdir(), 'kaoping-bench-bank-'));
const { db } = openDatabase(join(dir, 'bank.db'));
const options: ImportOptions = { duplicates: 'skip', defaultDifficulty: 'medium', status: 'active', categoryAreas: {}, fileArea: null, questionAreas: {} };

// Deterministic, varied Chinese text, so search has realistic work to do and no two questions are duplicates.
const words = ['学习', '理论', '党章', '党规', '季度', '测试', '述学', '评学', '支部', '书记', '教育', '方针', '制度', '考核', '通报', '读书', '调研', '师德', '廉政', '科学发展'];
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = () => words[Math.floor(rand() * words.length)] ?? '学习';
const phrase = (n: number) => Array.from({ length: n }, pick).join('');

function draft(i: number, areaCodes: string[]): QuestionDraft {
	const common = {
		stem: `第${i}题：${phrase(8)}的要求是什么？`,
		explanation: `依据文件：${phrase(10)}。`,
		difficulty: (['easy', 'medium', 'hard'] as const)[i % 3] ?? 'medium',
		areas: [areaCodes[i % areaCodes.length] ?? 'learning_org'],
		source: { document: `00${i % 5}`, section: '四(一)', quote: phrase(6) },
		reviewBy: null,
		categories: []
	};
	switch (i % 4) {
		case 0:
			return { ...common, type: 'single', options: [phrase(3), phrase(3), phrase(3), `${phrase(3)}${i}`], correct: i % 4 };
		case 1:
			return { ...common, type: 'multiple', options: [phrase(3), phrase(3), phrase(3), `${phrase(3)}${i}`], correct: [0, 2] };
		case 2:
			return { ...common, type: 'true_false', correct: i % 3 === 0 };
		default:
			return { ...common, stem: `第${i}题：${phrase(6)}要做到____。`, type: 'fill', blanks: [[phrase(2)]] };
	}
}

async function importXlsx(from: number, count: number, areaCodes: string[]): Promise<number> {
	const bytes = await questionsToXlsx(Array.from({ length: count }, (_, k) => draft(from + k, areaCodes)));
	const started = performance.now();
	const parsed = await readQuestionSheet(bytes, 'bench.xlsx');
	const plan = await planQuestionImport(db, parsed, options);
	if (plan.problems.length > 0) throw new Error(`benchmark file has problems: ${JSON.stringify(plan.problems[0])}`);
	const result = await applyQuestionImport(db, null, parsed, options, plan.fingerprint);
	if (!result.ok || result.created !== count) throw new Error('benchmark import failed');
	return (performance.now() - started) / 1000;
}

try {
	await migrateToLatest(db);
	const areaCodes = (await listAreas(db)).map((a) => a.code);
	console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}`);
	const import10k = await importXlsx(0, 10_000, areaCodes);
	console.log(`import of 10,000 questions from XLSX (parse, preview, write): ${import10k.toFixed(2)} s`);
	await importXlsx(10_000, 10_000, areaCodes);

	const queries = ['季度测试', '述学评学', '师德', '第1234题', '党章党规', '科学发展', '不存在的词语', '读书调研'];
	const times: number[] = [];
	for (let round = 0; round < 25; round++) {
		for (const query of queries) {
			const started = performance.now();
			await listQuestions(db, { query, limit: 50 });
			times.push(performance.now() - started);
		}
	}
	times.sort((a, b) => a - b);
	const p = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0;
	console.log(`search over 20,000 questions (${times.length} searches): p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms`);
	console.log(`bank: import10k=${import10k.toFixed(2)} search_p95=${p(0.95).toFixed(1)}`);
} finally {
	await db.destroy();
	rmSync(dir, { recursive: true, force: true });
}
