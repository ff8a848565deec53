// Member import and export files (.xlsx / .csv). This module only parses and checks cells; whether a unit exists
import { decodeText } from '../decode';
// or a login id is already taken is decided by the caller against the database. Nothing is imported unless the
// whole file is clean, so every problem is collected (with spreadsheet row and column) instead of stopping at the
// first one.
//
// Command-line tasks load this file with tsx, so it must only use relative imports (no $lib, $app, $env).
import ExcelJS from 'exceljs';
import { loadWorkbook } from '../spreadsheet';
import Papa from 'papaparse';
import type { MemberStatus, Role } from '../db/schema';

export type MemberFileColumn =
	| 'loginId'
	| 'name'
	| 'unit'
	| 'roles'
	| 'positionTitle'
	| 'isLeader'
	| 'status';

export type OptionalColumn = 'roles' | 'positionTitle' | 'isLeader' | 'status';

export type MemberFileRow = {
	row: number;
	loginId: string;
	name: string;
	unit: string;
	roles: Role[];
	/**
	 * Optional columns whose cell was empty or which the file does not have. An update keeps the member's
	 * current value for them; a new member gets the default. A file of just 登录名/姓名/所属单位 must not
	 * re-enable disabled accounts or clear positions.
	 */
	blank?: OptionalColumn[];
	positionTitle: string;
	isLeader: boolean;
	status: MemberStatus;
};

export type MemberFileProblemCode =
	| 'file_unreadable'
	| 'file_too_large' // an .xlsx that unpacks to far more than a member list can need
	| 'file_type'
	| 'no_rows'
	| 'too_many_rows'
	| 'missing_column'
	| 'required'
	| 'too_long'
	| 'invalid_login_id'
	| 'invalid_role'
	| 'invalid_yes_no'
	| 'invalid_status'
	| 'duplicate_in_file';

/**
 * `value` is always what was found in the file: the cell text, the unknown role word, the duplicated login id,
 * the file's extension (file_type) or the number of data rows (too_many_rows).
 */
export type MemberFileProblem = {
	row: number | null;
	column: MemberFileColumn | null;
	code: MemberFileProblemCode;
	value?: string;
	otherRow?: number;
};

export const memberFileColumns: { key: MemberFileColumn; zh: string; en: string; required: boolean }[] = [
	{ key: 'loginId', zh: '登录名', en: 'Login ID', required: true },
	{ key: 'name', zh: '姓名', en: 'Name', required: true },
	{ key: 'unit', zh: '所属单位', en: 'Unit', required: true },
	{ key: 'roles', zh: '角色', en: 'Roles', required: false },
	{ key: 'positionTitle', zh: '职务', en: 'Position', required: false },
	{ key: 'isLeader', zh: '被测评领导', en: 'Evaluated leader', required: false },
	{ key: 'status', zh: '状态', en: 'Status', required: false }
];

const maxDataRows = 5000;
const maxLength: Record<'loginId' | 'name' | 'unit' | 'positionTitle', number> = {
	loginId: 64,
	name: 50,
	unit: 200,
	positionTitle: 50
};
const loginIdPattern = /^[A-Za-z0-9._\-@]{2,}$/;

const roleOrder: Role[] = ['member', 'secretary', 'committee'];
const roleWordsOut: Record<Role, string> = { member: '党员', secretary: '支部书记', committee: '党委' };
const roleWordsIn: Record<string, Role> = {
	党员: 'member',
	member: 'member',
	支部书记: 'secretary',
	书记: 'secretary',
	secretary: 'secretary',
	党委: 'committee',
	committee: 'committee'
};
// Chinese users often type 、，； or a full-width space; \s covers U+3000.
const roleSeparators = /[、,，;；\s]+/u;

// √ and ✔ are what Chinese spreadsheets usually contain when someone "ticks" a cell, next to the listed ✓.
const yesWords = new Set(['是', 'yes', 'y', '1', 'true', '✓', '✔', '√']);
const noWords = new Set(['否', 'no', 'n', '0', 'false']);
const statusWords: Record<string, MemberStatus> = {
	正常: 'active',
	active: 'active',
	停用: 'disabled',
	disabled: 'disabled'
};
const statusWordsOut: Record<MemberStatus, string> = { active: '正常', disabled: '停用' };

/** A cell reduced to what matters for parsing; xlsx number cells stay numbers so login ids can be checked. */
type Cell = string | number | boolean | Date | null;
type SheetRow = { row: number; cells: Cell[] };

