import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { freshDatabase, makeMember, makeUnit } from '../testing/db';
import { planQuestionImport } from './import';
import { readQuestionUpload } from './upload';

let db: Db;
beforeEach(async () => {
	db = (await freshDatabase()).db;
	await makeMember(db, { unitId: await makeUnit(db), roles: ['committee'] });
});
afterEach(() => db.destroy());

function upload(bytes: Uint8Array, name: string, format = 'auto') {
	const form = new FormData();
	form.set('file', new File([new Uint8Array(bytes)], name));
	form.set('format', format);
	return readQuestionUpload(form);
}

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1]);

// A zip holding one text file, the way an archive of notes would arrive.
function zipOf(name: string, content: string): Uint8Array {
	const data = deflateRawSync(Buffer.from(content));
	const fileName = Buffer.from(name);
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(8, 8);
	local.writeUInt32LE(data.byteLength, 18);
	local.writeUInt32LE(content.length, 22);
	local.writeUInt16LE(fileName.byteLength, 26);
	return new Uint8Array(Buffer.concat([local, fileName, data]));
}

async function workbook(): Promise<Uint8Array> {
	const book = new ExcelJS.Workbook();
	book.addWorksheet('题目').addRow(['题型', '题干']);
	return new Uint8Array(await book.xlsx.writeBuffer());
}

describe('readQuestionUpload', () => {
	it('refuses a picture, a PDF, an archive and random bytes as not a question file, naming the file', async () => {
		const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 256);
		const files: [Uint8Array, string][] = [
			[png, '截图.png'],
			[png, 'questions.txt'],
			[new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), 'bank.pdf'],
			[zipOf('notes.txt', '题目'), 'bank.zip'],
			[zipOf('notes.txt', '题目'), 'bank.xlsx'],
			[random, 'data.bin']
		];
		for (const [bytes, name] of files) {
			expect(await upload(bytes, name), name).toEqual({ ok: false, code: 'not_question_file', fileName: name });
		}
		// Choosing a format by hand does not make a picture readable.
		expect(await upload(png, 'q.gift', 'gift')).toEqual({ ok: false, code: 'not_question_file', fileName: 'q.gift' });
	});

	it('still reads workbooks and text in UTF-8, GBK and UTF-16', async () => {
		const gbk = new Uint8Array(readFileSync(new URL('./formats/fixtures/questions-gbk.csv', import.meta.url)));
		const utf16 = new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('::Q1:: 党章是什么？ {=根本大法 ~一般文件}\n', 'utf16le')]));
		const utf8 = new TextEncoder().encode('党的最高领导机关是？\nA. 全国代表大会\nB. 支部\nANSWER: A\n');
		for (const [bytes, name] of [
			[gbk, 'questions-gbk.csv'],
			[utf16, 'q.txt'],
			[utf8, 'aiken.txt'],
			[await workbook(), 'q.xlsx']
		] as const) {
			const result = await upload(bytes, name);
			expect(result.ok, name).toBe(true);
		}
		const aiken = await upload(utf8, 'aiken.txt');
		if (!aiken.ok) throw new Error('aiken not read');
		const plan = await planQuestionImport(db, aiken.parsed, aiken.options);
		expect(plan.problems.map((p) => p.code)).toEqual(['no_area']);
	});
});
