// A learning report's simple formatting (述学报告): a blank line starts a paragraph, lines starting with `- ` are
// list items, and text between `**` is bold. Parsed into plain data that a page renders with text nodes, never as
// HTML, so nothing a report holds can become markup.

export type Span = { text: string; bold: boolean };
export type Block = { kind: 'paragraph'; lines: Span[][] } | { kind: 'list'; items: Span[][] };

/** `a **b** c` → a, **b**, c. An unpaired `**` stays as typed. */
export function spans(line: string): Span[] {
	const parts = line.split('**');
	if (parts.length % 2 === 0) return [{ text: line, bold: false }];
	return parts.map((text, i) => ({ text, bold: i % 2 === 1 })).filter((s) => s.text !== '');
}

export function reportBlocks(text: string): Block[] {
	const blocks: Block[] = [];
	let current: Block | null = null;
	for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
		const line = raw.trim();
		if (!line) {
			current = null;
			continue;
		}
		const item = /^[-－•·]\s+(.*)$/.exec(line);
		if (item) {
			if (current?.kind !== 'list') blocks.push((current = { kind: 'list', items: [] }));
			current.items.push(spans(item[1] as string));
		} else {
			if (current?.kind !== 'paragraph') blocks.push((current = { kind: 'paragraph', lines: [] }));
			current.lines.push(spans(line));
		}
	}
	return blocks;
}
