// A supervisor's account management: resetting a password, disabling and enabling an account.
import { expect, test, type Page } from '@playwright/test';

import {
  DEMO_PASSWORD,
  createGrassrootsAccount,
  login,
  loginAs,
  newSession,
  pathPattern,
} from './helpers';

/** Narrows the account list to one username (the search runs when the field changes). */
async function search(page: Page, username: string): Promise<void> {
  const field = page.getByLabel('搜索账号或工会名称');
  await field.fill(username);
  await field.press('Enter');
  await field.blur();
  await expect(page.getByRole('row')).toHaveCount(2); // the header and the one account
}

test('a supervisor resets a union’s password and disables the account, whose login is then refused', async ({
  page,
  browser,
}) => {
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  const account = await createGrassrootsAccount(page, 'reset');
  await search(page, account.username);
  const row = page.getByRole('row').filter({ hasText: account.username });
  await expect(row).toContainText('待激活');
  await expect(row).toContainText('从未登录');

  // Reset: a new one-time password, shown once.
  await page.getByRole('button', { name: `重置 ${account.username} 的密码` }).click();
  // asked once more, saying what follows; 取消 leaves it as it was
  await expect(row.getByRole('alert')).toContainText('原密码立即失效');
  await row.getByRole('button', { name: '取消' }).click();
  await expect(page.locator('.credentials').filter({ hasText: '密码已重置' })).toHaveCount(0);
  await page.getByRole('button', { name: `重置 ${account.username} 的密码` }).click();
  await row.getByRole('button', { name: '确定重置' }).click();
  const box = page.locator('.credentials').filter({ hasText: '密码已重置' });
  await expect(box).toBeVisible();
  await expect(box.locator('code.username')).toHaveText(account.username);
  const resetPassword = (await box.locator('code.initial-password').innerText()).trim();
  expect(resetPassword.length).toBeGreaterThanOrEqual(8);
  expect(resetPassword).not.toBe(account.password);

  // The reset password works (and leads to the password change).
  {
    const union = await newSession(browser);
    await login(union.page, account.username, resetPassword);
    await expect(union.page).toHaveURL(pathPattern('/change-password'));
    await union.context.close();
  }

  // Disable: the row says so, and the login is refused with the reason.
  await page.getByRole('button', { name: `停用 ${account.username}` }).click();
  await row.getByRole('button', { name: '确定停用' }).click();
  await expect(row).toContainText('已停用');
  await expect(page.getByRole('button', { name: `启用 ${account.username}` })).toBeVisible();
  {
    const union = await newSession(browser);
    await login(union.page, account.username, resetPassword);
    await expect(union.page.getByRole('alert').filter({ hasText: '该账号已停用，请联系上级工会。' })).toBeVisible();
    await expect(union.page).toHaveURL(pathPattern('/login'));
    await union.context.close();
  }

  // Enable again: the login works once more.
  await page.getByRole('button', { name: `启用 ${account.username}` }).click();
  await expect(row).not.toContainText('已停用');
  await expect(page.getByRole('button', { name: `停用 ${account.username}` })).toBeVisible();
  {
    const union = await newSession(browser);
    await login(union.page, account.username, resetPassword);
    await expect(union.page).toHaveURL(pathPattern('/change-password'));
    await union.context.close();
  }
});

test('the account form explains a bad username and a name that is not a union’s full name', async ({ page }) => {
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await page.goto('/supervisor/accounts');
  await page.waitForLoadState('networkidle');
  await page.locator('#level').selectOption('grassroots');
  await page.locator('#union_name').fill('深圳市某某有限公司');
  await page.locator('#new_username').fill('a b');
  await page.getByRole('button', { name: '开设账号' }).click();
  await expect(page.locator('#union_name-error')).toHaveText('请填写工会全称（如“××有限公司工会委员会”），而非单位名称。');
  await expect(page.locator('#username-error')).toBeVisible();
  await expect(page.locator('.credentials')).toHaveCount(0);

  // An account name already in use is refused.
  await page.locator('#union_name').fill(`深圳市重名测试${Date.now().toString(36)}有限公司工会委员会`);
  await page.locator('#new_username').fill('shili');
  await page.getByRole('button', { name: '开设账号' }).click();
  await expect(page.locator('#username-error')).toHaveText('该账号已存在，请换一个。');
  await expect(page.locator('#union_name-error')).toHaveCount(0);
  await expect(page.locator('.credentials')).toHaveCount(0);
});
