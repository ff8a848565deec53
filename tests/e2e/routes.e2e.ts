import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, request, test, type APIRequestContext } from '@playwright/test';
import { demo, demoPassword } from './helpers';

// Every route of the app, visited as each kind of person, with the answer each should get.
// 'login' is a redirect to the sign-in page; 'home' a redirect to the home page. A route added to the app
// without a row here fails the first test, so later issues extend this table as they add routes.

type Who = 'anonymous' | 'member' | 'secretary' | 'committee';
type Outcome = number | 'login' | 'home';
type Row = { route: string; path: string; expect: Record<Who, Outcome> };

const everyone = (outcome: Outcome) => ({ anonymous: outcome, member: outcome, secretary: outcome, committee: outcome });
const signedIn = (member: Outcome, secretary: Outcome, committee: Outcome) => ({ anonymous: 'login' as const, member, secretary, committee });

// Member ids are filled in once the committee has looked them up.
const ids = { ownBranchMember: 0, otherUnitMember: 0, leader: 0 };

const rows = (): Row[] => [
	{ route: '/', path: '/', expect: signedIn(200, 200, 200) },
	{ route: '/login', path: '/login', expect: { anonymous: 200, member: 'home', secretary: 'home', committee: 'home' } },
	{ route: '/logout', path: '/logout', expect: signedIn(200, 200, 200) },
	{ route: '/account/password', path: '/account/password', expect: signedIn(200, 200, 200) },
	{ route: '/locale', path: '/locale', expect: everyone(405) },
	{ route: '/api/health', path: '/api/health', expect: everyone(200) },
	{ route: '/units', path: '/units', expect: signedIn(403, 403, 200) },
	{ route: '/members', path: '/members', expect: signedIn(403, 200, 200) },
	{ route: '/members/new', path: '/members/new', expect: signedIn(403, 200, 200) },
	{ route: '/members/import', path: '/members/import', expect: signedIn(403, 200, 200) },
	{ route: '/members/import/template.xlsx', path: '/members/import/template.xlsx', expect: signedIn(403, 200, 200) },
	{ route: '/members/import/template.csv', path: '/members/import/template.csv', expect: signedIn(403, 200, 200) },
	{ route: '/members/export.xlsx', path: '/members/export.xlsx', expect: signedIn(403, 200, 200) },
	{ route: '/members/[id]', path: `/members/${ids.ownBranchMember}`, expect: signedIn(403, 200, 200) },
	{ route: '/members/[id]', path: `/members/${ids.otherUnitMember}`, expect: signedIn(403, 403, 200) },
	{ route: '/members/[id]', path: '/members/999999', expect: signedIn(403, 404, 404) },
	{ route: '/members/[id]', path: '/members/not-a-number', expect: signedIn(403, 404, 404) },
	// The question bank is the committee's alone.
	{ route: '/bank', path: '/bank', expect: signedIn(403, 403, 200) },
	{ route: '/bank', path: '/bank?q=%E5%AD%A3%E5%BA%A6&type=single&page=2', expect: signedIn(403, 403, 200) },
	{ route: '/bank/new', path: '/bank/new', expect: signedIn(403, 403, 200) },
	{ route: '/bank/[id]', path: '/bank/1', expect: signedIn(403, 403, 200) },
	{ route: '/bank/[id]', path: '/bank/999999', expect: signedIn(403, 403, 404) },
	{ route: '/bank/import', path: '/bank/import', expect: signedIn(403, 403, 200) },
	{ route: '/bank/areas', path: '/bank/areas', expect: signedIn(403, 403, 200) },
	{ route: '/bank/template.xlsx', path: '/bank/template.xlsx', expect: signedIn(403, 403, 200) },
	{ route: '/bank/export', path: '/bank/export?format=xlsx', expect: signedIn(403, 403, 200) },
	{ route: '/bank/export', path: '/bank/export?format=moodle&status=active', expect: signedIn(403, 403, 200) },
	{ route: '/bank/export', path: '/bank/export?format=gift', expect: signedIn(403, 403, 200) },
	// Setting up tests is the committee's alone.
	{ route: '/exams', path: '/exams', expect: signedIn(403, 403, 200) },
	{ route: '/exams/new', path: '/exams/new', expect: signedIn(403, 403, 200) },
	{ route: '/exams/[id]', path: '/exams/999999', expect: signedIn(403, 403, 404) },
	{ route: '/exams/[id]', path: '/exams/not-a-number', expect: signedIn(403, 403, 404) },
	{ route: '/exams/[id]', path: '/exams/1', expect: signedIn(403, 403, 200) },
	{ route: '/exams/[id]/makeups', path: '/exams/999999/makeups', expect: signedIn(403, 403, 404) },
	// A member's own tests; someone else's attempt answers exactly like a missing one (404).
	{ route: '/tests', path: '/tests', expect: signedIn(200, 200, 200) },
	{ route: '/tests/[examId]', path: '/tests/999999', expect: signedIn(404, 404, 404) },
	{ route: '/attempts/[id]', path: '/attempts/999999', expect: signedIn(404, 404, 404) },
	{ route: '/attempts/[id]/submit', path: '/attempts/999999/submit', expect: signedIn(404, 404, 404) },
	{ route: '/attempts/[id]/result', path: '/attempts/999999/result', expect: signedIn(404, 404, 404) },
	{ route: '/api/attempts/[id]/answers', path: '/api/attempts/999999/answers', expect: { anonymous: 401, member: 404, secretary: 404, committee: 404 } },
	// Following a test and its results: secretaries (their subtree) and the committee; regrading is the committee's.
	// Test 1 is the demo's first past test (published); 999999 exists nowhere.
	{ route: '/exams/[id]/progress', path: '/exams/1/progress', expect: signedIn(403, 200, 200) },
	{ route: '/exams/[id]/progress', path: '/exams/999999/progress', expect: signedIn(403, 404, 404) },
	{ route: '/exams/[id]/progress/not-taken.xlsx', path: '/exams/1/progress/not-taken.xlsx', expect: signedIn(403, 200, 200) },
	{ route: '/exams/[id]/results', path: '/exams/1/results', expect: signedIn(403, 200, 200) },
	{ route: '/exams/[id]/results', path: '/exams/1/results?unit=999999&sort=score_desc', expect: signedIn(403, 200, 200) },
	{ route: '/exams/[id]/results/results.xlsx', path: '/exams/1/results/results.xlsx?sort=name', expect: signedIn(403, 200, 200) },
	{ route: '/exams/[id]/regrade', path: '/exams/1/regrade', expect: signedIn(403, 403, 200) },
	{ route: '/exams/[id]/regrade', path: '/exams/1/regrade?question=999999', expect: signedIn(403, 403, 200) },
	{ route: '/exams/[id]/paper', path: '/exams/1/paper', expect: signedIn(403, 200, 200) },
	{ route: '/exams/[id]/paper/[attemptId]', path: '/exams/1/paper/999999', expect: signedIn(403, 404, 404) },
	{ route: '/exams/[id]/paper/[attemptId]/entry', path: '/exams/1/paper/999999/entry', expect: signedIn(403, 404, 404) },
	// Dashboards (issue 6): secretaries (their subtree) and the committee. Unit 5 is the demo's 县实验小学党支部, outside
	// secretary 1101's branch; test 1 is the first past quarterly test, 6 the practice test (not counted: 404).
	{ route: '/dashboard', path: '/dashboard', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard', path: '/dashboard?unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard', path: '/dashboard?unit=999999', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/export', path: '/dashboard/export?table=trend&format=csv', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/export', path: '/dashboard/export?table=scores&format=xlsx&unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/export', path: '/dashboard/export?table=nope&format=csv', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/mastery', path: '/dashboard/mastery', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/mastery', path: '/dashboard/mastery?unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/mastery', path: '/dashboard/mastery?quarter=1999Q1', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/mastery/export', path: '/dashboard/mastery/export?table=areas&format=xlsx', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/mastery/export', path: '/dashboard/mastery/export?table=quarter&format=csv&unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests', path: '/dashboard/tests', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/tests', path: '/dashboard/tests?unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests/[examId]', path: '/dashboard/tests/1', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/tests/[examId]', path: '/dashboard/tests/1?unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests/[examId]', path: '/dashboard/tests/6', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/tests/[examId]', path: '/dashboard/tests/999999', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/tests/[examId]', path: '/dashboard/tests/not-a-number', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/tests/[examId]/export', path: '/dashboard/tests/1/export?table=histogram&format=csv', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/tests/[examId]/export', path: '/dashboard/tests/999999/export?table=units&format=csv', expect: signedIn(403, 404, 404) },
	// Item analysis of a test: the committee's (it shows keys and stems). Test 1 is the demo's first past test.
	{ route: '/dashboard/tests/[examId]/items', path: '/dashboard/tests/1/items', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests/[examId]/items', path: '/dashboard/tests/1/items?sort=facility&flagged=1', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests/[examId]/items', path: '/dashboard/tests/999999/items', expect: signedIn(403, 403, 404) },
	{ route: '/dashboard/tests/[examId]/items', path: '/dashboard/tests/not-a-number/items', expect: signedIn(403, 403, 404) },
	{ route: '/dashboard/tests/[examId]/items/export', path: '/dashboard/tests/1/items/export?table=items&format=csv', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests/[examId]/items/export', path: '/dashboard/tests/1/items/export?table=options&format=xlsx', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/tests/[examId]/items/export', path: '/dashboard/tests/1/items/export?table=nope&format=csv', expect: signedIn(403, 403, 404) },
	{ route: '/dashboard/tests/[examId]/items/export', path: '/dashboard/tests/999999/items/export?table=items&format=csv', expect: signedIn(403, 403, 404) },
	// 学习情况通报: a quarter not shown is 404; a unit outside a secretary's subtree 403, as on the other dashboards.
	{ route: '/dashboard/report', path: '/dashboard/report', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/report', path: '/dashboard/report?unit=5', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/report', path: '/dashboard/report?quarter=1999Q1', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/report/export', path: '/dashboard/report/export?table=areas&format=xlsx', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/report/export', path: '/dashboard/report/export?table=trend&format=csv&unit=5', expect: signedIn(403, 403, 200) },
	// Evaluation results: the committee's; campaign 1 is the demo's closed 2025 述学评学, 999999 exists nowhere.
	{ route: '/campaigns/[id]/results', path: '/campaigns/1/results', expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/[id]/results', path: '/campaigns/1/results?group=999999', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/[id]/results', path: '/campaigns/999999/results', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/[id]/results', path: '/campaigns/not-a-number/results', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/[id]/results/results.xlsx', path: '/campaigns/1/results/results.xlsx', expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/[id]/results/results.xlsx', path: '/campaigns/999999/results/results.xlsx', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/[id]/results/print', path: '/campaigns/1/results/print', expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/[id]/results/print', path: '/campaigns/999999/results/print', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/leaders/[memberId]', path: `/campaigns/leaders/${ids.ownBranchMember}`, expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/leaders/[memberId]', path: '/campaigns/leaders/999999', expect: signedIn(403, 403, 404) },
	// A target's own released results; 1103 (the 'member' here) is a target of campaign 1, released.
	{ route: '/evaluations/results/[id]', path: '/evaluations/results/1', expect: signedIn(200, 404, 404) },
	{ route: '/evaluations/results/[id]', path: '/evaluations/results/2', expect: signedIn(404, 404, 404) },
	{ route: '/evaluations/results/[id]', path: '/evaluations/results/999999', expect: signedIn(404, 404, 404) },
	// Setting up evaluation campaigns is the committee's alone; campaign 1 is the demo's last year's 述学评学.
	{ route: '/campaigns', path: '/campaigns', expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/new', path: '/campaigns/new', expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/[id]', path: '/campaigns/1', expect: signedIn(403, 403, 200) },
	{ route: '/campaigns/[id]', path: '/campaigns/999999', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/[id]', path: '/campaigns/not-a-number', expect: signedIn(403, 403, 404) },
	{ route: '/campaigns/[id]/targets/[targetId]/report.pdf', path: '/campaigns/1/targets/999999/report.pdf', expect: signedIn(403, 403, 404) },
	// Rating (issue 5). The demo's campaigns: 1 is last year's (closed), 2 this year's (open); every active member is
	// eligible in both. A campaign someone may not rate answers like one that does not exist.
	{ route: '/evaluations', path: '/evaluations', expect: signedIn(200, 200, 200) },
	{ route: '/evaluations/[id]/rate', path: '/evaluations/2/rate', expect: signedIn(200, 200, 200) },
	{ route: '/evaluations/[id]/rate', path: '/evaluations/1/rate', expect: signedIn(200, 200, 200) },
	{ route: '/evaluations/[id]/rate', path: '/evaluations/999999/rate', expect: signedIn(404, 404, 404) },
	{ route: '/evaluations/[id]/rate', path: '/evaluations/not-a-number/rate', expect: signedIn(404, 404, 404) },
	{ route: '/evaluations/[id]/rate/report/[targetId]', path: '/evaluations/2/rate/report/999999', expect: signedIn(404, 404, 404) },
	{ route: '/evaluations/[id]/rate/report/[targetId]', path: '/evaluations/999999/rate/report/1', expect: signedIn(404, 404, 404) },
	// Members' scores (issue 6): managers, a secretary within their subtree (a unit or member outside it is 403); a
	// member's own record for everyone; leaders' evaluations are the committee's. 999999 exists nowhere.
	{ route: '/dashboard/members', path: '/dashboard/members', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/members', path: '/dashboard/members?q=11&missed=1&sort=latest_asc&page=2', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/members', path: '/dashboard/members?unit=999999', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/members/export', path: '/dashboard/members/export?table=members&format=csv', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/members/export', path: '/dashboard/members/export?table=members&format=xlsx&sort=name', expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/members/export', path: '/dashboard/members/export?table=nothing&format=csv', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/members/[memberId]', path: `/dashboard/members/${ids.ownBranchMember}`, expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/members/[memberId]', path: `/dashboard/members/${ids.otherUnitMember}`, expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/members/[memberId]', path: '/dashboard/members/999999', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/members/[memberId]', path: '/dashboard/members/not-a-number', expect: signedIn(403, 404, 404) },
	{ route: '/dashboard/members/[memberId]/export', path: `/dashboard/members/${ids.ownBranchMember}/export?table=history&format=csv`, expect: signedIn(403, 200, 200) },
	{ route: '/dashboard/members/[memberId]/export', path: `/dashboard/members/${ids.otherUnitMember}/export?table=areas&format=xlsx`, expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/members/[memberId]/export', path: '/dashboard/members/999999/export?table=history&format=csv', expect: signedIn(403, 404, 404) },
	{ route: '/progress', path: '/progress', expect: signedIn(200, 200, 200) },
	{ route: '/progress/export', path: '/progress/export?table=history&format=csv', expect: signedIn(200, 200, 200) },
	{ route: '/progress/export', path: '/progress/export?table=areas&format=xlsx', expect: signedIn(200, 200, 200) },
	{ route: '/dashboard/leaders', path: '/dashboard/leaders', expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/leaders/export', path: `/dashboard/leaders/export?table=leader-${ids.leader}&format=csv`, expect: signedIn(403, 403, 200) },
	{ route: '/dashboard/leaders/export', path: '/dashboard/leaders/export?table=leader-999999&format=csv', expect: signedIn(403, 403, 404) },
	{ route: '/ballot', path: '/ballot', expect: everyone(200) },
	{ route: '/ballot/report/[targetId]', path: '/ballot/report/1', expect: everyone(405) },
	{ route: '/receipts/[id]', path: '/receipts/1', expect: everyone(200) },
	{ route: '/receipts/[id]', path: '/receipts/2', expect: everyone(200) },
	{ route: '/receipts/[id]', path: '/receipts/999999', expect: everyone(404) }
];

/** Route ids from src/routes, groups removed: what the app actually serves. */
function appRoutes(dir = 'src/routes', prefix = ''): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir)) {
		const full = join(dir, entry);
		if (statSync(full).isDirectory()) {
			const segment = /^\(.*\)$/.test(entry) ? '' : `/${entry}`;
			found.push(...appRoutes(full, prefix + segment));
		} else if (/^\+(page|server)\.(svelte|ts)$/.test(entry)) {
			found.push(prefix || '/');
		}
	}
	return [...new Set(found)].sort();
}

test('the table covers every route of the app', () => {
	expect([...new Set(rows().map((r) => r.route))].sort()).toEqual(appRoutes());
});

async function contextFor(who: Who, baseURL: string): Promise<APIRequestContext> {
	const context = await request.newContext({ baseURL });
	if (who === 'anonymous') return context;
	const loginId = { member: '1103', secretary: demo.secretary, committee: demo.committee }[who];
	const response = await context.post('/login', {
		form: { loginId, password: demoPassword, next: '/' },
		// As a browser's form post: with Accept: text/html SvelteKit answers the action with a real redirect.
		headers: { origin: baseURL, accept: 'text/html' },
		maxRedirects: 0
	});
	expect(response.status(), `sign in as ${who}`).toBe(303);
	return context;
}

test('each role gets the answer it should on every route', async ({ baseURL }) => {
	const base = baseURL ?? '';
	const committee = await contextFor('committee', base);
	const lookup = async (loginId: string) => {
		const page = await (await committee.get(`/members?q=${loginId}`)).text();
		return Number(/href="\/members\/(\d+)"/.exec(page)?.[1] ?? 0);
	};
	ids.ownBranchMember = await lookup(demo.member);
	ids.otherUnitMember = await lookup(demo.otherMember);
	ids.leader = await lookup(demo.leader);
	expect(ids.ownBranchMember).toBeGreaterThan(0);
	expect(ids.otherUnitMember).toBeGreaterThan(0);

	const failures: string[] = [];
	for (const who of ['anonymous', 'member', 'secretary', 'committee'] as Who[]) {
		const context = who === 'committee' ? committee : await contextFor(who, base);
		for (const row of rows()) {
			const response = await context.get(row.path, { maxRedirects: 0 });
			const expected = row.expect[who];
			const location = response.headers()['location'] ?? '';
			const got =
				response.status() === 303 && location.startsWith('/login') ? 'login' : response.status() === 303 && location === '/' ? 'home' : response.status();
			if (got !== expected) failures.push(`${who} GET ${row.path}: expected ${expected}, got ${got} ${location}`);
		}
		await context.dispose();
	}
	expect(failures).toEqual([]);
});
