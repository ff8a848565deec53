import { openDatabase } from '../../src/lib/server/db/index';
import { memberTable } from '../../src/lib/server/analytics/members';
import { sql } from 'kysely';
const { db } = openDatabase('/tmp/dash.db');
await memberTable(db, { kind: 'all' }, {});
const orig = db.getExecutor();
const t0 = performance.now();
for (let i = 0; i < 10; i++) await memberTable(db, { kind: 'all' }, {});
console.log('avg', ((performance.now() - t0) / 10).toFixed(0));
