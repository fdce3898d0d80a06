// Shared steps for the UnionCard browser tests: logging in, opening accounts through the
// supervisor UI, waiting for a page to settle, axe checks and screenshots.
import * as fs from 'node:fs';
import * as path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page, type Response } from '@playwright/test';

/** The password of every demo account made by `unioncard seed-demo`. */
export const DEMO_PASSWORD = 'Demo2026';

/** A valid unified social credit code (its check character is right). */
export const VALID_CREDIT_CODE = '91110000600037341L';
export const CONTACT_PHONE = '0755-83288060';
export const BRANCH_FUTIAN = '104584000101'; // 中国银行深圳福田支行
export const BRANCH_CHEGONGMIAO = '104584000102'; // 中国银行深圳车公庙支行

// 黄丽 of the demo data (unioncard seed-demo): her card has been handed out (已发放).
export const HUANG_ID = '440304197001011007';
export const HUANG_PHONE = '13800138000';

/** The size of the server's log (scripts/test.sh names it in SERVER_LOG), to read what follows. */
export function logSize(): number {
  const log = process.env.SERVER_LOG;
  expect(log, 'scripts/test.sh names the server log in SERVER_LOG').toBeTruthy();
  return fs.statSync(log!).size;
}

/** The newest SMS code the demo server wrote to its log after `after` bytes, waiting for it. */
export async function codeFromLog(after: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const text = fs.readFileSync(process.env.SERVER_LOG!, 'utf8').slice(after);
    const codes = [...text.matchAll(/验证码为(\d{6})/g)];
    if (codes.length > 0) return codes[codes.length - 1][1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no SMS code in the server log');
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const SCREENSHOT_DIR = path.resolve(__dirname, '..', 'screenshots');

/** A short suffix that makes usernames and union names unique across runs and tests. */
export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/**
 * Waits until the page has finished loading, the wasm bundle has hydrated it (the body's
 * `data-hydrated` mark, no request in flight for 500 ms) and no Suspense fallback (正在加载… /
 * 正在统计…) is left on screen.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('load');
  await page.waitForLoadState('networkidle');
  // a page that hydrates marks its body once it has (the member's script-free pages do not)
  if ((await page.locator('script[type="module"], link[rel="modulepreload"]').count()) > 0) {
    await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  }
  await expect(page.getByText(/^正在(加载|统计)…$/)).toHaveCount(0);
  expect(cspViolations.get(page) ?? [], 'the page ran within its Content Security Policy').toEqual([]);
}

/** What Chromium refused on each page because of the Content Security Policy. */
const cspViolations = new WeakMap<Page, string[]>();

/** Starts noting the page's Content Security Policy violations (once per page). */
function watchCsp(page: Page): void {
  if (cspViolations.has(page)) return;
  const seen: string[] = [];
  cspViolations.set(page, seen);
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.push(msg.text());
  });
}

/**
 * The headers every page must carry: never kept (no-store), a Content Security Policy with a
 * nonce and without unsafe-inline, no sniffing, no referrer to other sites, no framing.
 */
export function expectSecurityHeaders(response: Response): void {
  const h = response.headers();
  const where = response.url();
  expect(h['cache-control'], `Cache-Control of ${where}`).toBe('no-store');
  expect(h['content-security-policy'], `CSP of ${where}`).toMatch(/script-src 'self' 'nonce-[\w-]+' 'wasm-unsafe-eval'/);
  expect(h['content-security-policy']).not.toContain('unsafe-inline');
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['referrer-policy']).toBe('same-origin');
  expect(h['x-frame-options']).toBe('DENY');
}

/** Opens a path, checks the page's security headers and waits for it to settle. */
export async function open(page: Page, urlPath: string): Promise<void> {
  watchCsp(page);
  const response = await page.goto(urlPath);
  expect(response, `a response for ${urlPath}`).not.toBeNull();
  if (response) expectSecurityHeaders(response);
  await settle(page);
}

/** Whether a response is the answer of the login server function. */
function isLoginCall(r: Response): boolean {
  return r.request().method() === 'POST' && /\/api\/login\b/.test(r.url());
}

/**
 * Opens /login, types the account and password and presses 登录. Returns the server's answer
 * to the login call (the caller asserts where the page went or what it says).
 */
export async function login(page: Page, user: string, pw: string): Promise<Response> {
  await open(page, '/login');
  await page.getByLabel('账号', { exact: true }).fill(user);
  await page.getByLabel('密码', { exact: true }).fill(pw);
  const answer = page.waitForResponse(isLoginCall);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  return answer;
}

/** Logs in and expects to land on `landing` (a path such as /supervisor). */
export async function loginAs(page: Page, user: string, pw: string, landing: string): Promise<void> {
  await login(page, user, pw);
  await expect(page).toHaveURL(pathPattern(landing));
  await settle(page);
}

/** Presses 退出登录 and expects the login page (a member's: /me/login, 会员登录). */
export async function logout(page: Page, member = false): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(pathPattern(member ? '/me/login' : '/login'));
  await expect(page.getByRole('heading', { level: 1, name: member ? '会员登录' : '登录' })).toBeVisible();
  await settle(page);
}

/** A URL pattern for exactly this path (any query string allowed). */
export function pathPattern(p: string): RegExp {
  const escaped = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^https?://[^/]+${escaped}(\\?.*)?$`);
}

/** A fresh browser session (own cookies) with the project's base URL and a desktop viewport. */
export async function newSession(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const use = test.info().project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    locale: use.locale,
    timezoneId: use.timezoneId,
    viewport: DESKTOP,
  });
  const page = await context.newPage();
  return { context, page };
}

