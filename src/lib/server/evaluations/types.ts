// Shapes shared by the evaluation modules and their pages (types only).
import type { EvaluationKind, EvaluationStatus } from '../db/schema';

export type { EvaluationKind, EvaluationStatus };

/** One level of a rating scale (评价等次), best first in a scale; `score` is used for weighted results. */
export type Level = { label: string; score: number };

/** What a rater submits: a level index for every target and criterion, and optional comments per target. */
export type BallotInput = {
	ratings: Record<number, Record<number, number>>;
	comments: Record<number, string>;
};

/** A ballot as stored (JSON in evaluation_ballot.content); keys are target and criterion ids as strings. */
export type BallotContent = {
	ratings: Record<string, Record<string, number>>;
	comments: Record<string, string>;
};

/** A rater is a signed-in member or a one-time ballot code; nothing else about them reaches the ballot. */
export type Rater = { kind: 'member'; memberId: number } | { kind: 'code'; code: string };
