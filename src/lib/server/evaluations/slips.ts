import { randomInt } from 'node:crypto';
import QRCode from 'qrcode';

// Printed ballot-code slips. The QR code holds `<origin>/ballot#<code>`: the code is in the URL's fragment, which
// a browser never sends, so it reaches no server or proxy log when the slip is scanned.

export type Slip = { code: string; url: string; qr: string };

/** Fisher–Yates with the crypto generator: the slips' order says nothing about the order codes were made in. */
export function shuffled<T>(items: T[]): T[] {
	const out = [...items];
	for (let i = out.length - 1; i > 0; i--) {
		const j = randomInt(i + 1);
		[out[i], out[j]] = [out[j] as T, out[i] as T];
	}
	return out;
}

export function ballotUrl(origin: string, code: string): string {
	return `${origin.replace(/\/$/, '')}/ballot#${code}`;
}

/** The slips of a batch in random order, each with its QR code as an SVG data URL (printed as an image). */
export async function makeSlips(origin: string, codes: string[]): Promise<Slip[]> {
	return Promise.all(
		shuffled(codes).map(async (code) => {
			const url = ballotUrl(origin, code);
			const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
			return { code, url, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
		})
	);
}
