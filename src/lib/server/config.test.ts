import { describe, expect, it } from 'vitest';
import { readConfig } from './config';

describe('configuration', () => {
	it('has the documented defaults', () => {
		expect(readConfig({})).toEqual({ databaseUrl: 'data/kaoping.db', demo: true, demoPassword: undefined, timeZone: 'Asia/Shanghai', databasePoolMax: 10 });
	});

	it('reads the pool size and refuses one that is not a whole number in range, naming the setting', () => {
		expect(readConfig({ DATABASE_POOL_MAX: ' 25 ' }).databasePoolMax).toBe(25);
		for (const bad of ['0', '2.5', 'ten', '1001']) expect(() => readConfig({ DATABASE_POOL_MAX: bad })).toThrow(`DATABASE_POOL_MAX must be a whole number from 1 to 1000, not "${bad}"`);
		expect(readConfig({ KAOPING_DEMO: 'off', DATABASE_URL: ' postgres://db/kaoping ' })).toMatchObject({ demo: false, databaseUrl: 'postgres://db/kaoping' });
	});
});
