// The bank's review of batch applications (审核批次). The seed routes one batch of each demo
// union to 中国银行深圳市分行 (boc), each with cards still under review (办卡中—银行审核中).
// The bank opens the first waiting batch, returns one member for two reasons at once
// (姓名与证件号码不符 and 其他 with its words), approves the rest, and the batch is 已审核.
// A second officer who had the batch open meanwhile is told someone else handled it (409).
import { expect, test, type Locator, type Page } from '@playwright/test';

import { DEMO_PASSWORD, auditPage, loginAs, newSession, open, pathPattern, settle } from './helpers';

const OTHER_TEXT = '请补充会员身份证正反面复印件';

/** The number after 共 in the pager (第 1 / 1 页，共 N 条). */
async function pagerTotal(page: Page): Promise<number> {
  const text = await page.getByRole('navigation', { name: '分页' }).innerText();
  const total = Number(/共 (\d+) 条/.exec(text)?.[1]);
  expect(total, `a total in “${text}”`).toBeGreaterThan(0);
  return total;
}

function batchRows(page: Page): Locator {
  return page.getByRole('region', { name: '审核批次列表' }).locator('tbody tr');
}

function memberRows(page: Page): Locator {
  return page.getByRole('region', { name: '批次会员列表' }).locator('tbody tr:not(.reject-row)');
}

