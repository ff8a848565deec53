import ExcelJS from 'exceljs';
import type { SubmittedHow } from '../db/schema';
import { toLocalInput } from './quarters';
import type { ExamHeader, ExamProgress, ExamResults, NotTakenMember } from './results';

// The spreadsheets a secretary files or works from: the results table (成绩表) and the list of members who have
// not taken the test (未参考名单, to remind them). They are forms for the units' paperwork, so, like the member
// export, their headers are in Chinese whatever language the page is in. Both hold only the rows the manager's
// scope (and filter) reached.

const howText: Record<SubmittedHow, string> = { member: '本人交卷', deadline: '到时自动交卷', entry: '纸质试卷录入' };
const statusText: Record<NotTakenMember['status'], string> = { not_started: '未开始', in_progress: '答题中', paper_pending: '纸质试卷待录入' };

// Lone surrogates and control characters are not allowed in XML; `_x0041_` in cell text would be read back as "A".
const notXmlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
function cell(text: string): string {
	return text.replace(notXmlCharacters, '').replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** Points as a number with up to two decimals (cents are exact integers, so 85.5 stays 85.5). */
function points(cents: number): number {
	return cents / 100;
}

function when(at: number, timeZone: string): string {
	return toLocalInput(at, timeZone).replace('T', ' ');
}

function percent(rate: number | null): string {
	return rate === null ? '' : `${(rate * 100).toFixed(1)}%`;
}

/** A file name from the test's title: no path separators or characters Windows refuses. */
export function examFileName(exam: Pick<ExamHeader, 'title'>, suffix: string): string {
	const base = exam.title.replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || '测试';
	return `${base}-${suffix}.xlsx`;
}

async function toBytes(workbook: ExcelJS.Workbook): Promise<Uint8Array> {
	return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function headerRow(sheet: ExcelJS.Worksheet) {
	sheet.getRow(1).font = { bold: true };
}

/** 成绩表: one row per member with the best submitted attempt and its per-area scores, and a summary sheet. */
export async function resultsXlsx(results: ExamResults, options: { timeZone: string; scopeLabel: string; now?: number }): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('成绩表', { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
	const columns: Partial<ExcelJS.Column>[] = [
		{ header: '姓名', width: 12 },
		// Text, so 工号 with leading zeros stay as typed.
		{ header: '工号', width: 14, style: { numFmt: '@' } },
		{ header: '所属单位', width: 40 },
		{ header: '答卷次数', width: 10 },
		{ header: '成绩', width: 8 },
		{ header: '满分', width: 8 },
		{ header: '是否及格', width: 10 },
		{ header: '交卷时间', width: 18 },
		{ header: '交卷方式', width: 14 }
	];
	for (const area of results.areas) {
		columns.push({ header: `${cell(area.nameZh)}得分`, width: 12 }, { header: `${cell(area.nameZh)}满分`, width: 12 });
	}
	sheet.columns = columns;
	headerRow(sheet);
	for (const r of results.rows) {
		sheet.addRow([
			cell(r.name),
			cell(r.loginId),
			cell(r.unitPath),
			r.attempts,
			// Numbers only in the score columns, so they sort and sum; who has no result says so in 是否及格.
			r.scoreCents === null ? null : points(r.scoreCents),
			r.maxCents === null ? null : points(r.maxCents),
			r.passed === null ? '未参考' : r.passed ? '及格' : '不及格',
			r.submittedAt === null ? null : when(r.submittedAt, options.timeZone),
			r.how === null ? null : howText[r.how],
			...results.areas.flatMap((a) => {
				const s = r.areas[a.id];
				return s ? [points(s.earnedCents), points(s.possibleCents)] : [null, null];
			})
		]);
	}

	const summary = workbook.addWorksheet('汇总');
	summary.columns = [
		{ header: '项目', width: 16 },
		{ header: '内容', width: 50 }
	];
	headerRow(summary);
	const s = results.summary;
	const rows: [string, string | number][] = [
		['测试', cell(results.exam.title)],
		['季度', results.exam.quarter],
		['类型', results.exam.counted ? '季度测试' : '练习（不计成绩）'],
		['范围', cell(options.scopeLabel)],
		['及格分', points(results.exam.pass_cents)],
		['应参考人数', s.members],
		['已交卷人数', s.takers],
		['平均分', s.meanCents === null ? '' : points(s.meanCents)],
		['及格人数', s.passed],
		['及格率', percent(s.passRate)],
		['说明', '每人的成绩取其已交卷答卷中的最高分。'],
		['导出时间', when(options.now ?? Date.now(), options.timeZone)]
	];
	for (const row of rows) summary.addRow(row);
	return toBytes(workbook);
}

/** 未参考名单: members expected to take the test who have not submitted, to remind them. */
export async function notTakenXlsx(progress: ExamProgress, options: { timeZone: string; now?: number }): Promise<Uint8Array> {
	const workbook = new ExcelJS.Workbook();
	const sheet = workbook.addWorksheet('未参考名单', { views: [{ state: 'frozen', ySplit: 1 }] });
	sheet.columns = [
		{ header: '姓名', width: 12 },
		{ header: '工号', width: 14, style: { numFmt: '@' } },
		{ header: '所属单位', width: 44 },
		{ header: '状态', width: 16 }
	];
	headerRow(sheet);
	for (const m of progress.notTaken) sheet.addRow([cell(m.name), cell(m.loginId), cell(m.unitPath), statusText[m.status]]);

	// On a sheet of its own, so the list stays a plain table to sort, filter or mail-merge.
	const about = workbook.addWorksheet('说明');
	about.columns = [
		{ header: '项目', width: 16 },
		{ header: '内容', width: 50 }
	];
	headerRow(about);
	const rows: [string, string | number][] = [
		['测试', cell(progress.exam.title)],
		['截止时间', when(progress.exam.closes_at, options.timeZone)],
		['应参考人数', progress.totals.members],
		['已交卷人数', progress.totals.submitted],
		['未交卷人数', progress.notTaken.length],
		['导出时间', when(options.now ?? Date.now(), options.timeZone)]
	];
	for (const row of rows) about.addRow(row);
	return toBytes(workbook);
}