export interface NewAccount {
  username: string;
  unionName: string;
  /** The one-time initial password shown to the supervisor. */
  password: string;
}

/**
 * On /supervisor/accounts of a signed-in supervisor, opens a grassroots union account under
 * the first 上级工会 on offer and returns what the page shows once: account and initial password.
 */
export async function createGrassrootsAccount(page: Page, prefix = 'e2e'): Promise<NewAccount> {
  const suffix = uniqueSuffix();
  const username = `${prefix}_${suffix}`.slice(0, 32);
  const unionName = `深圳市测试${suffix}有限公司工会委员会`;
  await open(page, '/supervisor/accounts');
  await expect(page.getByRole('heading', { level: 1, name: '账号管理' })).toBeVisible();
  await page.locator('#level').selectOption('grassroots');
  await page.locator('#union_name').fill(unionName);
  await page.locator('#new_username').fill(username);
  await page.getByRole('button', { name: '开设账号' }).click();
  const box = page.locator('.credentials').filter({ hasText: '账号已开设' });
  await expect(box).toBeVisible();
  await expect(box.locator('code.username')).toHaveText(username);
  const password = (await box.locator('code.initial-password').innerText()).trim();
  expect(password.length, 'the initial password is shown').toBeGreaterThanOrEqual(8);
  return { username, unionName, password };
}

/**
 * Opens a grassroots account as futian in a session of its own (closed afterwards), so the
 * caller's page stays signed out.
 */
export async function createGrassrootsAccountAsFutian(browser: Browser, prefix = 'e2e'): Promise<NewAccount> {
  const { context, page } = await newSession(browser);
  try {
    await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
    return await createGrassrootsAccount(page, prefix);
  } finally {
    await context.close();
  }
}

/** On /change-password, sets `newPw` in place of `current`, and expects to land on `landing`. */
export async function changePassword(page: Page, current: string, newPw: string, landing = '/union'): Promise<void> {
  await expect(page).toHaveURL(pathPattern('/change-password'));
  await settle(page);
  await page.getByLabel(/^(初始密码|原密码)$/).fill(current);
  await page.getByLabel('新密码', { exact: true }).fill(newPw);
  await page.getByLabel('再次输入新密码', { exact: true }).fill(newPw);
  await page.getByRole('button', { name: '确认修改' }).click();
  await expect(page).toHaveURL(pathPattern(landing));
  await settle(page);
}

/** Logs in with a new account's initial password and activates it with `newPw`. */
export async function activate(page: Page, account: NewAccount, newPw: string): Promise<void> {
  await login(page, account.username, account.password);
  await changePassword(page, account.password, newPw, '/union');
}

/** One axe violation as lines a person can read in the test output. */
function describeViolation(v: {
  id: string;
  impact?: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown; html: string; failureSummary?: string }[];
}): string {
  const nodes = v.nodes
    .map((n) => {
      const summary = (n.failureSummary ?? '').replace(/\s*\n\s*/g, ' / ');
      return `    at ${JSON.stringify(n.target)}: ${n.html.slice(0, 160)}\n      ${summary}`;
    })
    .join('\n');
  return `${v.id} [${v.impact ?? 'n/a'}] ${v.help} (${v.helpUrl})\n${nodes}`;
}

/** Runs axe on the page as it is now; returns readable descriptions of the violations. */
export async function a11yViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(describeViolation);
}

/** Runs axe on the page as it is now and expects no violations at all. */
export async function expectNoA11yViolations(page: Page, where = page.url()): Promise<void> {
  const found = await a11yViolations(page);
  expect(found, `axe violations on ${where}:\n\n${found.join('\n\n')}\n`).toEqual([]);
}

/** A full-page screenshot into end2end/screenshots/<name>.png (that folder is git-ignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** Lets the layout catch up after a viewport change. */
async function nextFrames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
  );
}

/**
 * The page as it is now, at desktop (1280×800) and phone (390×844) width: a full-page screenshot
 * <name>-desktop.png / <name>-phone.png, and axe at both widths. Screenshots are taken first, so
 * they exist even when axe finds something. At phone width neither the page nor a table may
 * scroll sideways. The viewport is back at desktop size afterwards.
 */
export async function auditPage(page: Page, name: string): Promise<void> {
  const found: string[] = [];
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    await nextFrames(page);
    await screenshot(page, `${name}-${size}`);
    for (const v of await a11yViolations(page)) found.push(`(${size}) ${v}`);
    if (size === 'phone') {
      // Nothing to scroll sideways to on a phone: not the page, not a table.
      const wide = await page.evaluate(() =>
        [document.documentElement, ...Array.from(document.querySelectorAll<HTMLElement>('.table-wrap'))]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => `${e.tagName.toLowerCase()}${e.getAttribute('aria-label') ? ` “${e.getAttribute('aria-label')}”` : ''}: ${e.scrollWidth} px wide in ${e.clientWidth} px`),
      );
      for (const w of wide) found.push(`(phone) scrolls sideways: ${w}`);
    }
  }
  await page.setViewportSize(DESKTOP);
  expect(found, `axe violations or sideways scrolling on ${name} (${page.url()}):\n\n${found.join('\n\n')}\n`).toEqual([]);
}

/** Types every field of the 单位信息 form except the credit code. */
export async function fillInfo(page: Page, unionName: string, unitName: string): Promise<void> {
  await page.locator('#union_name').fill(unionName);
  await page.locator('#unit_name').fill(unitName);
  await page.locator('#address').fill('深圳市福田区深南大道2012号');
  await page.locator('#contact_person').fill('陈静');
  await page.locator('#contact_phone').fill(CONTACT_PHONE);
  await page.locator('#pickup_branch').selectOption(BRANCH_FUTIAN);
}
