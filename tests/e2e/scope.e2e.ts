import { expect, test } from '@playwright/test';
import { demo, memberIdOf, pageAs } from './helpers';

test('a secretary manages their own branch and cannot reach another unit’s member', async ({ browser }) => {
	const admin = await pageAs(browser, demo.committee);
	const outsiderId = await memberIdOf(admin, demo.otherMember);
	const insiderId = await memberIdOf(admin, demo.member);

	const secretary = await pageAs(browser, demo.secretary);
	await secretary.goto('/members');
	// Only the secretary's own branch is listed.
	await expect(secretary.locator('.member-list')).toContainText(demo.member);
	await expect(secretary.locator('.member-list')).not.toContainText(demo.otherMember);

	// Direct URL to a member of another unit: 403.
	const response = await secretary.goto(`/members/${outsiderId}`);
	expect(response?.status()).toBe(403);
	await expect(secretary.getByRole('heading', { level: 1 })).toHaveText('您没有权限访问此页面或执行此操作。');

	// A forged form post to that member: 403, and nothing changes.
	const origin = new URL(secretary.url()).origin;
	for (const action of ['save', 'disable', 'resetPassword']) {
		const post = await secretary.request.post(`/members/${outsiderId}?/${action}`, {
			headers: { origin },
			form: { loginId: demo.otherMember, name: '被篡改', unitId: '1', positionTitle: '' }
		});
		expect(post.status(), action).toBe(403);
	}
	await admin.goto(`/members/${outsiderId}`);
	await expect(admin.getByRole('heading', { level: 1 })).not.toContainText('被篡改');
	await expect(admin.getByText('已停用')).toHaveCount(0);

	// Moving their own member into another unit is refused with a message.
	await secretary.goto(`/members/${insiderId}`);
	await expect(secretary.getByLabel('所属单位').locator('option')).not.toContainText(['县实验小学党支部']);
	const forged = await secretary.request.post(`/members/${insiderId}?/save`, {
		headers: { origin, 'x-sveltekit-action': 'true' },
		form: { loginId: demo.member, name: '仍在本支部', unitId: '5', positionTitle: '' }
	});
	const body = await forged.json();
	expect(body.type).toBe('failure');
	expect(body.status).toBe(400);

	// Secretaries cannot shape units.
	expect((await secretary.goto('/units'))?.status()).toBe(403);
});

test('a secretary cannot grant the committee role to anyone', async ({ browser }) => {
	const admin = await pageAs(browser, demo.committee);
	const insiderId = await memberIdOf(admin, '1105');
	const secretary = await pageAs(browser, demo.secretary);
	await secretary.goto(`/members/${insiderId}`);
	const origin = new URL(secretary.url()).origin;
	const forged = await secretary.request.post(`/members/${insiderId}?/save`, {
		headers: { origin, 'x-sveltekit-action': 'true' },
		multipart: { loginId: '1105', name: '陈静', unitId: String(await unitIdOf(secretary)), positionTitle: '教师', roles: 'committee' }
	});
	expect((await forged.json()).status).toBe(400);
	await admin.goto(`/members/${insiderId}`);
	await expect(admin.locator('.tag', { hasText: '党委' })).toHaveCount(0);
});

async function unitIdOf(page: import('@playwright/test').Page) {
	return Number(await page.getByLabel('所属单位').inputValue());
}
