// The bank desk's 接口令牌: a bank officer makes a token (shown once), the bank's system calls
// /api/bank/v1 with it (a review and a card made, seen on the desk), the officer
// revokes it and the next call is refused.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, auditPage, loginAs, open, settle } from './helpers';

test('a bank officer makes an API token, a system uses it, and a revoked token is refused', async ({ page, request }) => {
  await loginAs(page, 'boc', DEMO_PASSWORD, '/bank');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '接口令牌' }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('接口令牌');

  // a token needs a purpose
  await page.getByRole('button', { name: '创建令牌' }).click();
  await expect(page.locator('#token-name-error')).toContainText('请填写令牌用途');

  await page.getByLabel('令牌用途').fill('信贷系统对接');
  await page.getByRole('button', { name: '创建令牌' }).click();
  const shown = page.locator('code.token');
  await expect(shown).toHaveText(/^ucb_[0-9a-f]{64}$/);
  const token = (await shown.textContent())!.trim();
  const row = page.getByRole('row').filter({ hasText: '信贷系统对接' });
  await expect(row).toContainText('有效');
  await expect(row).toContainText(token.slice(0, 12));
  await expect(row).not.toContainText(token.slice(12, 40));
  await auditPage(page, 'bank-tokens');

  const call = () =>
    request.get('/api/bank/v1/batches?state=submitted', { headers: { Authorization: `Bearer ${token}` } });
  const answer = await call();
  expect(answer.status()).toBe(200);
  const page1 = await answer.json();
  expect(page1.items.length).toBeGreaterThan(0);
  expect(page1.items[0].state).toBe('submitted');

  // the system approves a card and reports it made: the same lifecycle as the desk, which then
  // has the card to bring to its union (the delivery itself is left to delivery.spec)
  const headers = (key: string) => ({ Authorization: `Bearer ${token}`, 'Idempotency-Key': key });
  const batch = page1.items[0];
  const detail = await (await request.get(`/api/bank/v1/batches/${batch.id}`, { headers: headers('-') })).json();
  const member = detail.members.find((m: { card_state: string }) => m.card_state === 'submitted').member;
  const review = await request.post(`/api/bank/v1/batches/${batch.id}/reviews`, {
    headers: headers('e2e-review-1'),
    data: { results: [{ member, decision: 'approve' }] },
  });
  expect((await review.json()).results[0].outcome).toBe('applied');
  const events = { events: [{ member, event: 'made', card_tail: '4321' }] };
  const posted = await request.post('/api/bank/v1/cards/events', { headers: headers('e2e-events-1'), data: events });
  expect(posted.status()).toBe(200);
  expect((await posted.json()).results[0]).toMatchObject({ outcome: 'applied', card_state: 'awaiting_delivery' });
  const replay = await request.post('/api/bank/v1/cards/events', { headers: headers('e2e-events-1'), data: events });
  expect(replay.headers()['idempotency-replayed']).toBe('true');
  await open(page, '/bank/deliveries');
  const waiting = page.locator('li.delivery').filter({ hasText: batch.union_name }).filter({ hasText: '待约定送卡时间' });
  await expect(waiting).toBeVisible();

  // the desk shows the use, then the officer revokes the token
  await open(page, '/bank/tokens');
  await expect(page.getByRole('row').filter({ hasText: '信贷系统对接' })).not.toContainText('未使用');
  await page.getByRole('button', { name: '停用令牌 信贷系统对接' }).click();
  await expect(page.getByRole('row').filter({ hasText: '信贷系统对接' })).toContainText('已停用');
  const refused = await call();
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toContain('application/problem+json');
  expect((await refused.json()).code).toBe('unauthorized');
});
