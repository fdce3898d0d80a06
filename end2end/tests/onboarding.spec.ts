// A supervisor opens a grassroots union account; the union activates it with a new password
// and completes its 单位信息, which lifts the lock on importing members.
import { expect, test, type Page } from '@playwright/test';

import {
  BRANCH_FUTIAN,
  CONTACT_PHONE,
  DEMO_PASSWORD,
  VALID_CREDIT_CODE,
  activate,
  changePassword,
  createGrassrootsAccount,
  createGrassrootsAccountAsFutian,
  fillInfo,
  login,
  loginAs,
  logout,
  open,
  pathPattern,
  settle,
} from './helpers';

const NEW_PASSWORD = 'Kaika2026x';

/** The note that locks import until 单位信息 is complete. */
const infoLock = (page: Page) => page.getByRole('note').filter({ hasText: '请先完善单位信息' });

test('a supervisor opens a grassroots union account and the union activates it with a new password', async ({ page }) => {
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  const account = await createGrassrootsAccount(page, 'kaika');

  // The one-time password is shown with the union it is for, and the account waits for activation.
  const box = page.locator('.credentials').filter({ hasText: '账号已开设' });
  await expect(box).toContainText(account.unionName);
  await expect(box).toContainText('初始密码只显示这一次');
  await expect(page.getByRole('row').filter({ hasText: account.username })).toContainText('待激活');
  await logout(page);

  // The initial password leads to the password change, and nowhere else.
  await login(page, account.username, account.password);
  await expect(page).toHaveURL(pathPattern('/change-password'));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('激活账号：设置新密码');
  await expect(page.getByText(`账号：${account.username}`)).toBeVisible();
  for (const p of ['/union', '/union/info', '/union/members', '/supervisor']) {
    await page.goto(p);
    await expect(page, `${p} waits for the password change`).toHaveURL(pathPattern('/change-password'));
  }
  await open(page, '/change-password');

  // The server checks the new password and answers every refused field at once, beside it (the
  // page is a plain form, sent without scripts).
  const attempt = async (next: string, confirm: string) => {
    await page.getByLabel('初始密码', { exact: true }).fill(account.password);
    await page.getByLabel('新密码', { exact: true }).fill(next);
    await page.getByLabel('再次输入新密码', { exact: true }).fill(confirm);
    await page.getByRole('button', { name: '确认修改' }).click();
    await expect(page).toHaveURL(pathPattern('/change-password'));
    await settle(page);
  };
  await attempt('abc123', 'abc1234');
  await expect(page.locator('#new-error')).toHaveText('密码至少8位。');
  await expect(page.locator('#confirm-error')).toHaveText('两次输入的新密码不一致。');
  await attempt(NEW_PASSWORD, `${NEW_PASSWORD}y`);
  await expect(page.locator('#new-error')).toHaveCount(0);
  await expect(page.locator('#confirm-error')).toHaveText('两次输入的新密码不一致。');

  await changePassword(page, account.password, NEW_PASSWORD, '/union');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(account.unionName);
  await expect(infoLock(page)).toBeVisible();
  await expect(infoLock(page)).toContainText('单位名称');
  await expect(infoLock(page)).toContainText('统一社会信用代码');
  await open(page, '/union/members');
  await expect(infoLock(page)).toBeVisible();

  // The new password is the one that works from now on.
  await logout(page);
  await loginAs(page, account.username, NEW_PASSWORD, '/union');
});

test('a new union completes its 单位信息, a bad credit code is pointed out first, and the lock lifts', async ({
  page,
  browser,
}) => {
  const account = await createGrassrootsAccountAsFutian(browser, 'xinxi');
  await activate(page, account, NEW_PASSWORD);
  await expect(infoLock(page)).toBeVisible();
  await infoLock(page).getByRole('link', { name: '去完善单位信息' }).click();
  await expect(page).toHaveURL(pathPattern('/union/info'));
  await open(page, '/union/info');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('单位信息与工会组织信息');
  await expect(page.locator('p.notice')).toContainText('尚未填写');

  const unitName = account.unionName.replace('工会委员会', '');
  await fillInfo(page, account.unionName, unitName);

  // A credit code with a wrong check character: the server refuses 保存 (the page is a plain
  // form), says why under the field and above the button, and keeps everything typed.
  await page.locator('#credit_code').fill('91110000600037341M');
  await page.getByRole('button', { name: '保存' }).click();
  const creditError = page.locator('#credit_code-error');
  await expect(creditError).toHaveText('统一社会信用代码校验位不正确，请核对营业执照。');
  await expect(page.locator('p.error[role="alert"]')).toHaveText('统一社会信用代码校验位不正确，请核对营业执照。');
  await expect(page.getByText('已保存。')).toHaveCount(0);
  await expect(page.locator('#unit_name'), 'typed values survive a refused save').toHaveValue(unitName);
  await expect(page.locator('#credit_code')).toHaveValue('91110000600037341M');
  await expect(page.locator('#pickup_branch'), 'the chosen branch survives a refused save').toHaveValue(BRANCH_FUTIAN);
  await page.locator('#credit_code').fill('9111000060003734');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(creditError).toHaveText('统一社会信用代码应为18位。');

  await page.locator('#credit_code').fill(VALID_CREDIT_CODE);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  await expect(creditError).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.locator('p.notice')).toHaveCount(0);

  // Saved for good: a fresh load shows the values and no missing fields.
  await open(page, '/union/info');
  await expect(page.locator('#credit_code')).toHaveValue(VALID_CREDIT_CODE);
  await expect(page.locator('#contact_phone')).toHaveValue(CONTACT_PHONE);
  await expect(page.locator('#pickup_branch')).toHaveValue(BRANCH_FUTIAN);
  await expect(page.locator('p.notice')).toHaveCount(0);

  for (const p of ['/union', '/union/members']) {
    await open(page, p);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByText('请先完善单位信息'), `${p} is no longer locked`).toHaveCount(0);
  }
});
