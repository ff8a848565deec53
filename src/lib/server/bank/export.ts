import type { Db } from '../db';
import { listAreas } from './areas';
import { questionsToGift } from './formats/gift';
import { questionsToMoodleXml } from './formats/moodle-xml';
import { questionsToXlsx } from './formats/template';
import { listQuestions, type QuestionFilter, type QuestionView } from './questions';
import type { QuestionDraft } from './types';

export type ExportFormat = 'xlsx' | 'moodle' | 'gift';

/** A stored question as the file formats write it; areas by code, so an export imports back unchanged. */
export function toDraft(q: QuestionView, codeOf: Map<number, string>): QuestionDraft {
	const { id: _id, status: _status, version: _version, versionId: _versionId, updatedAt: _updatedAt, areaIds, ...content } = q;
	return { ...content, areas: areaIds.flatMap((id) => codeOf.get(id) ?? []), categories: [] };
}

/** Questions Moodle XML and GIFT cannot hold (fill-in with several blanks), among those a filter selects. */
export async function notExportable(db: Db, filter: QuestionFilter): Promise<number> {
	if (filter.type && filter.type !== 'fill') return 0;
	const { items } = await listQuestions(db, { ...filter, type: 'fill', limit: 100_000, offset: 0 });
	return items.filter((q) => q.type === 'fill' && q.blanks.length > 1).length;
}

/** The whole bank or the filtered part of it as a file; also says how many questions the format could not hold. */
export async function exportQuestions(
	db: Db,
	filter: QuestionFilter,
	format: ExportFormat
): Promise<{ bytes: Uint8Array; fileName: string; contentType: string; left: number }> {
	// Retired areas are left out of files: importing them back would be refused for new questions.
	const areas = await listAreas(db);
	const codeOf = new Map(areas.map((a) => [a.id, a.code]));
	const { items } = await listQuestions(db, { ...filter, limit: 100_000, offset: 0 });
	const drafts = items.map((q) => toDraft(q, codeOf));
	if (format === 'xlsx') {
		const bytes = await questionsToXlsx(
			drafts,
			areas.map((a) => ({ code: a.code, name: a.nameZh }))
		);
		return { bytes, fileName: '题库.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', left: 0 };
	}
	if (format === 'moodle') {
		const { xml, skipped } = questionsToMoodleXml(drafts);
		return { bytes: new TextEncoder().encode(xml), fileName: '题库.xml', contentType: 'application/xml; charset=utf-8', left: skipped.length };
	}
	const { gift, skipped } = questionsToGift(drafts);
	return { bytes: new TextEncoder().encode(gift), fileName: '题库.gift.txt', contentType: 'text/plain; charset=utf-8', left: skipped.length };
}
