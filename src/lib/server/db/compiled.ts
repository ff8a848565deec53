import { createQueryId, type Compilable, type CompiledQuery, type DialectAdapter, type Kysely, type QueryResult } from 'kysely';

// Kysely builds an operation tree and compiles it to SQL on every call, which for the autosave path (the
// session, the attempt, the item, the update: thousands a second during a test) was about a fifth of the
// server's JavaScript time (npm run bench:autosave, a CPU profile). A query made with compiledOnce is built and
// compiled the first time it runs on a database, with a marker in place of each argument, and afterwards only
// its values change. The query stays written with Kysely's typed builder.
//
// The build function may only hand its arguments to the builder as values (`where('id', '=', id)`); it must not
// look at them (`if (id)`, `ids.length`), because it runs once, with markers. Lists of varying length (`in`)
// change the SQL and do not belong here. compiledOnce refuses a build that lost or changed a marker.

type Template = { compiled: CompiledQuery; slots: (number | { constant: unknown })[] };

class Slot {
	constructor(readonly index: number) {}
}

/** `run(db, ...args)` runs `build(db, ...args)`'s query, compiling it once per database (and dialect). */
export function compiledOnce<DB, A extends unknown[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>): (db: Kysely<DB>, ...args: A) => Promise<QueryResult<R>> {
	// Keyed by the dialect's adapter: a transaction shares it with its database, and SQL compiled for one dialect
	// never runs on another. A plugin (withSchema is one) shares the adapter but changes the SQL, so a database
	// with plugins is refused rather than given SQL compiled without them.
	const templates = new WeakMap<DialectAdapter, Template>();
	return (db, ...args) => {
		const executor = db.getExecutor();
		if (executor.plugins.length > 0) return Promise.reject(new Error('compiledOnce: a database with plugins (withSchema, withPlugin) would need SQL of its own'));
		const adapter = executor.adapter;
		let template = templates.get(adapter);
		if (!template) {
			try {
				template = compile(db, build, args.length);
			} catch (error) {
				return Promise.reject(error);
			}
			templates.set(adapter, template);
		}
		const parameters = template.slots.map((slot) => (typeof slot === 'number' ? args[slot] : slot.constant));
		return db.executeQuery<R>({ ...template.compiled, parameters, queryId: createQueryId() } as CompiledQuery<R>);
	};
}

function compile<DB, A extends unknown[]>(db: Kysely<DB>, build: (db: Kysely<DB>, ...args: A) => Compilable<unknown>, count: number): Template {
	const markers = Array.from({ length: count }, (_, i) => new Slot(i));
	const compiled = build(db, ...(markers as unknown as A)).compile();
	const slots = compiled.parameters.map((p) => (p instanceof Slot ? p.index : { constant: p }));
	const used = new Set(slots.filter((s) => typeof s === 'number'));
	if (used.size !== count) throw new Error(`compiledOnce: the query uses ${used.size} of its ${count} arguments as values: ${compiled.sql}`);
	return { compiled, slots };
}
