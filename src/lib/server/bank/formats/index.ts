import { decodeText } from '../../decode';
import { readAiken } from './aiken';
import { readGift } from './gift';
import { readMoodleXml } from './moodle-xml';
import { readQuestionSheet } from './template';
import { maxQuestionFileBytes, type ParseResult } from '../types';

export type QuestionFileFormat = 'auto' | 'sheet' | 'moodle' | 'gift' | 'aiken';
export const questionFileFormats: QuestionFileFormat[] = ['auto', 'sheet', 'moodle', 'gift', 'aiken'];

export { decodeText };

/** Which reader a file goes to when the person chose "automatic": by extension, and for .txt by its content. */
export function detectFormat(fileName: string, bytes: Uint8Array): Exclude<QuestionFileFormat, 'auto'> {
	const name = fileName.toLowerCase();
	if (name.endsWith('.xlsx') || name.endsWith('.csv')) return 'sheet';
	if (name.endsWith('.xml')) return 'moodle';
	if (name.endsWith('.gift')) return 'gift';
	const head = decodeText(bytes.subarray(0, 64 * 1024));
	return /^\s*ANSWER\s*[:：]/im.test(head) && !head.includes('{') ? 'aiken' : 'gift';
}

export async function readQuestionFile(bytes: Uint8Array, fileName: string, format: QuestionFileFormat = 'auto'): Promise<ParseResult> {
	if (bytes.byteLength > maxQuestionFileBytes) {
		return { questions: [], problems: [{ line: 1, code: 'file_too_large' }], skipped: [] };
	}
	const chosen = format === 'auto' ? detectFormat(fileName, bytes) : format;
	switch (chosen) {
		case 'sheet':
			return readQuestionSheet(bytes, fileName);
		case 'moodle':
			return readMoodleXml(decodeText(bytes));
		case 'gift':
			return readGift(decodeText(bytes));
		case 'aiken':
			return readAiken(decodeText(bytes));
	}
}
