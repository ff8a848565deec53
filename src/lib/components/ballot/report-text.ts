// A learning report's simple formatting, parsed into blocks the page renders as elements (never as HTML):
// paragraphs separated by blank lines, lines starting with "- " (or －, *, •, ·) as list items, and **bold** runs.
// The committee's preview and the raters' ballot render it with the same component, ReportText.svelte.

export type Run = { text: string; bold: boolean };
export type Block = { kind: 'p'; lines: Run[][] } | { kind: 'ul'; items: Run[][] };

export function runs(line: string): Run[] {
	const out: Run[] = [];
	const parts = line.split('**');
	// An odd number of "**" leaves the last one as typed.
	const closed = parts.length % 2 === 1 ? parts.length : parts.length - 1;
	for (let i = 0; i < parts.length; i++) {
		const text = i >= closed ? `**${parts[i]}` : (parts[i] ?? '');
		if (text) out.push({ text, bold: i % 2 === 1 && i < closed });
	}
	return out;
}

export function reportBlocks(text: string): Block[] {
	const blocks: Block[] = [];
	for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
		const lines = chunk.split('\n').map((l) => l.trim()).filter(Boolean);
		let current: Block | null = null;
		for (const line of lines) {
			const item = /^[-－*•·]\s+(.*)$/.exec(line);
			if (item) {
				if (current?.kind !== 'ul') blocks.push((current = { kind: 'ul', items: [] }));
				current.items.push(runs(item[1] ?? ''));
			} else {
				if (current?.kind !== 'p') blocks.push((current = { kind: 'p', lines: [] }));
				current.lines.push(runs(line));
			}
		}
	}
	return blocks;
}
