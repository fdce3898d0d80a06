// A grassroots union's member list: paging, search and the card-state filter. The seed gives
// 深圳市示例电子有限公司工会委员会 (shili) 24 members, one of them 黄丽.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, DESKTOP, PHONE, loginAs, open } from './helpers';

test('a union pages through its members, finds one by name and filters them by card state', async ({ page }) => {
  await loginAs(page, 'shili', DEMO_PASSWORD, '/union');
  await open(page, '/union/members');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('会员信息');
  // A demo union has complete 单位信息: nothing is locked.
  await expect(page.getByText('请先完善单位信息')).toHaveCount(0);

  // The list is sent without scripts: its pages are links and 查询 a plain form; the address
  // holds the filters and page (a reload or Back keeps the list), never the search text.
  const pager = page.getByRole('navigation', { name: '分页' });
  const previous = pager.getByRole('link', { name: '上一页', exact: true });
  const next = pager.getByRole('link', { name: '下一页', exact: true });
  const bodyRows = page.locator('table tbody tr');
  await expect(pager).toContainText('第 1 / 2 页，共 24 条');
  await expect(bodyRows).toHaveCount(20);
  await expect(previous).toHaveCount(0);
  await expect(pager.getByText('上一页')).toHaveAttribute('aria-disabled', 'true');

  await next.click();
  await expect(page).toHaveURL(/\/union\/members\?page=2$/);
  await expect(pager).toContainText('第 2 / 2 页，共 24 条');
  await expect(bodyRows).toHaveCount(4);
  await expect(next).toHaveCount(0);
  await previous.click();
  await expect(pager).toContainText('第 1 / 2 页');

  // Search by name (Enter sends the form).
  const search = page.getByLabel('姓名或证件号码、手机号后4至6位');
  await search.fill('黄丽');
  await search.press('Enter');
  await expect(page).toHaveURL(/\/union\/members\?search=1$/);
  await expect(search).toHaveValue('黄丽');
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText('黄丽');
  await expect(bodyRows.first()).toContainText('已发放');
  // Identity numbers and phone numbers are masked.
  await expect(bodyRows.first().locator('td.mono').first()).toContainText('*');

  // On a phone every field of a member is on the screen, no column to scroll sideways to.
  await page.setViewportSize(PHONE);
  for (const cell of ['td.name', 'td.id', 'td.phone', 'td.department', 'td.state']) {
    const box = await bodyRows.first().locator(cell).boundingBox();
    expect(box, `${cell} is laid out`).not.toBeNull();
    expect(box!.x + box!.width, `${cell} fits the screen`).toBeLessThanOrEqual(PHONE.width);
  }
  await page.setViewportSize(DESKTOP);

  // Filter by card state: every row shown has that state.
  await page.getByRole('link', { name: '清除条件' }).click();
  await expect(pager).toContainText('共 24 条');
  await page.getByLabel('办卡状态').selectOption({ label: '已激活' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(page).toHaveURL(/[?&]state=activated/);
  await expect(pager).not.toContainText('共 24 条');
  await expect(page.getByLabel('办卡状态')).toHaveValue('activated');
  const tags = page.locator('table tbody .state-tag');
  await expect(tags.first()).toHaveText('已激活');
  for (const text of await tags.allInnerTexts()) expect(text.trim()).toBe('已激活');

  await search.fill('不存在的名字');
  await search.press('Enter');
  await expect(page.getByText('没有符合条件的会员。')).toBeVisible();
});

test('a union filters its members by department, each department offered with its head count', async ({ page }) => {
  await loginAs(page, 'shili', DEMO_PASSWORD, '/union');
  await open(page, '/union/members');
  const filter = page.getByLabel('部门');
  const option = filter.locator('option', { hasText: '仓储部' });
  await expect(option).toHaveCount(1);
  const label = (await option.innerText()).trim();
  const count = Number(/（(\d+)人）/.exec(label)?.[1]);
  expect(count).toBeGreaterThan(0);
  await filter.selectOption({ label });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(filter).toHaveValue('仓储部');
  const pager = page.getByRole('navigation', { name: '分页' });
  await expect(pager).toContainText(`共 ${count} 条`);
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(Math.min(count, 20));
  for (const text of await rows.locator('td:nth-child(4)').allInnerTexts()) expect(text.trim()).toBe('仓储部');
  // back to every department
  await filter.selectOption({ label: '全部部门' });
  await page.getByRole('button', { name: '查询' }).click();
  await expect(pager).toContainText('共 24 条');
});