// String.prototype.trim already removes U+3000, U+00A0 and U+FEFF; the zero-width space comes with text
// pasted from web pages and is not whitespace to JavaScript.
function trimCell(text: string): string {
	return text.replace(/^[\s\u200b]+|[\s\u200b]+$/gu, '');
}

function charCount(text: string): number {
	// Rare characters in names are outside the BMP; count what a person sees, not UTF-16 units.
	return [...text].length;
}

function cellText(cell: Cell): string {
	if (cell === null) return '';
	if (typeof cell === 'string') return trimCell(cell);
	if (typeof cell === 'number') return String(cell);
	if (typeof cell === 'boolean') return cell ? 'true' : 'false';
	return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
}

function isBlank(cell: Cell): boolean {
	return cellText(cell) === '';
}

function fromExcelValue(value: ExcelJS.CellValue): Cell {
	if (value === null || value === undefined) return null;
	if (
		typeof value === 'string' ||
		typeof value === 'number' ||
		typeof value === 'boolean' ||
		value instanceof Date
	) {
		return value;
	}
	if ('richText' in value) return value.richText.map((part) => part.text).join('');
	// Excel turns typed e-mail addresses into hyperlinks; the text is what the person typed. ExcelJS may
	// hand over rich text as the hyperlink text, so that goes through the same path.
	if ('hyperlink' in value) return fromExcelValue(value.text);
	if ('formula' in value || 'sharedFormula' in value) {
		return value.result === undefined ? null : fromExcelValue(value.result);
	}
	if ('error' in value) return value.error;
	return null;
}

async function readXlsx(bytes: Uint8Array): Promise<SheetRow[] | 'too_large' | null> {
	// A 5,000-row member list unpacks to a few megabytes; anything far larger is refused unread.
	const loaded = await loadWorkbook(bytes, 25 * 1024 * 1024);
	if (!loaded.ok) return loaded.reason === 'too_large' ? 'too_large' : null;
	const workbook = loaded.workbook;
	// worksheets[] is in tab order; getWorksheet(1) goes by internal id, which need not be the first tab.
	const sheet = workbook.worksheets[0];
	if (!sheet) return null;
	const rows: SheetRow[] = [];
	sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const cells: Cell[] = [];
		row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
			cells[colNumber - 1] = fromExcelValue(cell.value);
		});
		// eachCell leaves holes for empty cells; a sparse array would make `cells[i]` lie about its type.
		rows.push({ row: rowNumber, cells: Array.from(cells, (c) => c ?? null) });
	});
	return rows;
}

function headerKey(cell: Cell): MemberFileColumn | null {
	const text = cellText(cell).toLowerCase();
	if (text === '') return null;
	return memberFileColumns.find((c) => c.zh === text || c.en.toLowerCase() === text)?.key ?? null;
}

function readCsv(bytes: Uint8Array): { rows: SheetRow[] } | { problem: MemberFileProblem } {
	const text = decodeText(bytes);
	if (trimCell(text) === '') return { problem: { row: null, column: null, code: 'file_unreadable' } };
	// European-locale Excel writes ';' and some people save tab-separated text as .csv. Papa's own guess can
	// be fooled by role lists such as "党员;书记", so the delimiter that yields the most known headers wins.
	let best: { data: string[][]; errors: Papa.ParseError[]; score: number } | null = null;
	for (const delimiter of [',', '\t', ';']) {
		const parsed = Papa.parse<string[]>(text, { delimiter, skipEmptyLines: false });
		const header = parsed.data.find((cells) => cells.some((c) => trimCell(c) !== ''));
		const score = new Set((header ?? []).map(headerKey).filter((k) => k !== null)).size;
		if (!best || score > best.score) best = { data: parsed.data, errors: parsed.errors, score };
	}
	if (!best) return { problem: { row: null, column: null, code: 'file_unreadable' } };
	// An unclosed quote swallows the rest of the file into one cell; what follows cannot be trusted.
	const quoteError = best.errors.find((e) => e.type === 'Quotes');
	if (quoteError) {
		return {
			problem: {
				row: typeof quoteError.row === 'number' ? quoteError.row + 1 : null,
				column: null,
				code: 'file_unreadable'
			}
		};
	}
	return { rows: best.data.map((cells, i) => ({ row: i + 1, cells })) };
}

function fileExtension(fileName: string): string {
	const dot = fileName.lastIndexOf('.');
	return dot < 0 ? '' : fileName.slice(dot).toLowerCase();
}

