import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { m } from '$lib/paraglide/messages';

// Both languages are complete: the same messages with the same placeholders. A missing English message would
// show the Chinese one to an English reader; a missing placeholder would drop a number from a sentence.
// Messages are split into files by domain (project.inlang/settings.json lists them); a key lives in one file only.
const settings = JSON.parse(readFileSync('src/lib/i18n/project.inlang/settings.json', 'utf8')) as {
	'plugin.inlang.messageFormat': { pathPattern: string[] };
};
const patterns = settings['plugin.inlang.messageFormat'].pathPattern;
// A message is a pattern, or (for counts in English) a list of variants chosen by plural category.
type Variants = { declarations?: string[]; match: Record<string, string> }[];
type Message = string | Variants;
const loadFile = (pattern: string, locale: string) =>
	JSON.parse(readFileSync(`src/lib/i18n/project.inlang/../${pattern.replace('{locale}', locale)}`, 'utf8')) as Record<string, Message>;
const load = (locale: string) => Object.assign({}, ...patterns.map((p) => loadFile(p, locale))) as Record<string, Message>;
const zh = load('zh-CN');
const en = load('en');
/** Every pattern of a message: itself, or each of its variants. */
const patternsOf = (message: Message | undefined): string[] =>
	message === undefined ? [] : typeof message === 'string' ? [message] : message.flatMap((v) => Object.values(v.match));
/** The inputs a message takes: those its patterns use and those its variants declare (a variant may leave one out). */
const placeholders = (message: Message | undefined) => {
	const names = new Set(patternsOf(message).flatMap((text) => [...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1] as string)));
	if (typeof message !== 'string') for (const d of message?.flatMap((v) => v.declarations ?? []) ?? []) if (d.startsWith('input ')) names.add(d.slice(6));
	return [...names].sort();
};

