/** A second attempt (or a make-up) draws another paper, still rebuildable from the test's seed, member and number. */
export function paperSeed(seed: string, attemptNumber: number): string {
	return attemptNumber === 1 ? seed : `${seed}#${attemptNumber}`;
}
