// One card followed from import to activation, each role in its own portal (issue 9's story):
// futian opens a union; the union completes its info (batch applications wait for the bank
// agreement, 批量开卡协议), imports three members and sends them all (全部批量办卡); the bank
// returns one (手机号码无效) and approves the rest; the clerk fixes the phone, sets the member back
// to 待办卡 and sends it again; the bank approves it, records all three cards made, proposes a
// delivery time; the union proposes another; the bank confirms and records the delivery; the
// union signs for three cards, hands out 生产部's by department and the last one ticked; the bank
// activates one on site and recalls another with a card-face error to make it again.
import { expect, test, type Page } from '@playwright/test';

import {
  DEMO_PASSWORD,
  VALID_CREDIT_CODE,
  activate,
  createGrassrootsAccountAsFutian,
  fillInfo,
  loginAs,
  newSession,
  open,
  settle,
} from './helpers';
import { IdMaker, type MemberRow, downloadTemplate, fillHeader, fillMembers, readWorkbook, uniqueName, upload } from './workbook';

/** A date-time field's value (Beijing time) `days` from now. */
function fieldTime(days: number): string {
  return new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

async function cardsTab(page: Page, tab: RegExp): Promise<void> {
  await open(page, '/union/cards');
  await page.getByRole('tab', { name: tab }).click();
  await settle(page);
}

/** The bank opens this union's batch that still has cards to review or to make. */
async function openBatch(page: Page, unionName: string, nth: number): Promise<void> {
  await open(page, '/bank/batches');
  const rows = page.getByRole('region', { name: '审核批次列表' }).locator('tbody tr').filter({ hasText: unionName });
  await rows.nth(nth).getByRole('link').first().click();
  await settle(page);
}

test('one union’s cards go from import to activation through the union’s and the bank’s portals', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  const account = await createGrassrootsAccountAsFutian(browser, 'story');
  const union = page;
  await activate(union, account, 'Kaika2026x');

  // 单位信息 complete but no bank agreement: import opens, batch applications stay locked.
  await open(union, '/union/info');
  await fillInfo(union, account.unionName, '深圳市故事测试有限公司');
  await union.locator('#credit_code').fill(VALID_CREDIT_CODE);
  await union.getByRole('button', { name: '保存' }).click();
  await expect(union.getByText('已保存。')).toBeVisible();

  const ids = new IdMaker();
  const members: MemberRow[] = [
    { name: uniqueName(), id: ids.id(), phone: '13912345001', department: '生产部' },
    { name: uniqueName(), id: ids.id(), phone: '13912345002', department: '生产部' },
    { name: uniqueName(), id: ids.id(), phone: '13912345003', department: '行政部' },
  ];
  const template = await downloadTemplate(union);
  const { wb, ws } = await readWorkbook(template);
  fillHeader(ws);
  fillMembers(ws, members);
  const file = test.info().outputPath('story.xlsx');
  await wb.xlsx.writeFile(file);
  const result = await upload(union, file);
  await expect(result.getByText('全部内容检查通过，可以导入。')).toBeVisible();
  await result.getByRole('button', { name: '确认导入' }).click();
  await expect(result.getByRole('status')).toContainText('导入成功：已新增 3 名会员');

  await cardsTab(union, /^未办卡—待办卡/);
  await expect(union.getByRole('note')).toContainText('批量开卡协议');
  await expect(union.getByRole('button', { name: /^全部批量办卡/ })).toBeDisabled();
  await union.getByRole('link', { name: '去登记批量开卡协议' }).click();
  await settle(union);
  await union.getByLabel('合作网点').selectOption({ index: 1 });
  await union.getByLabel('签约日期').fill('2026-03-01');
  await union.getByRole('button', { name: '保存' }).click();
  await expect(union.getByText('已保存。')).toBeVisible();

  // 全部批量办卡, after a confirmation naming the count and the branch.
  await cardsTab(union, /^未办卡—待办卡/);
  await union.getByRole('button', { name: '全部批量办卡（3 人）' }).click();
  await expect(union.getByRole('alertdialog')).toContainText('将为全部 3 名待办卡会员发起批量办卡，领卡网点：中国银行深圳福田支行');
  await union.getByRole('button', { name: '确定提交' }).click();
  await expect(union.getByText(/已发起批量办卡：批次号 \d+，共 3 人/)).toBeVisible();

  // The bank returns the first member (手机号码无效) and approves the other two.
  const bankSession = await newSession(browser);
  const bank = bankSession.page;
  await loginAs(bank, 'boc', DEMO_PASSWORD, '/bank');
  await openBatch(bank, account.unionName, 0);
  const row = bank.getByRole('region', { name: '批次会员列表' }).locator('tbody tr').filter({ hasText: members[0].id });
  // the file's 是否加载深圳通 (是) reaches the bank with each member
  await expect(row.locator('td[data-label="深圳通"]')).toHaveText('加载');
  await row.getByRole('button', { name: new RegExp(`^退回\\s*${members[0].name}$`) }).click();
  const form = bank.locator('form.reject-form');
  await form.getByLabel('手机号码无效', { exact: true }).check();
  await form.getByRole('button', { name: '加入退回名单' }).click();
  await bank.getByRole('button', { name: '退回所选并通过其余', exact: true }).click();
  await expect(bank.locator('.decision-outcome [role="status"]')).toHaveText('已通过 2 人，已退回 1 人。');

  // The clerk reads the reason, fixes the phone, sets the member back and sends again.
  await cardsTab(union, /^未办卡—待处理/);
  const rejection = union.locator('li.rejection').filter({ hasText: members[0].name });
  await expect(rejection).toContainText('手机号码无效');
  await rejection.getByRole('link', { name: '修改信息' }).click();
  await settle(union);
  await union.getByLabel('手机号码').fill('13912345099');
  await union.getByRole('button', { name: '保存修改' }).click();
  await expect(union.getByLabel('手机号码')).toHaveValue('13912345099');
  await cardsTab(union, /^未办卡—待处理/);
  await union.locator('li.rejection').filter({ hasText: members[0].name }).getByRole('checkbox').check();
  await union.getByRole('button', { name: '改为待办卡（已选 1 人）' }).click();
  await expect(union.getByText('已将 1 人改为待办卡，可再次发起批量办卡。')).toBeVisible();
  await cardsTab(union, /^未办卡—待办卡/);
  await union.getByRole('checkbox', { name: `选择 ${members[0].name}` }).check();
  await union.getByRole('button', { name: '发起批量办卡（已选 1 人）' }).click();
  await expect(union.getByText(/已发起批量办卡：批次号 \d+，共 1 人/)).toBeVisible();

  // The bank approves the second batch and records all three cards made.
  await openBatch(bank, account.unionName, 0);
  await bank.getByRole('button', { name: '退回所选并通过其余', exact: true }).click();
  await expect(bank.locator('.decision-outcome [role="status"]')).toHaveText('已通过 1 人，已退回 0 人。');
  for (const nth of [0, 1]) {
    await openBatch(bank, account.unionName, nth);
    await bank.getByLabel('显示会员').selectOption('in_production');
    await settle(bank);
    const made = bank.getByRole('region', { name: '制卡中的会员' }).locator('tbody tr');
    await expect(made.first()).toBeVisible();
    const n = await made.count();
    for (let i = 0; i < n; i++) await made.nth(i).getByRole('textbox').fill(String(7000 + nth * 10 + i));
    await bank.getByRole('button', { name: `登记制卡完成（${n} 张）` }).click();
    await expect(bank.getByText(`已登记 ${n} 张会员服务卡制卡完成，转入待送卡。`)).toBeVisible();
  }

  // The delivery time: proposed by the bank, another proposed by the union, confirmed by the bank.
  await open(bank, '/bank/deliveries');
  const waiting = bank.locator('li.delivery').filter({ hasText: account.unionName });
  await expect(waiting).toContainText('3 张会员服务卡制卡完成');
  await waiting.getByLabel('提议送卡时间').fill(fieldTime(2));
  await waiting.getByRole('button', { name: '提议送卡时间' }).click();
  await expect(bank.locator('li.delivery').filter({ hasText: account.unionName })).toContainText('本行提议');
  await cardsTab(union, /^待送卡/);
  await union.getByRole('button', { name: '另约时间' }).click();
  await union.getByLabel('希望的送卡时间').fill(fieldTime(3));
  await union.getByRole('button', { name: '提交新的时间' }).click();
  await expect(union.locator('li.delivery')).toContainText('本工会提议');
  await open(bank, '/bank/deliveries');
  const delivery = bank.locator('li.delivery').filter({ hasText: account.unionName });
  await delivery.getByRole('button', { name: '确认送卡时间' }).click();
  await expect(delivery).toContainText('已约定');
  await delivery.getByRole('button', { name: '登记已送达' }).click();
  await expect(delivery).toContainText('已送达，等待工会清点签收');

  // Signed for, then handed out: 生产部 by department, the last member ticked.
  await cardsTab(union, /^待送卡/);
  await union.getByLabel('清点数量（张）').fill('3');
  await union.getByRole('button', { name: '签收', exact: true }).click();
  await expect(union.getByText('已签收 3 张会员服务卡')).toBeVisible();
  await cardsTab(union, /^待发放/);
  const due = union.getByRole('region', { name: '待发放的送卡批次' }).locator('tbody tr');
  await expect(due).toHaveCount(1);
  await expect(due.locator('td[data-label="待发放"]')).toHaveText('3 张');
  await union.getByLabel('按部门发放').fill('生产部');
  await union.getByRole('button', { name: '发放该部门' }).click();
  await expect(union.getByText('已发放 2 张会员服务卡。')).toBeVisible();
  await union.getByRole('checkbox', { name: `选择 ${members[2].name}` }).check();
  await union.getByRole('button', { name: '发放所选（已选 1 人）' }).click();
  await expect(union.getByText('已发放 1 张会员服务卡。')).toBeVisible();
  await expect(due).toHaveCount(0);

  // The bank finds a member by ID at the counter and activates the card on site…
  await open(bank, '/bank/cards');
  await bank.getByLabel('证件号码').fill(members[1].id);
  await bank.getByRole('button', { name: '查找' }).click();
  const card = bank.getByRole('region', { name: '会员服务卡列表' }).locator('tbody tr').filter({ hasText: members[1].id });
  await expect(card).toHaveCount(1);
  await card.getByRole('checkbox').check();
  await bank.getByLabel('上门激活时间').fill(fieldTime(0));
  await bank.getByRole('button', { name: '登记激活（已选 1 张）' }).click();
  await expect(bank.getByText('已登记 1 张会员服务卡激活。')).toBeVisible();
  // …and recalls another with a card-face error, back to 制卡中.
  await bank.getByLabel('证件号码').fill(members[2].id);
  await bank.getByRole('button', { name: '查找' }).click();
  const wrong = bank.getByRole('region', { name: '会员服务卡列表' }).locator('tbody tr').filter({ hasText: members[2].id });
  await wrong.getByRole('button', { name: new RegExp(`^重新制卡\\s*${members[2].name}$`) }).click();
  await bank.getByLabel('卡面哪项信息有误').fill('卡面姓名印错');
  await bank.getByRole('button', { name: '登记重新制卡' }).click();
  await expect(bank.getByText('已登记重新制卡，该卡转回制卡中。')).toBeVisible();

  // The union's tabs count what happened.
  await open(union, '/union/cards');
  await expect(union.getByRole('tab', { name: /^已激活/ })).toContainText('1');
  await expect(union.getByRole('tab', { name: /^已发放/ })).toContainText('1');
  await expect(union.getByRole('tab', { name: /^办卡中/ })).toContainText('1');
  await bankSession.context.close();
});
