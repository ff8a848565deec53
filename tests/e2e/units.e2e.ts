import { expect, test } from '@playwright/test';
import { demo, pageAs } from './helpers';

test('the committee creates, renames, moves and archives a unit', async ({ browser }) => {
	const page = await pageAs(browser, demo.committee);
	await page.goto('/units');
	// Hydration sets each <details> to what the page's data says, closing one opened before it ran: wait for it.
	await page.waitForLoadState('networkidle');
	// The unit's own card, found by its name in bold (every card also lists all units in its move picker).
	const unitItem = (name: string) => page.locator('.tree li', { has: page.locator(`strong:text-is("${name}")`) });
	const manage = async (name: string) => {
		const item = unitItem(name);
		await item.locator('details').evaluate((d) => ((d as HTMLDetailsElement).open = true));
		return item;
	};
	const openCreate = () => page.locator('summary', { hasText: '新增单位' }).evaluate((summary) => ((summary.parentElement as HTMLDetailsElement).open = true));
	await openCreate();
	await page.getByLabel('单位名称').fill('测试新支部');
	await page.getByLabel('类型').selectOption('branch');
	await page.getByLabel('上级单位').selectOption({ label: '某县教育工委/县第一中学党总支' });
	await page.getByRole('button', { name: '新增单位' }).click();
	const item = unitItem('测试新支部');
	await expect(item).toBeVisible();

	// A second unit of the same name under the same parent is refused with a message.
	await openCreate();
	await page.getByLabel('单位名称').fill('测试新支部');
	await page.getByLabel('上级单位').selectOption({ label: '某县教育工委/县第一中学党总支' });
	await page.getByRole('button', { name: '新增单位' }).click();
	await expect(page.getByRole('alert')).toHaveText('同一上级下已有同名单位。');

	await (await manage('测试新支部')).getByLabel('改名').fill('测试改名支部');
	await item.getByRole('button', { name: '改名' }).click();
	const renamed = unitItem('测试改名支部');
	await expect(renamed).toBeVisible();

	await (await manage('测试改名支部')).getByLabel('移到').selectOption({ label: '某县教育工委' });
	await renamed.getByRole('button', { name: '移动' }).click();
	await expect(unitItem('测试改名支部').and(page.locator('.depth-1'))).toBeVisible();

	// A unit with members cannot be archived: the message says why.
	await (await manage('县实验小学党支部')).getByRole('button', { name: '撤销单位' }).click();
	await expect(page.getByRole('alert')).toContainText('该单位还有在册成员');

	await (await manage('测试改名支部')).getByRole('button', { name: '撤销单位' }).click();
	await expect(unitItem('测试改名支部')).toHaveCount(0);
	await page.getByRole('link', { name: '显示已撤销的单位' }).click();
	await expect(unitItem('测试改名支部')).toContainText('已撤销');
});
