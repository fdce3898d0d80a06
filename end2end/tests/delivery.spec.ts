// After the review, across the bank and 深圳市示例电子有限公司工会委员会 (shili), in two browsers:
// the bank records a card made on the batch page (卡号后四位), proposes a delivery time on 送卡上门
// (not one in the past), the union proposes another, the bank confirms it and records the
// delivery, the union signs for the cards (a wrong count is refused with both numbers), finds
// the demo's overdue delivery first under 待发放 and hands the new one out, and the bank records
// a card activated on site. Cards of 黄丽 (the member account) are left alone for other specs.
import { expect, test, type Page } from '@playwright/test';

import { DEMO_PASSWORD, auditPage, loginAs, newSession, open, settle } from './helpers';

const UNION_A = '深圳市示例电子有限公司工会委员会';

/** A date-time field's value (Beijing time) `days` from now. */
function fieldTime(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

async function cardsTab(page: Page, tab: RegExp): Promise<void> {
  await open(page, '/union/cards');
  await page.getByRole('tab', { name: tab }).click();
  await settle(page);
}

test('made cards go from a delivery time both sides agree to the union’s signature, hand-out and activation', async ({
  page,
  browser,
}) => {
  // The bank's 待办 names the cards to make, to deliver and to activate.
  await loginAs(page, 'boc', DEMO_PASSWORD, '/bank');
  const todo = page.locator('.todo');
  await expect(todo).toContainText('制卡中');
  await expect(todo).toContainText('待送卡上门');
  await expect(todo).toContainText('待激活');

  // 制卡完成 on the first batch: a tail that is not four digits is refused, then recorded.
  await open(page, '/bank/batches');
  const batch = page.getByRole('region', { name: '审核批次列表' }).locator('tbody tr').filter({ hasText: UNION_A });
  await batch.first().getByRole('link').first().click();
  await settle(page);
  await page.getByLabel('显示会员').selectOption('in_production');
  await settle(page);
  const made = page.getByRole('region', { name: '制卡中的会员' }).locator('tbody tr');
  await expect(made.first()).toBeVisible();
  const tail = made.first().getByRole('textbox');
  await tail.fill('12a4');
  await page.getByRole('button', { name: /^登记制卡完成/ }).click();
  await expect(made.first()).toContainText('请填写卡号后四位（4位数字）。');
  await auditPage(page, 'bank-batch-made');
  await tail.fill('1234');
  await page.getByRole('button', { name: '登记制卡完成（1 张）' }).click();
  await expect(page.getByText('已登记 1 张会员服务卡制卡完成，转入待送卡。')).toBeVisible();

  // 送卡上门: 示例电子 waits for a time; one in the past is refused.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '送卡上门' }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('送卡上门');
  const waiting = page.locator('li.delivery').filter({ hasText: UNION_A });
  await expect(waiting).toContainText('待约定送卡时间');
  const cards = Number(/(\d+) 张会员服务卡制卡完成/.exec(await waiting.innerText())?.[1]);
  expect(cards).toBeGreaterThan(1);
  await auditPage(page, 'bank-deliveries');
  // The lists page and search by the union's name: a name no union has finds none.
  const search = page.getByLabel('工会名称');
  await search.fill('没有这个工会');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(page.getByText('没有待约定送卡的工会。')).toBeVisible();
  await expect(page.getByRole('heading', { name: '待约定送卡（0 个工会）' })).toBeVisible();
  await search.fill('示例');
  await page.getByRole('button', { name: '查找' }).click();
  await expect(waiting).toContainText('待约定送卡时间');
  await expect(page.getByRole('navigation', { name: '待约定送卡分页' })).toContainText('第 1 / 1 页');
  await waiting.getByLabel('提议送卡时间').fill(fieldTime(-1));
  await waiting.getByRole('button', { name: '提议送卡时间' }).click();
  await expect(page.getByText('送卡时间不能早于现在，请重新选择。')).toBeVisible();
  await waiting.getByLabel('提议送卡时间').fill(fieldTime(3));
  await waiting.getByRole('button', { name: '提议送卡时间' }).click();
  await expect(page.getByText(`已向${UNION_A}提议送卡时间`)).toBeVisible();
  const bankSide = page.locator('li.delivery').filter({ hasText: UNION_A });
  await expect(bankSide).toContainText('本行提议，等待工会确认');
  await expect(bankSide).toContainText(`${cards} 张`);

  // The union sees the proposal in 待办 and on 待送卡, and proposes another time.
  const union = await newSession(browser);
  const clerk = union.page;
  await loginAs(clerk, 'shili', DEMO_PASSWORD, '/union');
  await expect(clerk.locator('.todo')).toContainText('1个送卡时间待确认');
  await expect(clerk.locator('.todo li').first()).toContainText('已超过签收后5个工作日仍未发放');
  await cardsTab(clerk, /^待送卡/);
  const delivery = clerk.locator('li.delivery');
  await expect(delivery).toContainText('银行提议');
  await expect(delivery.getByRole('button', { name: '确认送卡时间' })).toBeVisible();
  await auditPage(clerk, 'union-cards-delivery');
  await delivery.getByRole('button', { name: '另约时间' }).click();
  await delivery.getByLabel('希望的送卡时间').fill(fieldTime(4));
  await delivery.getByRole('button', { name: '提交新的时间' }).click();
  await expect(clerk.locator('li.delivery')).toContainText('本工会提议');
  await expect(clerk.locator('li.delivery').getByRole('button', { name: '确认送卡时间' })).toHaveCount(0);

  // The bank confirms the union's time and records the delivery.
  await open(page, '/bank/deliveries');
  await expect(bankSide).toContainText('工会提议，请确认或另约');
  await bankSide.getByRole('button', { name: '确认送卡时间' }).click();
  await expect(bankSide).toContainText('已约定');
  await bankSide.getByRole('button', { name: '登记已送达' }).click();
  await expect(bankSide).toContainText('已送达，等待工会清点签收');

  // The union counts one card short: refused with both numbers; then signs.
  await cardsTab(clerk, /^待送卡/);
  await clerk.getByLabel('清点数量（张）').fill(String(cards - 1));
  await clerk.getByRole('button', { name: '签收', exact: true }).click();
  await expect(clerk.getByText(`签收数量（${cards - 1} 张）与银行送达的数量（${cards} 张）不一致`)).toBeVisible();
  await clerk.getByLabel('清点数量（张）').fill(String(cards));
  await clerk.getByRole('button', { name: '签收', exact: true }).click();
  await expect(clerk.getByText(`已签收 ${cards} 张会员服务卡`)).toBeVisible();

  // 待发放: the demo's overdue delivery first, then this one with its deadline; hand it out.
  await cardsTab(clerk, /^待发放/);
  const due = clerk.getByRole('region', { name: '待发放的送卡批次' }).locator('tbody tr');
  await expect(due).toHaveCount(2);
  await expect(due.first().locator('td[data-label="状态"]')).toContainText('已逾期');
  await expect(due.nth(1).locator('td[data-label="状态"]')).toContainText(/正常|即将到期/);
  await expect(due.nth(1).locator('td[data-label="发放期限"]')).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
  await auditPage(clerk, 'union-cards-due');
  await due.nth(1).getByRole('button', { name: `全部发放（${cards} 张）` }).click();
  // asked once more: recorded hand-outs are not taken back
  await expect(due.nth(1).getByRole('alert')).toContainText('登记后不能撤回');
  await due.nth(1).getByRole('button', { name: '确定发放' }).click();
  await expect(clerk.getByText(`已发放 ${cards} 张会员服务卡。`)).toBeVisible();
  await expect(due).toHaveCount(1);

  // The bank activates the last card listed (one of this delivery's) on site.
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '激活与重新制卡' }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('激活与重新制卡');
  const rows = page.getByRole('region', { name: '会员服务卡列表' }).locator('tbody tr');
  const last = rows.filter({ hasText: UNION_A }).last();
  await expect(last).not.toContainText('黄丽');
  const name = (await last.locator('td.name').innerText()).trim();
  await last.getByRole('checkbox').check();
  await auditPage(page, 'bank-cards');
  await page.getByRole('button', { name: '登记激活（已选 1 张）' }).click();
  await expect(page.getByText('请填写上门激活的时间。')).toBeVisible();
  await page.getByLabel('上门激活时间').fill(fieldTime(0));
  await page.getByRole('button', { name: '登记激活（已选 1 张）' }).click();
  await expect(page.getByText('已登记 1 张会员服务卡激活。')).toBeVisible();
  await page.getByLabel('办卡状态').selectOption('activated');
  await settle(page);
  await expect(rows.filter({ hasText: name }).first()).toContainText('已激活');
  await union.context.close();
});
