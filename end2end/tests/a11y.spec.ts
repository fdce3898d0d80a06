// Accessibility (axe, every rule it runs by default) and screenshots of every page, at desktop
// (1280×800) and phone (390×844) width. Screenshots go to end2end/screenshots/ (git-ignored):
// <name>-desktop.png and <name>-phone.png.
import { expect, test } from '@playwright/test';

import {
  DEMO_PASSWORD,
  auditPage,
  changePassword,
  createGrassrootsAccount,
  createGrassrootsAccountAsFutian,
  login,
  loginAs,
  open,
  pathPattern,
} from './helpers';

test.describe('accessibility and screenshots', () => {
  test('the login page has no axe violations, also while it shows a field error', async ({ page }) => {
    await open(page, '/login');
    await auditPage(page, 'login');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.locator('#username-error')).toBeVisible();
    await auditPage(page, 'login-error');
  });

  test('the change-password page of a new account and the locked union home have no axe violations', async ({
    page,
    browser,
  }) => {
    const account = await createGrassrootsAccountAsFutian(browser, 'a11y');
    await login(page, account.username, account.password);
    await expect(page).toHaveURL(pathPattern('/change-password'));
    await open(page, '/change-password');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('激活账号：设置新密码');
    await auditPage(page, 'change-password');

    // With the server's answer under the fields (the page is a plain form, sent without scripts).
    await page.getByLabel('初始密码', { exact: true }).fill(account.password);
    await page.getByLabel('新密码', { exact: true }).fill('abc');
    await page.getByLabel('再次输入新密码', { exact: true }).fill('abd');
    await page.getByRole('button', { name: '确认修改' }).click();
    await expect(page.locator('#new-error')).toContainText('至少8位');
    await expect(page.locator('#confirm-error')).toBeVisible();
    await auditPage(page, 'change-password-errors');

    await changePassword(page, account.password, 'Kaika2026x', '/union');
    await expect(page.getByText('请先完善单位信息')).toBeVisible();
    await auditPage(page, 'union-locked');
    await open(page, '/union/info');
    await auditPage(page, 'union-info-empty');
  });

  test('the supervisor pages have no axe violations', async ({ page }) => {
    await loginAs(page, 'szzgh', DEMO_PASSWORD, '/supervisor');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('深圳市总工会');
    await auditPage(page, 'supervisor');
    await open(page, '/supervisor/accounts');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('账号管理');
    await auditPage(page, 'supervisor-accounts');

    // After opening an account: the one-time credentials box.
    await createGrassrootsAccount(page, 'a11yc');
    await auditPage(page, 'supervisor-accounts-created');
  });

  test('the district supervisor overview has no axe violations', async ({ page }) => {
    await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('福田区总工会');
    await auditPage(page, 'supervisor-district');
    await open(page, '/supervisor/calendar');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await auditPage(page, 'supervisor-calendar-district');
  });

  test('the grassroots union pages have no axe violations', async ({ page }) => {
    await loginAs(page, 'shili', DEMO_PASSWORD, '/union');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('深圳市示例电子有限公司工会委员会');
    await auditPage(page, 'union');
    await open(page, '/union/info');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('单位信息与工会组织信息');
    await expect(page.locator('#credit_code')).not.toHaveValue('');
    await auditPage(page, 'union-info');
    await open(page, '/union/members');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('会员信息');
    await expect(page.getByRole('table')).toBeVisible();
    await auditPage(page, 'union-members');
  });

  test('the bank desk has no axe violations', async ({ page }) => {
    await loginAs(page, 'boc', DEMO_PASSWORD, '/bank');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('中国银行深圳市分行');
    await expect(page.getByRole('table')).toContainText('104584000101');
    await expect(page.getByRole('region', { name: '待办' })).toContainText('2个批量办卡申请待审核');
    await auditPage(page, 'bank');
  });

  test('the member’s card page has no axe violations', async ({ page }) => {
    await loginAs(page, 'member', DEMO_PASSWORD, '/me');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的会员服务卡');
    await auditPage(page, 'me');
  });
});
