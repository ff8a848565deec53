import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase } from '../testing/db';
import { listAreas } from './areas';
import { checkDraft } from './check';
import { sourceDocuments } from './documents';
import { toDraft } from './export';
import { coverage, listQuestions, type QuestionView } from './questions';
import { loadStarterBank } from './starter';
import { existsSync, readFileSync } from 'node:fs';

// The starter bank that ships with the product: loaded through the real import, then checked question by
// question. A wrong key or a missing source here would be taught to every member of every installation.

let db: Db;
let questions: QuestionView[];
let created: number;
beforeAll(async () => {
	db = (await freshDatabase()).db;
	created = (await loadStarterBank(db)).created;
	questions = (await listQuestions(db, { limit: 10_000 })).items;
});
afterAll(() => db.destroy());

// The five source documents live beside the repository (../shared/seeds), not in it. A clone without them still
// runs every other check; only the word-for-word quote check needs the texts.
const seedFiles: Record<string, string> = { '000': '000_d9f29cac4bba3af8', '001': '001_81b6bca208e94964', '002': '002_7f7130ab99cef131', '003': '003_c317a3dcdd87f187', '004': '004_3a5b462bcacf0b12' };
const seedPath = (code: string) => `../shared/seeds/${seedFiles[code]}.txt`;
const seedsPresent = sourceDocuments.every((d) => existsSync(seedPath(d.code)));
const documents = new Map(sourceDocuments.map((d) => [d.code, seedsPresent ? readFileSync(seedPath(d.code), 'utf8') : '']));

describe('the starter bank', () => {
	it('has at least 200 questions, all loaded and active', () => {
		expect(created).toBeGreaterThanOrEqual(200);
		expect(questions).toHaveLength(created);
		expect(questions.every((q) => q.status === 'active')).toBe(true);
	});

	it('gives every question a source in one of the five documents, a valid key and at least one area', async () => {
		const codeOf = new Map((await listAreas(db)).map((a) => [a.id, a.code]));
		for (const q of questions) {
			expect(q.source, q.stem).not.toBeNull();
			expect(documents.has(q.source?.document ?? ''), q.stem).toBe(true);
			expect(q.source?.section.trim(), q.stem).not.toBe('');
			expect(q.areaIds.length, q.stem).toBeGreaterThan(0);
			expect(checkDraft(toDraft(q, codeOf)), q.stem).toEqual({});
		}
	});

	it.skipIf(!seedsPresent)('quotes its documents word for word', () => {
		const squash = (s: string) => s.replace(/\s+/g, '');
		for (const q of questions) {
			if (!q.source?.quote) continue;
			expect(squash(documents.get(q.source.document) ?? ''), `${q.stem} / ${q.source.quote}`).toContain(squash(q.source.quote));
		}
	});

	it('covers every question type, every difficulty and every content area', async () => {
		expect(new Set(questions.map((q) => q.type))).toEqual(new Set(['single', 'multiple', 'true_false', 'fill']));
		expect(new Set(questions.map((q) => q.difficulty))).toEqual(new Set(['easy', 'medium', 'hard']));
		// Every one of DESIGN.md's 13 areas names a document section that supports it, so none may be empty.
		const cells = await coverage(db);
		const areas = await listAreas(db);
		const empty = areas.filter((a) => !cells.some((c) => c.areaId === a.id && c.count > 0)).map((a) => a.code);
		expect(empty).toEqual([]);
	});
});
