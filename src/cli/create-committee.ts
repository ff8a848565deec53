// npm run committee:create -- --login <login id> --name <name> [--unit <root unit name>]
// Creates a committee account on a real installation (KAOPING_DEMO=off). When the database has no units yet,
// the root unit (the 党委) is created too, named by --unit. Prints a temporary password that must be changed
// at first sign-in.
import { parseArgs } from 'node:util';
import { openDatabase } from '../lib/server/db/index';
import { migrateToLatest } from '../lib/server/db/migrate';
import { createMember } from '../lib/server/org/members';
import { createUnit } from '../lib/server/org/units';

const { values } = parseArgs({
	options: { login: { type: 'string' }, name: { type: 'string' }, unit: { type: 'string' } },
	strict: true
});
if (!values.login || !values.name) {
	console.error('usage: npm run committee:create -- --login <login id> --name <name> [--unit <root unit name>]');
	process.exit(2);
}

const { db } = openDatabase();
try {
	await migrateToLatest(db);
	let root = await db.selectFrom('unit').select('id').where('parent_id', 'is', null).where('archived_at', 'is', null).orderBy('id').executeTakeFirst();
	if (!root) {
		if (!values.unit) throw new Error('the database has no units yet: name the root unit (the 党委) with --unit');
		const created = await createUnit(db, { name: values.unit, kind: 'committee', parentId: null });
		if (!created.ok) throw new Error(`cannot create unit: ${created.problem}`);
		root = { id: created.id };
		console.log(`created root unit ${values.unit}`);
	}
	const result = await createMember(db, { kind: 'all' }, {
		loginId: values.login.trim(),
		name: values.name.trim(),
		unitId: root.id,
		positionTitle: '',
		isLeader: false,
		roles: ['member', 'committee']
	});
	if (!result.ok) throw new Error(`cannot create account: ${JSON.stringify(result.errors)}`);
	console.log(`committee account ${values.login} created. Temporary password (shown once, changed at first sign-in): ${result.temporaryPassword}`);
} catch (e) {
	console.error(e instanceof Error ? e.message : e);
	process.exitCode = 1;
} finally {
	await db.destroy();
}
