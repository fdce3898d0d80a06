// The bank's 更正信息 at activation (激活与重新制卡): a correction the server refuses keeps the
// form open with what the officer typed, each message under its field; nothing is saved.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, loginAs, settle } from './helpers';

test('a refused correction keeps the form, the typed values and a message under each field', async ({ page }) => {
  await loginAs(page, 'boc', DEMO_PASSWORD, '/bank');
  await page.goto('/bank/cards');
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('激活与重新制卡');
  const row = page.getByRole('region', { name: '会员服务卡列表' }).locator('tbody tr').first();
  const name = (await row.locator('td.name').innerText()).trim();
  await row.getByRole('button', { name: `更正信息 ${name}` }).click();

  const form = page.locator('tr.reject-row form');
  const phone = form.getByLabel('手机号码');
  const fullName = form.getByLabel('姓名');
  await phone.fill('1380013800');
  await fullName.fill(`${name}2`);
  await form.getByRole('button', { name: '保存更正' }).click();

  // refused: still open, nothing typed lost, the reasons where they belong
  await expect(form.locator('.field-error').first()).toBeVisible();
  await expect(phone).toHaveValue('1380013800');
  await expect(fullName).toHaveValue(`${name}2`);
  await expect(form.locator('#' + (await phone.getAttribute('aria-describedby')))).toContainText('手机');
  await expect(form.locator('#' + (await fullName.getAttribute('aria-describedby')))).not.toBeEmpty();
  await expect(page.locator('p.notice', { hasText: '已更正会员信息' })).toHaveCount(0);

  // nothing was saved: the list still shows the name as it was
  await page.reload();
  await settle(page);
  const names = page.getByRole('region', { name: '会员服务卡列表' }).locator('td.name');
  await expect(names.filter({ hasText: new RegExp(`^${name}$`) }).first()).toBeVisible();
  await expect(names.filter({ hasText: `${name}2` })).toHaveCount(0);
});