/** A row with problems in its cells: left out of `rows`, but what could be read of it is kept here. */
export type RejectedRow = { row: number; loginId: string | null; unit: string | null };
export type MemberFile = { rows: MemberFileRow[]; problems: MemberFileProblem[]; rejected?: RejectedRow[] };

export async function readMemberFile(bytes: Uint8Array, fileName: string): Promise<MemberFile> {
	const extension = fileExtension(trimCell(fileName));
	if (extension !== '.xlsx' && extension !== '.csv') {
		return { rows: [], problems: [{ row: null, column: null, code: 'file_type', value: extension }] };
	}
	const unreadable = { rows: [], problems: [{ row: null, column: null, code: 'file_unreadable' as const }] };
	if (bytes.byteLength === 0) return unreadable;

	let sheetRows: SheetRow[];
	if (extension === '.xlsx') {
		const rows = await readXlsx(bytes);
		if (rows === 'too_large') return { rows: [], problems: [{ row: null, column: null, code: 'file_too_large' }] };
		if (!rows) return unreadable;
		sheetRows = rows;
	} else {
		const result = readCsv(bytes);
		if ('problem' in result) return { rows: [], problems: [result.problem] };
		sheetRows = result.rows;
	}
	return checkRows(sheetRows);
}

function checkRows(sheetRows: SheetRow[]): MemberFile {
	// Normally row 1; blank rows above the header are tolerated so the row numbers still match the sheet.
	const headerIndex = sheetRows.findIndex((r) => r.cells.some((c) => !isBlank(c)));
	const header = sheetRows[headerIndex];
	if (!header) return { rows: [], problems: [{ row: null, column: null, code: 'file_unreadable' }] };

	const positions = new Map<MemberFileColumn, number>();
	header.cells.forEach((cell, index) => {
		const key = headerKey(cell);
		// With both the Chinese and the English header present, the leftmost one counts.
		if (key && !positions.has(key)) positions.set(key, index);
	});
	const missing = memberFileColumns.filter((c) => c.required && !positions.has(c.key));
	if (missing.length > 0) {
		// Without a required column every row would repeat the same complaint; the header is the one problem.
		return {
			rows: [],
			problems: missing.map((c) => ({ row: header.row, column: c.key, code: 'missing_column' }))
		};
	}

	const cellOf = (r: SheetRow, key: MemberFileColumn): Cell => {
		const index = positions.get(key);
		return index === undefined ? null : (r.cells[index] ?? null);
	};
	// Only the columns read here decide whether a row is empty: a note in an ignored column is not a member.
	const dataRows = sheetRows
		.slice(headerIndex + 1)
		.filter((r) => memberFileColumns.some((c) => !isBlank(cellOf(r, c.key))));
	if (dataRows.length === 0) return { rows: [], problems: [{ row: null, column: null, code: 'no_rows' }] };
	if (dataRows.length > maxDataRows) {
		return {
			rows: [],
			problems: [{ row: null, column: null, code: 'too_many_rows', value: String(dataRows.length) }]
		};
	}

	const rows: MemberFileRow[] = [];
	const rejected: RejectedRow[] = [];
	const problems: MemberFileProblem[] = [];
	const firstRowOfLoginId = new Map<string, number>();
	for (const sheetRow of dataRows) {
		const rowProblems: MemberFileProblem[] = [];
		const report: Report = (column, code, value, otherRow) => {
			const problem: MemberFileProblem = { row: sheetRow.row, column, code };
			if (value !== undefined) problem.value = value;
			if (otherRow !== undefined) problem.otherRow = otherRow;
			rowProblems.push(problem);
		};

		const loginId = checkLoginId(cellOf(sheetRow, 'loginId'), report);
		if (loginId !== null) {
			const folded = loginId.toLowerCase();
			const earlier = firstRowOfLoginId.get(folded);
			if (earlier === undefined) firstRowOfLoginId.set(folded, sheetRow.row);
			else report('loginId', 'duplicate_in_file', loginId, earlier);
		}
		const name = checkText(cellOf(sheetRow, 'name'), 'name', true, report);
		const unitText = cellText(cellOf(sheetRow, 'unit'))
			.replace(/／/gu, '/')
			.replace(/\s*\/\s*/gu, '/');
		const unit = checkText(unitText, 'unit', true, report);
		const roles = checkRoles(cellText(cellOf(sheetRow, 'roles')), report);
		const blank = (['roles', 'positionTitle', 'isLeader', 'status'] as const).filter((key) => cellText(cellOf(sheetRow, key)) === '');
		const positionTitle = checkText(cellOf(sheetRow, 'positionTitle'), 'positionTitle', false, report);
		const isLeader = checkYesNo(cellText(cellOf(sheetRow, 'isLeader')), report);
		const status = checkStatus(cellText(cellOf(sheetRow, 'status')), report);

		if (rowProblems.length > 0) {
			problems.push(...rowProblems);
			// Still named, so the database checks (unit exists, in scope) can report this row's other problems too.
			rejected.push({ row: sheetRow.row, loginId, unit });
			continue;
		}
		rows.push({
			row: sheetRow.row,
			loginId: loginId ?? '',
			name: name ?? '',
			unit: unit ?? '',
			roles,
			...(blank.length > 0 ? { blank: [...blank] } : {}),
			positionTitle: positionTitle ?? '',
			isLeader: isLeader ?? false,
			status: status ?? 'active'
		});
	}
	return { rows, problems, rejected };
}

