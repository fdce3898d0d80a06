// Every portal page is readable before and without any script: the first HTML response carries
// the page's heading and its content (the data under each Suspense), not 正在加载…. Each role
// signs in with scripts on (to get a session); its pages are then opened in a second context of
// the same session with JavaScript disabled.
import { expect, test, type Browser, type Page } from '@playwright/test';

import { DEMO_PASSWORD, HUANG_ID, HUANG_PHONE, PHONE, codeFromLog, logSize, loginAs, pathPattern } from './helpers';

type Check = { path: string; heading: string | RegExp; content: (page: Page) => Promise<void> };

/** A context of `user`'s session with JavaScript disabled. */
async function withoutScripts(browser: Browser, user: string, landing: string, phone = false) {
  const signedIn = await browser.newContext();
  const page = await signedIn.newPage();
  await loginAs(page, user, DEMO_PASSWORD, landing);
  const storageState = await signedIn.storageState();
  await signedIn.close();
  return browser.newContext({ storageState, javaScriptEnabled: false, ...(phone ? { viewport: PHONE } : {}) });
}

async function expectReadable(page: Page, check: Check): Promise<void> {
  const response = await page.goto(check.path);
  expect(response?.status(), `status of ${check.path}`).toBe(200);
  await expect(page.getByRole('heading', { level: 1 }), `heading of ${check.path}`).toHaveText(check.heading);
  await expect(page.getByText(/^正在(加载|统计)…$/), `no fallback left on ${check.path}`).toHaveCount(0);
  // Nothing is waiting for a script to swap it in.
  expect(await page.locator('template').count(), `no streamed fragment on ${check.path}`).toBe(0);
  await check.content(page);
}

/** The page shows a table with at least one row. */
const table = async (page: Page): Promise<void> => {
  const t = page.getByRole('table').first();
  await expect(t).toBeVisible();
  expect(await t.locator('tbody tr').count()).toBeGreaterThan(0);
};