test('the bank returns one member of a waiting batch with two reasons and approves the rest', async ({
  page,
  browser,
}) => {
  await loginAs(page, 'boc', DEMO_PASSWORD, '/bank');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '审核批次' }).click();
  await expect(page).toHaveURL(pathPattern('/bank/batches'));
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('审核批次');

  // The queue: both demo batches wait, the waiting ones first.
  await expect(page.locator('.queue-count')).toHaveText('待审核批次 2 个');
  const rows = batchRows(page);
  await expect(rows).toHaveCount(2);
  for (const status of await rows.locator('td[data-label="状态"]').allInnerTexts()) expect(status.trim()).toBe('待审核');
  await expect(rows.first().locator('td[data-label="提交时间"]')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await auditPage(page, 'bank-batches');

  const first = rows.first();
  const batchNo = (await first.locator('td').first().innerText()).trim();
  const unionName = (await first.locator('td[data-label="工会"]').innerText()).trim();
  await first.getByRole('link', { name: batchNo }).click();
  await expect(page).toHaveURL(/\/bank\/batches\/\d+$/);
  await settle(page);
  const batchUrl = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`批次 ${batchNo}`);
  await expect(page.locator('.batch-facts')).toContainText(unionName);
  await expect(page.locator('.batch-facts')).toContainText('待审核');

  // 待审核 is shown first: every member still under review, with the full record.
  await expect(page.getByLabel('显示会员')).toHaveValue('submitted');
  const members = memberRows(page);
  const waiting = await pagerTotal(page);
  expect(waiting, 'more than one card to review, so that some are approved').toBeGreaterThan(1);
  for (const state of await members.locator('.state-tag').allInnerTexts()) expect(state.trim()).toBe('办卡中—银行审核中');
  await expect(members.first().locator('td[data-label="证件号码"]')).not.toContainText('*');
  await expect(members.first().locator('td[data-label="手机号码"]')).toHaveText(/^1\d{10}$/);
  await auditPage(page, 'bank-batch');

  // A second officer opens the same batch before the first one decides.
  const second = await newSession(browser);
  await loginAs(second.page, 'boc', DEMO_PASSWORD, '/bank');
  await open(second.page, batchUrl);
  await expect(second.page.getByRole('heading', { level: 1 })).toHaveText(`批次 ${batchNo}`);

  // 退回 opens the form under the row, the keyboard on its first reason.
  const member = members.first();
  const name = (await member.locator('td.name').innerText()).trim();
  const idNumber = (await member.locator('td[data-label="证件号码"]').innerText()).trim();
  // each row's button names its member (the name is there for screen readers)
  const rejectButton = member.getByRole('button', { name: new RegExp(`^退回\\s*${name}$`) });
  await expect(rejectButton).toHaveAttribute('aria-expanded', 'false');
  await rejectButton.click();
  await expect(rejectButton).toHaveAttribute('aria-expanded', 'true');
  const form = page.locator('form.reject-form');
  await expect(form.getByRole('group', { name: `退回 ${name} 的原因（可多选，请一次选全）` })).toBeVisible();
  await expect(form.getByLabel('证件信息与公安系统不符', { exact: true })).toBeFocused();
  // Tab to 姓名与证件号码不符 and tick it with the space bar.
  await page.keyboard.press('Tab');
  await expect(form.getByLabel('姓名与证件号码不符', { exact: true })).toBeFocused();
  await page.keyboard.press('Space');
  await expect(form.getByLabel('姓名与证件号码不符', { exact: true })).toBeChecked();
  await form.getByLabel('其他', { exact: true }).check();

  // 其他 needs the bank's words: refused on the page, with the lifecycle's own message.
  await form.getByRole('button', { name: '加入退回名单' }).click();
  const textField = form.getByLabel(/^说明/);
  await expect(form.locator('.field-error')).toHaveText('选择“其他”原因时，请填写具体说明，以便基层工会处理。');
  await expect(textField).toHaveAttribute('aria-invalid', 'true');
  await auditPage(page, 'bank-batch-reject-form');
  await textField.fill(OTHER_TEXT);
  await expect(form.locator('.field-error')).toHaveCount(0);
  await textField.press('Enter');
  await expect(form).toHaveCount(0);
  // the row's button now offers to change the reasons, and has the keyboard back
  const changeButton = member.getByRole('button', { name: new RegExp(`^修改退回原因\\s*${name}$`) });
  await expect(changeButton).toBeFocused();
  await expect(changeButton).toHaveAttribute('aria-expanded', 'false');

  // Collected on the page, the row marked, and nothing sent yet.
  const chosen = page.locator('.chosen-list li');
  await expect(chosen).toHaveCount(1);
  await expect(chosen.first()).toContainText(name);
  await expect(chosen.first()).toContainText(`姓名与证件号码不符；其他：${OTHER_TEXT}`);
  await expect(member.locator('.badge')).toHaveText('待退回');
  await auditPage(page, 'bank-batch-chosen');

  await page.getByRole('button', { name: '退回所选并通过其余', exact: true }).click();
  await expect(page.locator('.decision-outcome [role="status"]')).toHaveText(
    `已通过 ${waiting - 1} 人，已退回 1 人。`,
  );
  await expect(chosen).toHaveCount(0);

  // Nothing left to review: the batch is 已审核.
  await expect(page.getByText('该批次没有待审核的会员。')).toBeVisible();
  await expect(page.locator('.batch-facts')).toContainText('已审核');
  await expect(page.getByText('该批次的会员已全部审核。')).toBeVisible();
  await page.getByLabel('显示会员').selectOption({ label: '全部' });
  const returned = memberRows(page).filter({ hasText: idNumber });
  await expect(returned.locator('.state-tag')).toHaveText('未办卡—待处理');
  await expect(returned.getByRole('button')).toHaveCount(0);
  await auditPage(page, 'bank-batch-reviewed');

  // The second officer's decision comes too late: 409, said plainly.
  await second.page.getByRole('button', { name: '退回所选并通过其余', exact: true }).click();
  await expect(second.page.locator('.decision-outcome [role="alert"]')).toContainText('已被他人处理');
  await expect(second.page.getByText('该批次的会员已全部审核。')).toBeVisible();
  await second.context.close();

  // Back in the queue: one batch waits, this one is 已审核 and listed after it.
  await page.getByRole('link', { name: '← 返回审核批次' }).click();
  await expect(page).toHaveURL(pathPattern('/bank/batches'));
  await settle(page);
  await expect(page.locator('.queue-count')).toHaveText('待审核批次 1 个');
  const done = batchRows(page).filter({ hasText: batchNo });
  await expect(done.locator('td[data-label="状态"]')).toHaveText('已审核');
  await expect(batchRows(page).last()).toContainText(batchNo);
  await expect(batchRows(page).first().locator('td[data-label="状态"]')).toHaveText('待审核');
  await auditPage(page, 'bank-batches-after');
});
