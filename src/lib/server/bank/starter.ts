import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Db } from '../db';
import { readQuestionSheet } from './formats/template';
import { applyQuestionImport, planQuestionImport, type ImportOptions } from './import';

// The starter bank: questions written from the five source documents (../shared/seeds/), each citing its
// document and section and checked by a second reader. Kept as CSV in the import template's columns, so the
// same files load into the demo and import on a real installation through the ordinary import preview.
// Read from the source tree: the server runs from the repository (npm start), as the README says.
export const starterDir = resolve(process.cwd(), 'src/lib/server/bank/starter');

export const starterOptions: ImportOptions = { duplicates: 'skip', defaultDifficulty: 'medium', status: 'active', categoryAreas: {}, fileArea: null, questionAreas: {} };

/** All starter files as one CSV (one header), the way the import page previews them. */
export function starterBankCsv(dir = starterDir): string {
	const files = readdirSync(dir)
		.filter((f) => f.endsWith('.csv'))
		.sort();
	let header = '';
	const rows: string[] = [];
	for (const file of files) {
		const lines = readFileSync(join(dir, file), 'utf8').replace(/^\ufeff/, '').replace(/\r\n/g, '\n').split('\n');
		header ||= lines[0] ?? '';
		// Rows may hold quoted line breaks, so the body is kept whole rather than split into lines.
		const body = lines.slice(1).join('\n').trim();
		if (body) rows.push(body);
	}
	return `\ufeff${header}\n${rows.join('\n')}\n`;
}

/** Loads the starter bank into a bank (the demo seed); questions already there are skipped. */
export async function loadStarterBank(db: Db): Promise<{ created: number }> {
	const bytes = new TextEncoder().encode(starterBankCsv());
	const parsed = await readQuestionSheet(bytes, 'starter.csv');
	const plan = await planQuestionImport(db, parsed, starterOptions);
	if (plan.problems.length > 0) {
		throw new Error(`the starter bank has ${plan.problems.length} problems, first: ${JSON.stringify(plan.problems[0])}`);
	}
	const result = await applyQuestionImport(db, null, parsed, starterOptions, plan.fingerprint);
	if (!result.ok) throw new Error(`the starter bank did not load: ${result.reason}`);
	return { created: result.created };
}
