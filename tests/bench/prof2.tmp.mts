import Database from 'better-sqlite3';
const d = new Database('/tmp/dash.db');
d.exec('create index if not exists tmp_cover on exam_result (exam_id, unit_id, score_cents, max_cents, passed)');
d.exec('analyze');
const ids = d.prepare("select id from exam where kind='quarterly' and status='published'").all().map((r: any) => r.id);
const q = `select r.exam_id, r.unit_id, r.score_cents, r.max_cents, r.passed, count(*) n from exam_result r where r.exam_id in (${ids.join(',')}) group by r.exam_id, r.unit_id, r.score_cents, r.max_cents, r.passed`;
console.log(d.prepare('explain query plan ' + q).all().map((r: any) => r.detail));
for (let i = 0; i < 5; i++) { const t = performance.now(); const rows = d.prepare(q).all(); console.log(rows.length, (performance.now() - t).toFixed(1)); }
const q2 = `select r.member_id, max(case when r.exam_id = 1 then r.score_cents end) a, max(case when r.exam_id = 2 then r.score_cents end) b from exam_result r where r.exam_id in (${ids.join(',')}) group by r.member_id`;
console.log(d.prepare('explain query plan ' + q2).all().map((r: any) => r.detail));
for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = d.prepare(q2).all(); console.log('pivot', rows.length, (performance.now() - t).toFixed(1)); }
