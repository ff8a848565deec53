import type { Db } from '../db';
import { readConfig } from '../config';
import { coverage } from '../bank/questions';
import { listAreas } from '../bank/areas';
import { createExam, publishExam, setBlueprint, type ExamSettings } from '../exams/exams';
import { itemsWithKeys, saveAnswers, startAttempt, submitAttempt } from '../exams/attempts';
import { typeOrder, type BlueprintRow } from '../exams/papers';
import type { Answer } from '../exams/scoring';
import { defaultWindow, previousQuarter, quarterOf } from '../exams/quarters';

// The demo's tests: four past quarters with results (so trends and the member's history are not empty), this
// quarter's test open now, and a practice test anyone may take again and again. Answers in past quarters are
// simulated from a fixed seed: each member has an ability, and two areas are harder for everyone, so the
// dashboards have something to say. Members of 第一中学教师第一支部 (11xx) and 县实验小学党支部 (13xx) have not yet
// taken this quarter's test (nor 1209 and 1408): the end-to-end tests and a person trying the demo take it as them.

const day = 24 * 60 * 60 * 1000;

/** 20 questions, 5 points each: 8 单选, 4 多选, 4 判断, 4 填空 (100 points, pass at 60). */
const plan: [type: (typeof typeOrder)[number], count: number][] = [
	['single', 8],
	['multiple', 4],
	['true_false', 4],
	['fill', 4]
];

/** The blueprint filled from the best-stocked cells of the bank, so the starter bank can always meet it. */
async function demoBlueprint(db: Db): Promise<BlueprintRow[]> {
	const cells = (await coverage(db)).sort((a, b) => b.count - a.count || a.areaId - b.areaId || a.difficulty.localeCompare(b.difficulty));
	const rows: BlueprintRow[] = [];
	for (const [type, wanted] of plan) {
		let left = wanted;
		for (const cell of cells.filter((c) => c.type === type)) {
			if (left === 0) break;
			// Half of a cell at most: papers then differ between members.
			const take = Math.min(left, Math.max(1, Math.floor(cell.count / 2)));
			rows.push({ areaId: cell.areaId, type, difficulty: cell.difficulty, count: take, points: 500 });
			left -= take;
		}
	}
	return rows;
}

export function random(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
	};
}

