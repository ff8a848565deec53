// The numbers behind a chart, as a table: shown under the chart for screen readers and keyboard users, and the
// content of its CSV and XLSX downloads. One shape for both, so the download is exactly what the page shows.
// Lives outside `server/` because pages build these tables from their data in the reader's language.

export type Cell = string | number | null;

export type DataTable = {
	/** Names the table in download links (`?table=<id>`); unique on its page. */
	id: string;
	/** What the table shows, in the reader's language; also the sheet and file name. */
	caption: string;
	columns: string[];
	rows: Cell[][];
};

/** A number rounded for display and export (one decimal by default); null stays empty. */
export function rounded(value: number | null | undefined, digits = 1): number | null {
	if (value === null || value === undefined || !Number.isFinite(value)) return null;
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}
