import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import { db } from '$lib/server/db/instance';
import type { RequestHandler } from './$types';

/** For load balancers and monitoring: answers once the database does. Reveals nothing else. */
export const GET: RequestHandler = async () => {
	await sql`select 1`.execute(db());
	return json({ ok: true });
};