describe('messages', () => {
	it('exist in both languages', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('are defined once across the files', () => {
		const seen = new Map<string, string>();
		for (const pattern of patterns) {
			for (const key of Object.keys(loadFile(pattern, 'zh-CN'))) {
				if (key === '$schema') continue;
				expect(seen.get(key), `${key} in ${pattern}`).toBeUndefined();
				seen.set(key, pattern);
			}
		}
	});

	it('use the same placeholders in both languages, and none is empty', () => {
		for (const key of Object.keys(zh)) {
			if (key === '$schema') continue;
			expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
			for (const text of [...patternsOf(zh[key]), ...patternsOf(en[key])]) expect(text.trim(), key).not.toBe('');
			expect(patternsOf(zh[key]).length, key).toBeGreaterThan(0);
			expect(patternsOf(en[key]).length, key).toBeGreaterThan(0);
		}
	});
});

// Names that end in a word a message might add after them: a unit called "All units", an area called "Political
// theory". A message that writes "{unit} units" or "{area} theory" would say the word twice.
const samples: Record<string, string> = {
	unit: 'All units',
	scope: 'All units',
	area: 'Political theory',
	name: 'Core socialist values',
	title: 'Quarterly theory test',
	group: 'Retired members',
	quarter: '2026 Q4',
	type: 'Single choice'
};

describe('English messages', () => {
	it('never say a word twice after a name or count is put in', () => {
		for (const [key, message] of Object.entries(en)) {
			if (key === '$schema') continue;
			for (const text of patternsOf(message)) {
				const filled = text.replace(/\{(\w+)\}/g, (_, name: string) => samples[name] ?? '2');
				expect(filled, key).not.toMatch(/\b(\w+) \1\b/i);
			}
		}
	});

	it('give plural forms to a count followed by the word it counts', () => {
		// "{units} units" reads "3 units" but "1 units" (and doubles the word when a name is passed instead): a
		// plain message may not put a parameter before the word it is named after; a message with variants may.
		for (const [key, message] of Object.entries(en)) {
			if (typeof message !== 'string') continue;
			for (const [, name, word] of message.matchAll(/\{(\w+)\} (\w+s)\b/g)) expect(word, `${key}: {${name}} ${word}`).not.toBe(name);
		}
	});

	// Every English message that counts, with 0, 1 and 2: singular for one, plural for none and for more.
	const en_ = { locale: 'en' } as const;
	const counted: [string, (n: number) => string, string, string][] = [
		['results_rows', (n) => m.results_rows({ count: n }, en_), '1 member', '2 members'],
		['setup_audience_unit_count', (n) => m.setup_audience_unit_count({ count: n }, en_), '1 member', '2 members'],
		['setup_audience_size', (n) => m.setup_audience_size({ count: n }, en_), '1 member takes the test', '2 members take the test'],
		['setup_makeup_members', (n) => m.setup_makeup_members({ count: n }, en_), '1 member:', '2 members:'],
		['setup_makeup_created', (n) => m.setup_makeup_created({ count: n }, en_), 'for 1 member.', 'for 2 members.'],
		['dashItems_group_size', (n) => m.dashItems_group_size({ size: n }, en_), '1 member in each group', '2 members in each group'],
		['dashItems_shown', (n) => m.dashItems_shown({ shown: n, total: n, flagged: 0 }, en_), 'of 1 question;', 'of 2 questions;'],
		['dashMembers_summary', (n) => m.dashMembers_summary({ count: n, missed: 0 }, en_), '1 member;', '2 members,'],
		['dashMembers_areas_note', (n) => m.dashMembers_areas_note({ count: n, from: '2026 Q3', to: '2026 Q4' }, en_), 'the last quarter (2026 Q3)', 'the last 2 quarters (2026 Q3 to 2026 Q4)'],
		['dashReport_summary_taking', (n) => m.dashReport_summary_taking({ unit: 'All units', quarter: '2026 Q4', expected: n, takers: n, participation: '100' }, en_), '1 member was to take', '2 members were to take'],
		['dashReport_mean_up', (n) => m.dashReport_mean_up({ delta: n }, en_), 'by 1 percentage point', 'by 2 percentage points'],
		['dashReport_participation_down', (n) => m.dashReport_participation_down({ delta: n }, en_), 'by 1 percentage point', 'by 2 percentage points'],
		['bank_import_confirm', (n) => m.bank_import_confirm({ count: n }, en_), '(1 question)', '(2 questions)'],
		['bank_not_exported', (n) => m.bank_not_exported({ count: n }, en_), '1 fill-in question with several blanks cannot be written to Moodle XML or GIFT and is left', '2 fill-in questions with several blanks cannot be written to Moodle XML or GIFT and are left'],
		['bank_bulk_done', (n) => m.bank_bulk_done({ count: n }, en_), '1 question changed.', '2 questions changed.'],
		['import_confirm', (n) => m.import_confirm({ count: n }, en_), '(1 row)', '(2 rows)'],
		['login_throttled', (n) => m.login_throttled({ seconds: n }, en_), 'in 1 second.', 'in 2 seconds.'],
		['evalRate_review_missing', (n) => m.evalRate_review_missing({ count: n }, en_), '1 item is not', '2 items are not'],
		['evalRate_problem_throttled', (n) => m.evalRate_problem_throttled({ minutes: n }, en_), 'in 1 minute.', 'in 2 minutes.'],
		['evalRate_receipts_count', (n) => m.evalRate_receipts_count({ count: n }, en_), '1 receipt code', '2 receipt codes'],
		['evalResults_phase_trial', (n) => m.evalResults_phase_trial({ count: n }, en_), '1 ballot so far', '2 ballots so far'],
		['evalResults_target_ballots', (n) => m.evalResults_target_ballots({ count: n }, en_), '1 ballot', '2 ballots'],
		['evalSetup_ballots_draft', (n) => m.evalSetup_ballots_draft({ ballots: n }, en_), '1 ballot in', '2 ballots in'],
		['evalSetup_ballots_of', (n) => m.evalSetup_ballots_of({ ballots: n, eligible: 5 }, en_), '1 ballot in of 5', '2 ballots in of 5'],
		['evalSetup_ballots_in', (n) => m.evalSetup_ballots_in({ count: n }, en_), '1 ballot in.', '2 ballots in.'],
		['evalSetup_trial_started', (n) => m.evalSetup_trial_started({ eligible: n }, en_), '1 member may rate', '2 members may rate'],
		['evalSetup_live_started', (n) => m.evalSetup_live_started({ eligible: n }, en_), '1 member may rate', '2 members may rate'],
		['evalSetup_slips_heading', (n) => m.evalSetup_slips_heading({ count: n, group: 'A' }, en_), '1 code for', '2 codes for'],
		['evalSetup_batch_voided_count', (n) => m.evalSetup_batch_voided_count({ count: n, batch: '1' }, en_), '1 unused code of', '2 unused codes of'],
		['evalSetup_batch_void_hint', (n) => m.evalSetup_batch_void_hint({ count: n }, en_), '1 code of this batch is unused. Once voided it', '2 codes of this batch are unused. Once voided they'],
		['results_regrade_items', (n) => m.results_regrade_items({ count: n }, en_), 'on 1 paper', 'on 2 papers'],
		['results_question_points', (n) => m.results_question_points({ points: n }, en_), '(1 pt)', '(2 pts)'],
		['results_entry_error_summary', (n) => m.results_entry_error_summary({ count: n }, en_), '1 answer needs', '2 answers need'],
		['results_paper_section', (n) => m.results_paper_section({ type: 'Single choice', count: n, points: n }, en_), '(1 question, 1 point)', '(2 questions, 2 points)'],
		['setup_paper_summary', (n) => m.setup_paper_summary({ count: n, points: n, pass: 1 }, en_), '1 question, 1 point in all', '2 questions, 2 points in all'],
		['setup_bp_totals', (n) => m.setup_bp_totals({ count: n, points: n, pass: 1 }, en_), '1 question, 1 point in all', '2 questions, 2 points in all'],
		['setup_preview_summary', (n) => m.setup_preview_summary({ count: n, points: n }, en_), '1 question, 1 point', '2 questions, 2 points'],
		['setup_preview_section', (n) => m.setup_preview_section({ count: n, points: n }, en_), '(1 question, 1 point)', '(2 questions, 2 points)'],
		['setup_points_each', (n) => m.setup_points_each({ points: n }, en_), '(1 pt)', '(2 pts)'],
		['take_unanswered_count', (n) => m.take_unanswered_count({ n }, en_), '1 question is unanswered', '2 questions are unanswered'],
		['take_earned', (n) => m.take_earned({ earned: 0, points: n }, en_), 'of 1 point', 'of 2 points'],
		['take_minutes', (n) => m.take_minutes({ n }, en_), '1 minute', '2 minutes'],
		['take_pass_mark_is', (n) => m.take_pass_mark_is({ points: n }, en_), 'Pass mark: 1 point', 'Pass mark: 2 points'],
		['take_questions_points', (n) => m.take_questions_points({ n, points: n }, en_), '1 question, 1 point', '2 questions, 2 points'],
		['take_score_of', (n) => m.take_score_of({ score: 0, max: n }, en_), 'of 1 point', 'of 2 points'],
		['take_short_window', (n) => m.take_short_window({ closes: '21:30', minutes: n, duration: '30' }, en_), 'about 1 minute,', 'about 2 minutes,']
	];

	it.each(counted)('%s: singular for 1, plural for 0 and 2', (_, say, one, two) => {
		expect(say(1)).toContain(one);
		expect(say(2)).toContain(two);
		// Zero is plural in English ("0 members"); the form for 2 with 0 in its place.
		expect(say(0)).toContain(two.replace(/\b2\b/g, '0'));
		// Counts arrive as text too (String(n) in the pages): the same forms.
		expect(say('1' as unknown as number)).toBe(say(1));
	});

	// The test-taking page's messages say a count after a label instead ("Points: 1"), so that page ships no
	// plural rules: its JavaScript has a budget of 60 KB.
	it.each([
		['take_confirm_unanswered', (n: number) => m.take_confirm_unanswered({ n, list: '3' }, en_), 'Unanswered questions (1)'],
		['take_points', (n: number) => m.take_points({ points: n }, en_), 'Points: 1'],
		['take_status_offline', (n: number) => m.take_status_offline({ n }, en_), 'Changes waiting: 1;'],
		['take_status_unreachable', (n: number) => m.take_status_unreachable({ n }, en_), 'Changes kept on this device: 1;']
	] as const)('%s: the count after a label, right for any number', (_, say, one) => {
		expect(say(1)).toContain(one);
		expect(say(2)).toContain(one.replace('1', '2'));
	});

	it('say the count as it is in Chinese, with no plural forms', () => {
		expect(m.setup_audience_size({ count: 1 }, { locale: 'zh-CN' })).toContain('1');
		expect(m.setup_audience_size({ count: 2 }, { locale: 'zh-CN' })).toBe(m.setup_audience_size({ count: 1 }, { locale: 'zh-CN' }).replace('1', '2'));
	});
});
