// What a phone downloads: the built files arrive compressed (brotli), carry a content hash in
// their names and may be kept for a year; pages are compressed and never kept; the wasm stays
// within its budget. scripts/test.sh runs these against the release build
// (`cargo leptos build --release --precompress --split`).
import * as fs from 'node:fs';
import * as path from 'node:path';

import { expect, test, type Response } from '@playwright/test';

import { DEMO_PASSWORD, PHONE, loginAs } from './helpers';

/**
 * Budgets in KB (1,000 bytes) of brotli-compressed wasm. Issue 11's goals are 150 KB for what a
 * member downloads on /me and 300 KB for the whole app; these are the ceilings the build is held
 * to today (README, "Light on a phone"), lowered as the wasm shrinks.
 */
const ME_BUDGET_KB = 420;
const APP_BUDGET_KB = 1090;

const PKG = path.resolve(__dirname, '..', '..', 'target', 'site', 'pkg');
const HASHED = /\.[A-Za-z0-9_-]{22}\.(wasm|js|css)$/;

test.describe('light on a phone', () => {
  test('a member on /me gets compressed, hashed, long-cached files and a wasm within budget', async ({ browser }) => {
    const context = await browser.newContext({ viewport: PHONE });
    await loginAs(await context.newPage(), 'member', DEMO_PASSWORD, '/me');
    // A cold visit of /me (empty cache), as a member's phone makes it once signed in.
    const cold = await browser.newContext({ viewport: PHONE, storageState: await context.storageState() });
    const mePage = await cold.newPage();
    const seen: Response[] = [];
    mePage.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/pkg/')) seen.push(r);
    });
    const doc = await mePage.goto('/me');
    await mePage.waitForLoadState('networkidle');
    await expect(mePage.getByRole('heading', { level: 1 })).toHaveText('我的会员服务卡');

    const html = await doc!.allHeaders();
    expect(html['content-encoding'], 'the page is compressed').toMatch(/^(br|gzip)$/);
    expect(html['cache-control']).toBe('no-store');

    let wasmBytes = 0;
    expect(seen.length, 'the page loads its built files').toBeGreaterThan(0);
    for (const r of seen) {
      const name = new URL(r.url()).pathname;
      const h = await r.allHeaders();
      expect(name, 'a built file has its content hash in its name').toMatch(HASHED);
      expect(h['cache-control'], `cache lifetime of ${name}`).toBe('public, max-age=31536000, immutable');
      expect(h['content-encoding'], `encoding of ${name}`).toBe('br');
      if (name.endsWith('.wasm')) wasmBytes += Number(h['content-length']);
    }
    console.log(`/me wasm, brotli: ${(wasmBytes / 1000).toFixed(1)} KB`);
    expect(wasmBytes / 1000, 'KB of wasm a member downloads for /me').toBeLessThanOrEqual(ME_BUDGET_KB);
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
