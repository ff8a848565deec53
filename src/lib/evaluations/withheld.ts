import { m } from '$lib/paraglide/messages';
import type { Withheld } from '$lib/server/evaluations/results';

/** Why a slice of a campaign's results is not shown, in the reader's language (the rules: evaluations/results.ts). */
export function withheldWhy(w: Withheld, threshold: number): string {
	switch (w.reason) {
		case 'below_threshold':
			return m.evalResults_withheld_below({ count: String(threshold), ballots: String(w.ballots) });
		case 'group_hidden':
			return m.evalResults_withheld_group({ count: String(threshold) });
		case 'small_group_weight':
			return m.evalResults_withheld_weight({ count: String(threshold) });
		case 'campaign_open':
			return m.evalResults_withheld_open();
	}
}