type Report = (
	column: MemberFileColumn,
	code: MemberFileProblemCode,
	value?: string,
	otherRow?: number
) => void;

/** The trimmed login id, or null when the cell has a problem (already reported). */
function checkLoginId(cell: Cell, report: Report): string | null {
	if (typeof cell === 'number') {
		// A phone number typed into a General-format xlsx cell arrives as a number; String() of a safe integer
		// never uses exponent notation. Anything else (1.5, 1e20) has already lost digits.
		if (!Number.isSafeInteger(cell) || cell < 0) {
			report('loginId', 'invalid_login_id', String(cell));
			return null;
		}
		cell = String(cell);
	}
	const text = cellText(cell);
	if (text === '') {
		report('loginId', 'required');
		return null;
	}
	if (charCount(text) > maxLength.loginId) {
		report('loginId', 'too_long', text);
		return null;
	}
	// Also catches "1.38001E+10", which is what Excel saves after it has shown a long number in a CSV.
	if (!loginIdPattern.test(text)) {
		report('loginId', 'invalid_login_id', text);
		return null;
	}
	return text;
}

function checkText(
	cell: Cell,
	column: 'name' | 'unit' | 'positionTitle',
	required: boolean,
	report: Report
): string | null {
	const text = cellText(cell);
	if (text === '' && required) {
		report(column, 'required');
		return null;
	}
	if (charCount(text) > maxLength[column]) {
		report(column, 'too_long', text);
		return null;
	}
	return text;
}

function checkRoles(text: string, report: Report): Role[] {
	const found = new Set<Role>(['member']);
	for (const word of text.split(roleSeparators)) {
		if (word === '') continue;
		// Own properties only: a cell saying `constructor` must be an unknown word, not Object's function.
		const role = Object.hasOwn(roleWordsIn, word.toLowerCase()) ? roleWordsIn[word.toLowerCase()] : undefined;
		if (role) found.add(role);
		else report('roles', 'invalid_role', word);
	}
	return roleOrder.filter((r) => found.has(r));
}

function checkYesNo(text: string, report: Report): boolean | null {
	const word = text.toLowerCase();
	if (word === '' || noWords.has(word)) return false;
	if (yesWords.has(word)) return true;
	report('isLeader', 'invalid_yes_no', text);
	return null;
}

function checkStatus(text: string, report: Report): MemberStatus | null {
	if (text === '') return 'active';
	const status = Object.hasOwn(statusWords, text.toLowerCase()) ? statusWords[text.toLowerCase()] : undefined;
	if (status) return status;
	report('status', 'invalid_status', text);
	return null;
}

// Example rows use an invented unit on purpose: if someone forgets to delete them, the import stops at
// "unit not found" instead of silently creating 张三 and 李四.
const exampleRows: Omit<MemberFileRow, 'row'>[] = [
	{
		loginId: 'T2024001',
		name: '张三',
		unit: '某县教育工委/县第一中学党总支/第一支部',
		roles: ['member'],
		positionTitle: '教师',
		isLeader: false,
		status: 'active'
	},
	{
		loginId: '13800138000',
		name: '李四',
		unit: '某县教育工委/县第一中学党总支/第一支部',
		roles: ['member', 'secretary'],
		positionTitle: '校长',
		isLeader: true,
		status: 'active'
	}
];

