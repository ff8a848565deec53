import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readMemberFile } from './org/member-file';
import { checkZipBudget } from './spreadsheet';

/** A zip with one deflated entry; `declared` is the uncompressed size the headers claim (a bomb may lie). */
function zip(name: string, content: Buffer, declared = content.byteLength): Uint8Array {
	const data = deflateRawSync(content, { level: 9 });
	const nameBytes = Buffer.from(name);
	const crc = crc32(content);
	const local = Buffer.alloc(30);
	local.writeUInt32LE(0x04034b50, 0);
	local.writeUInt16LE(20, 4);
	local.writeUInt16LE(8, 8);
	local.writeUInt32LE(crc, 14);
	local.writeUInt32LE(data.byteLength, 18);
	local.writeUInt32LE(declared, 22);
	local.writeUInt16LE(nameBytes.byteLength, 26);
	const central = Buffer.alloc(46);
	central.writeUInt32LE(0x02014b50, 0);
	central.writeUInt16LE(20, 4);
	central.writeUInt16LE(20, 6);
	central.writeUInt16LE(8, 10);
	central.writeUInt32LE(crc, 16);
	central.writeUInt32LE(data.byteLength, 20);
	central.writeUInt32LE(declared, 24);
	central.writeUInt16LE(nameBytes.byteLength, 28);
	central.writeUInt32LE(0, 42);
	const centralOffset = local.byteLength + nameBytes.byteLength + data.byteLength;
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(1, 8);
	end.writeUInt16LE(1, 10);
	end.writeUInt32LE(central.byteLength + nameBytes.byteLength, 12);
	end.writeUInt32LE(centralOffset, 16);
	return new Uint8Array(Buffer.concat([local, nameBytes, data, central, nameBytes, end]));
}

describe('checkZipBudget', () => {
	it('passes an ordinary workbook', async () => {
		const workbook = new ExcelJS.Workbook();
		workbook.addWorksheet('成员').addRow(['登录名', '姓名', '所属单位']);
		const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
		expect(checkZipBudget(bytes, 25 * 1024 * 1024)).toBe('ok');
	});

	it('refuses a small file that unpacks to more than the budget, even when its headers lie', () => {
		const bomb = Buffer.alloc(60 * 1024 * 1024, '<si><t>a</t></si>');
		const honest = zip('xl/sharedStrings.xml', bomb);
		const lying = zip('xl/sharedStrings.xml', bomb, 100);
		expect(honest.byteLength).toBeLessThan(200 * 1024);
		expect(checkZipBudget(honest, 25 * 1024 * 1024)).toBe('too_large');
		expect(checkZipBudget(lying, 25 * 1024 * 1024)).toBe('too_large');
	});

	it('calls anything that is not a zip unreadable', () => {
		expect(checkZipBudget(new TextEncoder().encode('not a zip at all'), 1000)).toBe('unreadable');
		expect(checkZipBudget(new Uint8Array(0), 1000)).toBe('unreadable');
	});
});

describe('member import of a zip bomb', () => {
	it('answers "too large" without parsing it', async () => {
		const bomb = zip('xl/sharedStrings.xml', Buffer.alloc(200 * 1024 * 1024, '<si><t>a</t></si>'));
		const result = await readMemberFile(bomb, 'members.xlsx');
		expect(result.problems.map((p) => p.code)).toEqual(['file_too_large']);
	});
});
