import { detectFormat, readQuestionFile, questionFileFormats, type QuestionFileFormat } from './formats';
import { couldBeQuestionFile } from './formats/sniff';
import type { ImportOptions } from './import';
import { difficulties, maxQuestionFileBytes, type Difficulty, type ParseResult } from './types';
import { text } from '../form';

export type QuestionUpload =
	| { ok: true; fileName: string; format: QuestionFileFormat; bytes: Uint8Array; parsed: ParseResult; options: ImportOptions }
	| { ok: false; code: 'file_too_large' | 'file_empty' }
	| { ok: false; code: 'not_question_file'; fileName: string };

/**
 * The import form: the file (uploaded, or carried back as base64 by the preview's confirm form) and the
 * choices made in the preview (duplicates, default difficulty, status, category → area mapping, the area for the
 * whole file and per question).
 */
export async function readQuestionUpload(form: FormData): Promise<QuestionUpload> {
	const upload = form.get('file');
	let bytes: Uint8Array;
	let fileName: string;
	if (upload instanceof File && upload.size > 0) {
		if (upload.size > maxQuestionFileBytes) return { ok: false, code: 'file_too_large' };
		bytes = new Uint8Array(await upload.arrayBuffer());
		fileName = upload.name;
	} else {
		const carried = form.get('fileData');
		if (typeof carried !== 'string' || carried.length === 0) return { ok: false, code: 'file_empty' };
		if (carried.length > (maxQuestionFileBytes * 4) / 3 + 4) return { ok: false, code: 'file_too_large' };
		bytes = new Uint8Array(Buffer.from(carried, 'base64'));
		const name = form.get('fileName');
		fileName = typeof name === 'string' ? name.slice(0, 1000) : '';
	}
	// Whatever format was chosen: a picture or an archive read as text only yields garbage rows.
	if (!couldBeQuestionFile(bytes)) return { ok: false, code: 'not_question_file', fileName };
	const format = text(form, 'format') as QuestionFileFormat;
	// Resolved once, at the first upload, and carried with the file: confirming must read it the same way.
	const chosen = questionFileFormats.includes(format) && format !== 'auto' ? format : detectFormat(fileName, bytes);
	const difficulty = text(form, 'defaultDifficulty') as Difficulty;
	const categoryAreas: Record<string, string> = {};
	const questionAreas: Record<string, string> = {};
	for (const [key, value] of form.entries()) {
		if (typeof value !== 'string' || !value) continue;
		if (key.startsWith('category:')) categoryAreas[key.slice('category:'.length)] = value;
		else if (key.startsWith('question:')) questionAreas[key.slice('question:'.length)] = value;
	}
	return {
		ok: true,
		fileName,
		format: chosen,
		bytes,
		parsed: await readQuestionFile(bytes, fileName, chosen),
		options: {
			duplicates: text(form, 'duplicates') === 'update' ? 'update' : 'skip',
			defaultDifficulty: difficulties.includes(difficulty) ? difficulty : 'medium',
			status: text(form, 'status') === 'draft' ? 'draft' : 'active',
			categoryAreas,
			fileArea: text(form, 'fileArea') || null,
			questionAreas
		}
	};
}
