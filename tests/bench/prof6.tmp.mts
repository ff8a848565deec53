import Database from 'better-sqlite3';
import { openDatabase } from '../../src/lib/server/db/index';
const d = new Database('/tmp/dash.db');
const ids = d.prepare("select id from exam where kind='quarterly' and status='published'").all().map((r: any) => r.id);
const q = `select member_id, exam_id, score_cents, max_cents from exam_result where exam_id in (${ids.join(',')})`;
console.log(d.prepare('explain query plan ' + q).all().map((r: any) => r.detail).join(' | '));
for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = d.prepare(q).all(); console.log('objects', rows.length, (performance.now() - t).toFixed(1)); }
for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = d.prepare(q).raw().all(); console.log('raw', rows.length, (performance.now() - t).toFixed(1)); }
const { db } = openDatabase('/tmp/dash.db');
for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = await db.selectFrom('exam_result').select(['member_id', 'exam_id', 'score_cents', 'max_cents']).where('exam_id', 'in', ids).execute(); console.log('kysely', rows.length, (performance.now() - t).toFixed(1)); }
const cols = ids.map((id: number, i: number) => `max(case when r.exam_id = ${id} then 100.0 * r.score_cents / r.max_cents end) p${i}`).join(', ');
const q2 = `select r.member_id, ${cols} from exam_result r where r.exam_id in (${ids.join(',')}) group by r.member_id`;
console.log(d.prepare('explain query plan ' + q2).all().map((r: any) => r.detail).join(' | '));
for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = d.prepare(q2).all(); console.log('pivot', rows.length, (performance.now() - t).toFixed(1)); }
