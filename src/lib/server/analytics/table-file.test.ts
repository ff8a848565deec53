import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DataTable } from '$lib/analytics/table';
import { rounded } from '$lib/analytics/table';
import { tableCsv, tableDownload, tableXlsx } from './table-file';

const table: DataTable = {
	id: 'trend',
	caption: '各季度平均分',
	columns: ['季度', '平均分', '备注'],
	rows: [
		['2026年第三季度', 81.5, null],
		['2026年第四季度', -0.25, '=HYPERLINK("x")']
	]
};

describe('table downloads', () => {
	it('writes CSV with a BOM, CRLF lines, empty cells for nulls and formulas defused', () => {
		const csv = tableCsv(table);
		expect(csv.startsWith('\uFEFF季度,平均分,备注\r\n')).toBe(true);
		expect(csv).toContain('2026年第三季度,81.5,\r\n');
		// Numbers stay numbers; a string that starts a formula is prefixed so a spreadsheet shows it as text.
		expect(csv).toContain(`2026年第四季度,-0.25,"'=HYPERLINK(""x"")"`);
	});

	it('writes XLSX whose cells read back as the table', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load((await tableXlsx(table)) as unknown as ArrayBuffer);
		const sheet = workbook.worksheets[0]!;
		expect(sheet.name).toBe('各季度平均分');
		expect(sheet.getRow(1).values).toEqual([undefined, '季度', '平均分', '备注']);
		expect(sheet.getRow(2).values).toEqual([undefined, '2026年第三季度', 81.5]);
		expect(sheet.getRow(3).getCell(2).value).toBe(-0.25);
	});

	it('answers 404 for an unknown table or format', async () => {
		await expect(tableDownload([table], new URL('http://x/?table=nope&format=csv'), 'f')).rejects.toMatchObject({ status: 404 });
		await expect(tableDownload([table], new URL('http://x/?table=trend&format=pdf'), 'f')).rejects.toMatchObject({ status: 404 });
		const response = await tableDownload([table], new URL('http://x/?table=trend&format=csv'), '通报/2026');
		expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('通报_2026-各季度平均分.csv'));
	});

	it('rounds for display', () => {
		expect(rounded(81.25)).toBe(81.3);
		expect(rounded(0.123456, 3)).toBe(0.123);
		expect(rounded(null)).toBeNull();
		expect(rounded(Number.NaN)).toBeNull();
	});
});