export async function seedDemoExams(db: Db, now = Date.now()): Promise<{ exams: number; attempts: number }> {
	const { timeZone } = readConfig();
	const admin = await db.selectFrom('member').select('id').where('login_id', '=', 'admin').executeTakeFirst();
	const members = await db.selectFrom('member').select(['id', 'login_id']).where('status', '=', 'active').where('login_id', '!=', 'admin').orderBy('id').execute();
	if (!admin || members.length === 0) return { exams: 0, attempts: 0 };
	const blueprint = await demoBlueprint(db);
	const areas = await listAreas(db);
	const hardAreas = new Set(areas.filter((a) => a.code === 'law' || a.code === 'local').map((a) => a.id));
	const rand = random(20261130);
	const ability = new Map(members.map((m) => [m.id, 0.55 + rand() * 0.4]));

	const current = quarterOf(now, timeZone);
	const past = [previousQuarter(current)];
	for (let i = 0; i < 3; i++) past.unshift(previousQuarter(past[0] as string));

	const base: Omit<ExamSettings, 'title' | 'quarter' | 'opensAt' | 'closesAt'> = {
		kind: 'quarterly',
		durationMinutes: 30,
		passCents: 6000,
		attemptsAllowed: 1,
		multiplePolicy: 'partial_half',
		resultsPolicy: 'immediate'
	};
	const create = async (settings: ExamSettings, at: number) => {
		const id = await createExam(db, admin.id, settings, at);
		await setBlueprint(db, id, blueprint, at);
		const published = await publishExam(db, id, admin.id, at);
		if (!published.ok) throw new Error(`demo: cannot publish ${settings.title}: ${JSON.stringify(published)}`);
		return id;
	};

	let attempts = 0;
	const takeAs = async (examId: number, memberId: number, startAt: number, improve: number) => {
		const started = await startAttempt(db, examId, memberId, startAt);
		if (!started.ok) return;
		const items = await itemsWithKeys(db, started.attemptId);
		const saves = items.map((item, k) => {
			const p = (ability.get(memberId) ?? 0.7) + improve - (item.areaIds.some((a) => hardAreas.has(a)) ? 0.25 : 0);
			return { position: item.position, editedAt: startAt + (k + 1) * 45_000, answer: simulatedAnswer(item.key, rand() < p, rand) };
		});
		await saveAnswers(db, started.attemptId, memberId, saves, startAt + 20 * 60_000);
		await submitAttempt(db, started.attemptId, 'member', startAt + 20 * 60_000);
		attempts++;
	};

	for (const [i, quarter] of past.entries()) {
		const window = defaultWindow(quarter, timeZone);
		const [year, q] = [quarter.slice(0, 4), quarter.slice(5)];
		const id = await create({ ...base, title: `${year}年第${'一二三四'[Number(q) - 1]}季度党员理论学习测试`, quarter, ...window }, window.opensAt - 7 * day);
		for (const m of members) {
			// About one in ten misses a test.
			if (rand() < 0.1) continue;
			const startAt = window.opensAt + Math.floor(rand() * 25) * day + Math.floor(rand() * 10) * 60 * 60_000;
			await takeAs(id, m.id, startAt, i * 0.03);
		}
	}

	// This quarter's test is open now (from a week ago to the end of the quarter's last month, at least two weeks).
	const window = defaultWindow(current, timeZone);
	const opensAt = Math.min(window.opensAt, now - 7 * day);
	const closesAt = Math.max(window.closesAt, now + 14 * day);
	const [year, q] = [current.slice(0, 4), current.slice(5)];
	const currentId = await create({ ...base, title: `${year}年第${'一二三四'[Number(q) - 1]}季度党员理论学习测试`, quarter: current, opensAt, closesAt }, opensAt - day);
	// Who has taken it is fixed, not drawn, so that the README can name them: everyone of 第一中学教师第二支部 (12xx)
	// and 县教育局机关党支部 (14xx) but the last of each (1209, 1408), who with 11xx and 13xx have it ahead of them.
	for (const m of members) {
		if (!/^1[24]\d\d$/.test(m.login_id) || m.login_id === '1209' || m.login_id === '1408') continue;
		await takeAs(currentId, m.id, now - Math.floor(1 + rand() * 5) * day, 0.1);
	}
	await create(
		{ ...base, kind: 'practice', title: '理论学习练习', quarter: current, opensAt, closesAt: now + 365 * day, attemptsAllowed: 10, passCents: 6000 },
		opensAt - day
	);
	return { exams: past.length + 2, attempts };
}

function simulatedAnswer(key: Awaited<ReturnType<typeof itemsWithKeys>>[number]['key'], right: boolean, rand: () => number): Answer {
	switch (key.type) {
		case 'single':
			return { type: 'single', choice: right ? key.correct : (key.correct + 1 + Math.floor(rand() * (key.options.length - 1))) % key.options.length };
		case 'multiple': {
			if (right) return { type: 'multiple', choices: key.correct };
			// Half the misses leave out an option (partly right), half add a wrong one.
			if (rand() < 0.5 && key.correct.length > 1) return { type: 'multiple', choices: key.correct.slice(1) };
			const wrong = key.options.findIndex((_, i) => !key.correct.includes(i));
			return { type: 'multiple', choices: [...key.correct, wrong].filter((c) => c >= 0).sort((a, b) => a - b) };
		}
		case 'true_false':
			return { type: 'true_false', value: right ? key.correct : !key.correct };
		case 'fill':
			return { type: 'fill', blanks: key.blanks.map((alternatives) => (right ? (alternatives[0] ?? '') : '不清楚')) };
	}
}