test.describe('pages without JavaScript', () => {
  test('the login page shows its form', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await expectReadable(page, {
      path: '/login',
      heading: '登录',
      content: async (p) => {
        await expect(p.getByLabel('账号', { exact: true })).toBeVisible();
        await expect(p.getByLabel('密码', { exact: true })).toBeVisible();
      },
    });
    await context.close();
  });

  test('the grassroots union pages show their data', async ({ browser }) => {
    const context = await withoutScripts(browser, 'shili', '/union');
    const page = await context.newPage();
    const checks: Check[] = [
      {
        path: '/union',
        heading: '深圳市示例电子有限公司工会委员会',
        content: async (p) => await expect(p.getByRole('main')).toContainText('会员'),
      },
      {
        path: '/union/info',
        heading: '单位信息与工会组织信息',
        content: async (p) => await expect(p.getByLabel('统一社会信用代码', { exact: false }).first()).not.toHaveValue(''),
      },
      { path: '/union/members', heading: '会员信息', content: table },
      {
        path: '/union/import',
        heading: '导入会员',
        content: async (p) => await expect(p.getByRole('link', { name: /下载.*模板/ }).first()).toBeVisible(),
      },
      { path: '/union/cards', heading: '会员服务卡', content: table },
    ];
    for (const check of checks) await expectReadable(page, check);

    // A member's own page, reached from the list's first row.
    await page.goto('/union/members');
    const href = await page.getByRole('table').first().locator('tbody tr a').first().getAttribute('href');
    expect(href).toMatch(/^\/union\/members\/\d+/);
    await page.goto(href!);
    await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('');
    await expect(page.getByRole('textbox', { name: /^证件号码/ })).toHaveValue(/^\d{17}[\dX]$/);
    await context.close();
  });

  test('the bank pages show their data', async ({ browser }) => {
    const context = await withoutScripts(browser, 'boc', '/bank');
    const page = await context.newPage();
    const checks: Check[] = [
      { path: '/bank', heading: '中国银行深圳市分行', content: async (p) => await expect(p.getByRole('main')).toContainText('审核') },
      { path: '/bank/batches', heading: '审核批次', content: table },
      {
        path: '/bank/deliveries',
        heading: '送卡上门',
        content: async (p) => await expect(p.getByRole('heading', { level: 3 }).first()).toContainText('工会'),
      },
      { path: '/bank/cards', heading: '激活与重新制卡', content: table },
    ];
    for (const check of checks) await expectReadable(page, check);

    await page.goto('/bank/batches');
    const href = await page.getByRole('table').first().locator('tbody tr a').first().getAttribute('href');
    expect(href).toMatch(/^\/bank\/batches\/\d+/);
    await expectReadable(page, { path: href!, heading: /^批次 /, content: table });
    await context.close();
  });

  test('the supervisor pages show their data', async ({ browser }) => {
    const context = await withoutScripts(browser, 'szzgh', '/supervisor');
    const page = await context.newPage();
    const checks: Check[] = [
      { path: '/supervisor', heading: '深圳市总工会', content: table },
      { path: '/supervisor/accounts', heading: '账号管理', content: table },
      { path: '/supervisor/calendar', heading: '节假日日历', content: table },
      { path: '/supervisor/hotlines', heading: '服务热线', content: async (p) => await expect(p.getByLabel('第1行 号码')).toHaveValue('12351') },
    ];
    for (const check of checks) await expectReadable(page, check);
    await context.close();
  });

  test('a member signs in with an SMS code and answers on a phone, with no script at all', async ({ browser }) => {
    test.setTimeout(120_000);
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) scripts.push(r.url());
    });
    await expectReadable(page, {
      path: '/me/login',
      heading: '会员登录',
      content: async (p) => await expect(p.getByRole('button', { name: '获取短信验证码' })).toBeVisible(),
    });
    await page.getByLabel('证件号码').fill(HUANG_ID);
    await page.getByLabel('手机号码').fill('138');
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    // refused: the page comes back with the message beside the field (what was typed is kept
    // only for a code sent, so a shared phone never shows the last person's numbers)
    await expect(page.locator('#phone-error')).toHaveText('请输入11位手机号码。');
    await page.getByLabel('证件号码').fill(HUANG_ID);
    await page.getByLabel('手机号码').fill(HUANG_PHONE);
    let before = logSize();
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    // member.spec asked for 黄丽's code shortly before: one code a minute per ID number
    const wait = await page.getByRole('alert').filter({ hasText: '验证码已发送，请' }).textContent({ timeout: 1000 }).catch(() => null);
    if (wait) {
      const m = /请(?:(\d+)分)?(?:(\d+)秒)?/.exec(wait)!;
      await page.waitForTimeout((Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + 1) * 1000);
      before = logSize();
      await page.getByLabel('证件号码').fill(HUANG_ID);
      await page.getByLabel('手机号码').fill(HUANG_PHONE);
      await page.getByRole('button', { name: '获取短信验证码' }).click();
    }
    await expect(page.getByRole('status').filter({ hasText: '验证码已发送到该手机' })).toBeVisible();
    await expect(page.getByLabel('证件号码')).toHaveValue(HUANG_ID);
    await page.getByLabel('短信验证码').fill(await codeFromLog(before));
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page).toHaveURL(pathPattern('/me'));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的会员服务卡');
    await expect(page.getByRole('region', { name: '会员服务卡' })).toContainText('黄丽');
    await page.getByRole('button', { name: '我已领到卡' }).click();
    await expect(page.getByText('您已确认领到卡')).toBeVisible();
    await expect(page.getByRole('button', { name: '我已领到卡' })).toHaveAttribute('aria-pressed', 'true');
    // a report refused comes back open, with its message
    await page.getByText('信息有误，我要反馈').click();
    await page.getByRole('button', { name: '提交给工会' }).click();
    await expect(page.locator('#report-proposed-error')).toHaveText('请填写正确的信息。');
    await page.getByRole('button', { name: '退出登录' }).click();
    await expect(page).toHaveURL(pathPattern('/me/login'));
    expect(scripts, 'the member downloads no script').toEqual([]);
    await context.close();
  });

  test('a member reads the card on a phone', async ({ browser }) => {
    const context = await withoutScripts(browser, 'member', '/me', true);
    const page = await context.newPage();
    await expectReadable(page, {
      path: '/me',
      heading: '我的会员服务卡',
      content: async (p) => {
        await expect(p.getByRole('region', { name: '会员服务卡' })).toContainText('黄丽');
        await expect(p.getByRole('list').filter({ hasText: /\d{4}-\d{2}-\d{2}/ }).first()).toBeVisible();
      },
    });
    await context.close();
  });
});
