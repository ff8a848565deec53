import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { error } from '@sveltejs/kit';
import type { DataTable } from '$lib/analytics/table';
import { fileResponse, xlsxType } from '../download';

// Downloads of a chart's numbers (every dashboard chart offers CSV and XLSX of the table shown under it).

// Lone surrogates and control characters are not allowed in XML; `_x0041_` in cell text would be read back as "A".
const notXmlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** CSV in UTF-8 with a byte-order mark (so Excel on Windows reads the Chinese), CRLF lines. */
export function tableCsv(table: DataTable): string {
	// escapeFormulae: a name such as "=HYPERLINK(…)" typed into the member list must not run in a spreadsheet.
	return '\uFEFF' + Papa.unparse({ fields: table.columns, data: table.rows.map((r) => r.map((c) => c ?? '')) }, { newline: '\r\n', escapeFormulae: true }) + '\r\n';
}

export async function tableXlsx(table: DataTable): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	// Sheet names: at most 31 characters, none of []:*?/\
	const sheet = workbook.addWorksheet(table.caption.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1');
	sheet.addRow(table.columns.map((c) => c.replace(notXmlCharacters, '')));
	sheet.getRow(1).font = { bold: true };
	for (const row of table.rows) sheet.addRow(row.map((c) => (typeof c === 'string' ? c.replace(notXmlCharacters, '').replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_') : c)));
	sheet.columns.forEach((column, i) => {
		const longest = Math.max(...[table.columns[i] ?? '', ...table.rows.map((r) => String(r[i] ?? ''))].map((s) => s.length));
		column.width = Math.min(40, Math.max(8, longest * 2));
	});
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

export function safeFileName(name: string): string {
	return name.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'table';
}

/**
 * The response for `?table=<id>&format=csv|xlsx` on a dashboard's export endpoint: the table of that id among
 * those the page shows, or 404. `fileName` has no extension.
 */
export async function tableDownload(tables: DataTable[], url: URL, fileName: string): Promise<Response> {
	const table = tables.find((t) => t.id === url.searchParams.get('table'));
	const format = url.searchParams.get('format');
	if (!table || (format !== 'csv' && format !== 'xlsx')) error(404, 'not_found');
	const name = safeFileName(`${fileName}-${table.caption}`);
	if (format === 'csv') return fileResponse(new TextEncoder().encode(tableCsv(table)), `${name}.csv`, 'text/csv; charset=utf-8');
	return fileResponse(await tableXlsx(table), `${name}.xlsx`, xlsxType);
}
