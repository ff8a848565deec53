import { m } from '$lib/paraglide/messages';

import type { Difficulty, QuestionStatus, QuestionType } from '$lib/types';

// Names of the bank's codes in the reader's language, for pages and components.

export const typeLabel: Record<QuestionType, () => string> = {
	single: () => m.qtype_single(),
	multiple: () => m.qtype_multiple(),
	true_false: () => m.qtype_true_false(),
	fill: () => m.qtype_fill()
};
export const difficultyLabel: Record<Difficulty, () => string> = {
	easy: () => m.difficulty_easy(),
	medium: () => m.difficulty_medium(),
	hard: () => m.difficulty_hard()
};
export const statusLabel: Record<QuestionStatus, () => string> = {
	draft: () => m.qstatus_draft(),
	active: () => m.qstatus_active(),
	retired: () => m.qstatus_retired()
};
export const letters = 'ABCDEFGH';

/** An area's name in the reader's language. */
export function areaName(area: { nameZh: string; nameEn: string }, locale: string): string {
	return locale === 'en' ? area.nameEn : area.nameZh;
}
