import Database from 'better-sqlite3';
const d = new Database('/tmp/dash.db');
const ids = d.prepare("select id from exam where kind='quarterly' and status='published'").all().map((r: any) => r.id);
const cols = ids.map((id: number, i: number) => `max(case when r.exam_id = ${id} and r.max_cents > 0 then 100.0 * r.score_cents / r.max_cents end) p${i}`).join(', ');
const q = `select m.id, m.name, m.login_id, m.unit_id, m.status, b.* from member m left join (select r.member_id, ${cols} from exam_result r where r.exam_id in (${ids.join(',')}) group by r.member_id) b on b.member_id = m.id`;
const run = (label: string) => { console.log(d.prepare('explain query plan ' + q).all().map((r: any) => r.detail).join(' | ')); for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = d.prepare(q).all(); console.log(label, rows.length, (performance.now() - t).toFixed(1)); } };
run('before');
d.exec('create index if not exists tmp_member_cover on exam_result (member_id, exam_id, score_cents, max_cents)');
run('covering');
const miss = `select e.exam_id, e.member_id from exam_expected e where e.exam_id in (${ids.join(',')}) and not exists (select 1 from exam_result r where r.exam_id = e.exam_id and r.member_id = e.member_id)`;
const miss2 = `select exam_id, member_id from exam_expected where exam_id in (${ids.join(',')}) except select exam_id, member_id from exam_result where exam_id in (${ids.join(',')})`;
for (const [l, qq] of [['notexists', miss], ['except', miss2]]) for (let i = 0; i < 3; i++) { const t = performance.now(); const rows = d.prepare(qq).all(); console.log(l, rows.length, (performance.now() - t).toFixed(1)); }
d.exec('drop index tmp_member_cover');
