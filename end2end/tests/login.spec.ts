// Logging in and out with each of the six demo accounts, and what a visitor without the
// right account sees.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, login, loginAs, logout, open, pathPattern } from './helpers';

const accounts = [
  { user: 'szzgh', role: 'city supervisor', home: '/supervisor', portal: '工会业务工作平台', heading: '深圳市总工会' },
  { user: 'futian', role: 'district supervisor', home: '/supervisor', portal: '工会业务工作平台', heading: '福田区总工会' },
  { user: 'shili', role: 'grassroots union', home: '/union', portal: '基层工会工作平台', heading: '深圳市示例电子有限公司工会委员会' },
  { user: 'yangban', role: 'grassroots union', home: '/union', portal: '基层工会工作平台', heading: '深圳市样板物流有限公司工会委员会' },
  { user: 'boc', role: 'bank', home: '/bank', portal: '中国银行会员服务卡工作台', heading: '中国银行深圳市分行' },
  { user: 'member', role: 'member', home: '/me', portal: '会员服务平台', heading: '我的会员服务卡' },
];

test.describe('login and logout', () => {
  for (const a of accounts) {
    test(`the ${a.role} account ${a.user} logs in to ${a.home} and logs out back to its login page`, async ({ page }) => {
      const member = a.user === 'member';
      await loginAs(page, a.user, DEMO_PASSWORD, a.home);
      await expect(page.locator('header .portal-name')).toHaveText(a.portal);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(a.heading);
      // staff see their account name; a member their own name (a member's account is internal)
      await expect(page.locator('header .who')).toContainText(member ? '黄丽' : a.user);
      await expect(page.getByRole('navigation', { name: '主导航' })).toBeVisible();
      if (a.user === 'member') {
        await expect(page.locator('.member-card')).toContainText('黄丽');
      }

      await logout(page, member);
      // The session is gone: the portal sends the visitor back to the login page.
      await page.goto(a.home);
      await expect(page).toHaveURL(pathPattern(member ? '/me/login' : '/login'));
    });
  }

  test('a visitor who is not signed in is sent from a portal page to its login page', async ({ page }) => {
    for (const p of ['/supervisor', '/union/info', '/bank']) {
      await page.goto(p);
      await expect(page).toHaveURL(pathPattern('/login'));
    }
    await page.goto('/me');
    await expect(page).toHaveURL(pathPattern('/me/login'));
    await page.goto('/');
    await expect(page).toHaveURL(pathPattern('/login'));
  });

  test('an empty login form asks for the account and password without counting a failure', async ({ page }) => {
    await open(page, '/login');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.locator('#username-error')).toHaveText('请输入账号和密码。');
    await expect(page).toHaveURL(pathPattern('/login'));
  });

  test('a signed-in account sees 无权访问 on another role’s page and / takes it home', async ({ page }) => {
    await loginAs(page, 'member', DEMO_PASSWORD, '/me');
    await open(page, '/supervisor/accounts');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('无权访问');
    await expect(page.getByRole('button', { name: '开设账号' })).toHaveCount(0);
    await page.getByRole('link', { name: '返回我的首页' }).click();
    await expect(page).toHaveURL(pathPattern('/me'));
    await page.goto('/');
    await expect(page).toHaveURL(pathPattern('/me'));
  });

  test('a login with an account that does not exist is refused like a wrong password', async ({ page }) => {
    // One failed attempt (the per-address limit is 30 in 15 minutes; the suite uses six).
    const nobody = `nobody_${Date.now().toString(36)}`;
    await login(page, nobody, 'Wrong2026x');
    await expect(page.locator('#password-error')).toHaveText('账号或密码错误，再错4次账号将被锁定15分钟。');
    await expect(page).toHaveURL(pathPattern('/login'));
    // the page (a plain form) comes back with the account typed, never the password
    await expect(page.getByLabel('账号', { exact: true })).toHaveValue(nobody);
    await expect(page.getByLabel('密码', { exact: true })).toHaveValue('');
  });
});
