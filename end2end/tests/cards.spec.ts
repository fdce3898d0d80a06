// 会员服务卡 for a grassroots union: the tabs with their counts, a batch application for the
// selected members and 全部批量办卡 with its confirmation, and a rejected member set back to
// 待办卡. Uses 深圳市样板物流有限公司工会委员会 (yangban), whose demo cards no other spec moves: it has
// 2 members in 未办卡—待办卡 and 2 in 未办卡—待处理 (rejected: 姓名与证件号码不符), and collects its
// cards at 中国银行深圳车公庙支行.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, auditPage, loginAs, open, settle } from './helpers';

test('a union sends its pending members to the bank in batches and sets a fixed rejection back to 待办卡', async ({ page }) => {
  await loginAs(page, 'yangban', DEMO_PASSWORD, '/union');
  // the home page lists what waits for the union
  const todo = page.getByRole('region', { name: '待办' });
  await expect(todo).toContainText('2名会员被银行退回');
  await expect(todo).toContainText('2名会员待发起批量办卡');
  // each item opens the tab where it is done, and the address keeps the tab for a reload
  await todo.getByRole('link', { name: /名会员被银行退回/ }).click();
  await expect(page).toHaveURL(/\/union\/cards\?tab=rejected$/);
  await settle(page);
  const rejectedTab = page.getByRole('tablist', { name: '办卡状态' }).getByRole('tab', { name: /未办卡—待处理/ });
  await expect(rejectedTab).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tablist', { name: '办卡状态' }).getByRole('tab', { name: /已激活/ }).click();
  await expect(page).toHaveURL(/\/union\/cards\?tab=activated$/);

  await open(page, '/union/cards');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('会员服务卡');
  const tabs = page.getByRole('tablist', { name: '办卡状态' });
  const pendingTab = tabs.getByRole('tab', { name: /未办卡—待办卡/ });
  await expect(pendingTab).toHaveAttribute('aria-selected', 'true');
  await expect(pendingTab).toContainText('2');
  await auditPage(page, 'union-cards');

  // one selected member as a batch
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(2);
  await rows.first().getByRole('checkbox').check();
  await page.getByRole('button', { name: '发起批量办卡（已选 1 人）' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发起批量办卡' })).toContainText('共 1 人');
  await expect(rows).toHaveCount(1);
  await expect(pendingTab).toContainText('1');

  // all the rest, after a confirmation naming the count and the pickup branch
  await page.getByRole('button', { name: '全部批量办卡（1 人）' }).click();
  const dialog = page.getByRole('alertdialog');
  await expect(dialog).toContainText('将为全部 1 名待办卡会员发起批量办卡，领卡网点：中国银行深圳车公庙支行');
  await dialog.getByRole('button', { name: '确定提交' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已发起批量办卡' })).toContainText('共 1 人');
  await expect(page.getByText('这里暂时没有会员。')).toBeVisible();
  await expect(page.getByRole('button', { name: /全部批量办卡/ })).toBeDisabled();

  // the bank's reasons, with what to do, and a fixed member back to 待办卡
  await tabs.getByRole('tab', { name: /未办卡—待处理/ }).click();
  const rejections = page.locator('li.rejection');
  await expect(rejections).toHaveCount(2);
  await expect(rejections.first()).toContainText('姓名与证件号码不符');
  await expect(rejections.first()).toContainText('处理方法');
  await auditPage(page, 'union-cards-rejected');
  await rejections.first().getByRole('checkbox').check();
  await page.getByRole('button', { name: '改为待办卡（已选 1 人）' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已将 1 人改为待办卡' })).toBeVisible();
  await expect(rejections).toHaveCount(1);
  await expect(pendingTab).toContainText('1');
});
