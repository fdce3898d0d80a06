// What a phone downloads: the built files arrive compressed (brotli), carry a content hash in
// their names and may be kept for a year; pages are compressed and never kept; the wasm stays
// within its budget. scripts/test.sh runs these against the release build
// (`cargo leptos build --release --precompress`).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { expect, test, type Page, type Response } from '@playwright/test';

import { DEMO_PASSWORD, PHONE, loginAs } from './helpers';

/**
 * Budgets in KB (1,000 bytes) of brotli-compressed wasm. Issue 11's goals are 150 KB for what a
 * member downloads on /me (met: the member's pages load no script) and 300 KB for the whole app;
 * these are the ceilings the build is held to today (README, "Light on a phone"), a few KB above
 * the measured figures so that a regression shows. Since 2026-12-05 the app is built as islands
 * (`#[island]`): the wasm holds only the parts of pages that work in the browser, in one file
 * that every page with an island shares (409.1 KB measured; 603.6 KB in 8 files before, of which
 * a clerk's first working page downloaded 433.6 KB). Stop 34: the islands' own forms and calls
 * (`ServerForm`, `Act`) in place of Leptos' `ActionForm` and `ServerAction`, 378.7 KB. Stop 35:
 * answers and page data in postcard instead of JSON (`app/src/wire.rs`), 344.7 KB; 接口令牌 and
 * 单位信息 without scripts, 331.6 KB.
 */
const UNION_PAGE_BUDGET_KB = 334;
const APP_BUDGET_KB = 334;

const PKG = path.resolve(__dirname, '..', '..', 'target', 'site', 'pkg');
const HASHED = /\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/;

/** The built files (/pkg/…) a cold visit of `urlPath` downloads, once the network is idle. */
async function coldVisit(page: Page, urlPath: string): Promise<{ doc: Response; files: Response[] }> {
  const files: Response[] = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/pkg/')) files.push(r);
  });
  const doc = await page.goto(urlPath);
  await page.waitForLoadState('networkidle');
  return { doc: doc!, files };
}

/** Each built file is named by its content hash, kept for a year and sent brotli-compressed. */
async function expectCachedAndCompressed(files: Response[]): Promise<number> {
  let wasmBytes = 0;
  for (const r of files) {
    const name = new URL(r.url()).pathname;
    const h = await r.allHeaders();
    expect(name, 'a built file has its content hash in its name').toMatch(HASHED);
    expect(h['cache-control'], `cache lifetime of ${name}`).toBe('public, max-age=31536000, immutable');
    expect(h['content-encoding'], `encoding of ${name}`).toBe('br');
    if (name.endsWith('.wasm')) wasmBytes += Number(h['content-length']);
  }
  return wasmBytes;
}

test.describe('light on a phone', () => {
  test('a member on /me downloads the page and its stylesheet, compressed and long-cached, and no script', async ({
    browser,
  }) => {
    const context = await browser.newContext({ viewport: PHONE });
    await loginAs(await context.newPage(), 'member', DEMO_PASSWORD, '/me');
    // A cold visit of /me (empty cache), as a member's phone makes it once signed in.
    const cold = await browser.newContext({ viewport: PHONE, storageState: await context.storageState() });
    const mePage = await cold.newPage();
    const { doc, files } = await coldVisit(mePage, '/me');
    await expect(mePage.getByRole('heading', { level: 1 })).toHaveText('我的会员服务卡');
    const html = await doc.allHeaders();
    expect(html['content-encoding'], 'the page is compressed').toMatch(/^(br|gzip)$/);
    expect(html['cache-control']).toBe('no-store');
    const names = files.map((r) => new URL(r.url()).pathname);
    expect(names.length, 'the page loads its stylesheet').toBeGreaterThan(0);
    expect(names.filter((n) => !n.endsWith('.css')), 'no wasm or JS on /me').toEqual([]);
    expect(await expectCachedAndCompressed(files)).toBe(0);
    console.log(`/me: the page (${((await doc.body()).length / 1000).toFixed(1)} KB uncompressed) and its stylesheet, no wasm`);
    await cold.close();
    await context.close();
  });

  test('the member sign-in page loads no script either, scripts on', async ({ browser }) => {
    const cold = await browser.newContext({ viewport: PHONE });
    const page = await cold.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) scripts.push(r.url());
    });
    const { files } = await coldVisit(page, '/me/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('会员登录');
    expect(scripts, 'no wasm or JS on /me/login').toEqual([]);
    expect(await expectCachedAndCompressed(files)).toBe(0);
    await cold.close();
  });

  test('a clerk on /login downloads the page and its stylesheet and no script', async ({ browser }) => {
    const cold = await browser.newContext();
    const page = await cold.newPage();
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) scripts.push(r.url());
    });
    const { files } = await coldVisit(page, '/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('登录');
    expect(scripts, 'no wasm or JS on /login').toEqual([]);
    expect(await expectCachedAndCompressed(files)).toBe(0);
    await cold.close();
  });

  test("a union clerk's first working page gets compressed, hashed, long-cached files and a wasm within budget", async ({
    browser,
  }) => {
    const context = await browser.newContext();
    await loginAs(await context.newPage(), 'shili', DEMO_PASSWORD, '/union');
    // a cold visit (empty cache) of the member list: sent without scripts, like the start page
    const cold = await browser.newContext({ storageState: await context.storageState() });
    const list = await cold.newPage();
    const scripts: string[] = [];
    list.on('request', (r) => {
      if (/\.(wasm|js)$/.test(new URL(r.url()).pathname)) scripts.push(r.url());
    });
    const listed = await coldVisit(list, '/union/members');
    await expect(list.getByRole('heading', { level: 1 })).toHaveText('会员信息');
    expect(scripts, 'no wasm or JS on the member list').toEqual([]);
    expect(await expectCachedAndCompressed(listed.files)).toBe(0);
    await list.close();
    // then the card desk, the first union page that needs the wasm, still with an empty cache
    const page = await cold.newPage();
    const { files } = await coldVisit(page, '/union/cards');
    await expect(page.locator('body[data-hydrated]')).toBeAttached();
    expect(files.some((r) => r.url().endsWith('.wasm')), 'the card desk loads the wasm').toBe(true);
    const wasmBytes = await expectCachedAndCompressed(files);
    console.log(`/union/cards wasm, brotli: ${(wasmBytes / 1000).toFixed(1)} KB`);
    expect(wasmBytes / 1000, "KB of wasm a clerk's first working page downloads").toBeLessThanOrEqual(UNION_PAGE_BUDGET_KB);
    await cold.close();
    await context.close();
  });

  test("the whole app's wasm, brotli-compressed, is within budget", async () => {
    const files = fs.readdirSync(PKG).filter((f) => f.endsWith('.wasm.br'));
    expect(files.length, 'precompressed wasm in target/site/pkg').toBeGreaterThan(0);
    const bytes = files.reduce((sum, f) => sum + fs.statSync(path.join(PKG, f)).size, 0);
    console.log(`whole app wasm, brotli: ${(bytes / 1000).toFixed(1)} KB in ${files.length} file(s)`);
    expect(bytes / 1000, 'KB of wasm in the whole app').toBeLessThanOrEqual(APP_BUDGET_KB);
  });
});
