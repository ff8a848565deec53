// Text normalisation for the bank. NFKC folds full-width letters, digits and punctuation to their half-width
// forms (Ａ→A, １→1, ，→,), which Chinese input methods mix freely.

export const blankMarker = '____';

/** Number of blanks in a fill-in-the-blank stem. */
export function countBlanks(stem: string): number {
	return stem.split(blankMarker).length - 1;
}

/** For matching a typed blank against its accepted alternatives: width-folded, trimmed, spaces collapsed, case-free. */
export function normalizeAnswer(text: string): string {
	return text.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** What search runs over: width-folded and lower-cased, so 'ＡＢＣ' finds 'abc'. */
export function searchText(parts: string[]): string {
	return parts.map((p) => p.normalize('NFKC').toLowerCase()).join('\n');
}

/**
 * Two questions with the same stem and options once spaces and punctuation are ignored are the same question
 * of the same type (the import's duplicate check). Letters, digits and CJK characters are kept; everything
 * else goes.
 */
export function fingerprint(type: string, stem: string, options: string[]): string {
	const squash = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
	// The type is part of it: a true/false and a fill-in question with the same words are different questions.
	return [type, squash(stem), ...options.map(squash)].join('|');
}