function rowCells(row: Omit<MemberFileRow, 'row'>): Record<MemberFileColumn, string> {
	// Every member holds the member role (the import adds it anyway), so 党员 is always written.
	const roles = new Set<Role>(['member', ...row.roles]);
	return {
		loginId: row.loginId,
		name: row.name,
		unit: row.unit,
		roles: roleOrder
			.filter((r) => roles.has(r))
			.map((r) => roleWordsOut[r])
			.join('、'),
		positionTitle: row.positionTitle,
		isLeader: row.isLeader ? '是' : '否',
		status: statusWordsOut[row.status]
	};
}

export function csvTemplate(): string {
	const data = [
		memberFileColumns.map((c) => c.zh),
		...exampleRows.map((r) => {
			const cells = rowCells(r);
			return memberFileColumns.map((c) => cells[c.key]);
		})
	];
	// The BOM is what makes Excel open a UTF-8 CSV as UTF-8 instead of the local code page; CRLF is what it writes.
	return '\uFEFF' + Papa.unparse(data, { newline: '\r\n' }) + '\r\n';
}

const columnWidths: Record<MemberFileColumn, number> = {
	loginId: 18,
	name: 12,
	unit: 44,
	roles: 20,
	positionTitle: 14,
	isLeader: 12,
	status: 10
};

function addMemberSheet(workbook: ExcelJS.Workbook, rows: Omit<MemberFileRow, 'row'>[]): void {
	const sheet = workbook.addWorksheet('成员', { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = memberFileColumns.map((c) => ({
		header: c.zh,
		key: c.key,
		width: columnWidths[c.key],
		// Text format keeps phone numbers and 工号 with leading zeros as typed in rows added later by hand.
		style: c.key === 'loginId' ? { numFmt: '@' } : {}
	}));
	sheet.getRow(1).font = { bold: true };
	for (const row of rows) {
		const cells = rowCells(row);
		// Strings stay strings in ExcelJS (a leading '=' does not become a formula), so exported text is inert.
		sheet.addRow(memberFileColumns.map((c) => (cells[c.key] === '' ? null : cells[c.key])));
	}
}

async function toBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
	const buffer = await workbook.xlsx.writeBuffer();
	return new Uint8Array(buffer);
}

const columnHelp: Record<MemberFileColumn, string> = {
	loginId: '必填。工号或手机号，成员登录时输入；2–64 个字符，只能包含字母、数字和 . _ - @，不能有空格；同一文件中不能重复（不区分大小写）。',
	name: '必填。成员姓名，不超过 50 个字。',
	unit: '必填。所属党组织的完整路径，各级之间用 / 分隔，例如“某县教育工委/县第一中学党总支/第一支部”；名称不重复时也可只写单位名称。可从“单位列表”工作表复制。不超过 200 个字。',
	roles: '选填。可填 党员、支部书记（或 书记）、党委，多个角色用 、 , ; 或空格分隔。不填：新成员为党员，已有成员保持原角色；所有成员都有党员角色。',
	positionTitle: '选填。职务，例如 校长、书记，不超过 50 个字。',
	isLeader: '选填。是否为被测评领导：填 是 或 否（也可填 Y/N、1/0、√）；不填即为否。',
	status: '选填。正常 或 停用；不填即为正常。停用的成员不能登录。'
};

export async function xlsxTemplate(unitPaths: string[]): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	addMemberSheet(workbook, exampleRows);

	const units = workbook.addWorksheet('单位列表');
	units.columns = [{ header: '所属单位', key: 'unit', width: 60 }];
	units.getRow(1).font = { bold: true };
	for (const path of unitPaths) units.addRow([path]);

	const help = workbook.addWorksheet('说明');
	help.columns = [
		{ header: '列名', key: 'column', width: 14 },
		{ header: '说明', key: 'help', width: 100 }
	];
	help.getRow(1).font = { bold: true };
	for (const c of memberFileColumns) help.addRow([c.zh, columnHelp[c.key]]);
	help.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
	help.addRow([]);
	help.addRow(['', '第 1 行为表头，列的顺序可以调整，多余的列会被忽略；空行会被跳过；每个文件最多 5000 行成员。']);
	help.addRow(['', '导入前请删除两行示例数据。文件中有任何错误时不会导入任何成员。']);

	return toBytes(workbook);
}

export async function membersToXlsx(rows: Omit<MemberFileRow, 'row'>[]): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	addMemberSheet(workbook, rows);
	return toBytes(workbook);
}
