// Feedback written with a question in Moodle XML or GIFT: a general text, and a text per answer. kaoping keeps
// both in the question's explanation (解析), which a member reads with the right answer: the general feedback
// first, then one line per answer that has feedback, labelled by the answer, 【A】…【H】 for options, 【对】/【错】
// for true/false, 【北京】 (the accepted answer itself) for fill-in. The writers read the lines back out
// (splitFeedback), so a question exported to GIFT or Moodle XML and imported again has the same explanation.
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).

export type AnswerFeedback = { label: string; text: string };

export const trueLabel = '对';
export const falseLabel = '错';

/** A, B, … for the option at `index` (0-based). */
export function optionLabel(index: number): string {
	return String.fromCharCode(65 + index);
}

/** One line per answer: a line break inside a feedback would end its line, so it becomes a space. */
function oneLine(text: string): string {
	return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** The explanation for a general feedback and the answers' own; answers without feedback have no line. */
export function joinFeedback(general: string, perAnswer: AnswerFeedback[]): string {
	const lines = perAnswer.filter((f) => oneLine(f.text) !== '').map((f) => `【${f.label}】${oneLine(f.text)}`);
	return [general.trim(), ...lines].filter((part) => part !== '').join('\n');
}

/**
 * The general feedback and the answers' own from an explanation: the trailing lines `【label】text` whose label
 * is one of `labels` (the question's answers), in order; everything before them is the general feedback. An
 * explanation written by hand that ends in such a line reads the same way, which is what the committee meant.
 */
export function splitFeedback(explanation: string, labels: string[]): { general: string; perAnswer: AnswerFeedback[] } {
	const known = new Set(labels);
	const lines = explanation.split('\n');
	const perAnswer: AnswerFeedback[] = [];
	while (lines.length > 0) {
		const match = /^【([^】]+)】(.*)$/.exec(lines[lines.length - 1] ?? '');
		if (!match || !known.has(match[1] as string)) break;
		perAnswer.unshift({ label: match[1] as string, text: (match[2] as string).trim() });
		lines.pop();
	}
	return { general: lines.join('\n').trim(), perAnswer };
}
