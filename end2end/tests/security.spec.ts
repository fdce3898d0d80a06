// What issue 10 changed that a clerk and a supervisor see: a number search takes an ending of
// 4 to 6 characters (or a whole number), and an upload that finds other unions' ID numbers is
// answered as the guide says while the district supervisor is shown which union did it.
// (Every page's security headers are checked by open() in helpers.ts.)
import { expect, test } from '@playwright/test';

import {
  DEMO_PASSWORD,
  VALID_CREDIT_CODE,
  activate,
  auditPage,
  createGrassrootsAccountAsFutian,
  fillInfo,
  loginAs,
  newSession,
  open,
  settle,
} from './helpers';
import { downloadTemplate, fillHeader, fillMembers, readWorkbook, upload } from './workbook';

const SEARCH = '姓名或证件号码、手机号后4至6位';

test('a number search takes an ending of 4 to 6 characters and says so otherwise', async ({ page }) => {
  await loginAs(page, 'shili', DEMO_PASSWORD, '/union');
  await open(page, '/union/members');
  const search = page.getByLabel(SEARCH);
  await search.fill('123');
  await search.press('Enter');
  await expect(page.getByRole('alert')).toHaveText('请输入证件号码或手机号码的后4至6位，或完整的号码。');
  await search.fill('8000');
  await search.press('Enter');
  await settle(page);
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('an upload that finds another union’s member is told so, and the district supervisor sees the union', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  // a member of the demo union, as its clerk's edit form shows the record
  const other = await newSession(browser);
  await loginAs(other.page, 'shili', DEMO_PASSWORD, '/union');
  await open(other.page, '/union/members');
  await other.page.locator('td.name a').first().click();
  await settle(other.page);
  const name = await other.page.locator('#name').inputValue();
  const id = await other.page.locator('#id_number').inputValue();
  expect(id).toMatch(/^\d{17}[\dX]$/);
  await other.context.close();

  const account = await createGrassrootsAccountAsFutian(browser, 'probe');
  await activate(page, account, 'Kaika2026x');
  await open(page, '/union/info');
  await fillInfo(page, account.unionName, '深圳市查重测试有限公司');
  await page.locator('#credit_code').fill(VALID_CREDIT_CODE);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('已保存。')).toBeVisible();

  const template = await downloadTemplate(page);
  const { wb, ws } = await readWorkbook(template);
  fillHeader(ws);
  fillMembers(ws, [{ name, id, phone: '13912340001', department: '生产部' }]);
  const file = test.info().outputPath('probe.xlsx');
  await wb.xlsx.writeFile(file);
  const result = await upload(page, file);
  await expect(result.getByText('该会员身份证已存在于其他工会', { exact: false })).toBeVisible();

  const supervisor = await newSession(browser);
  await loginAs(supervisor.page, 'futian', DEMO_PASSWORD, '/supervisor');
  await open(supervisor.page, '/supervisor');
  const notice = supervisor.page.getByRole('region', { name: '证件号码查重提示（近24小时）' });
  await expect(notice).toBeVisible();
  const row = notice.locator('tbody tr').filter({ hasText: account.unionName });
  await expect(row).toContainText('正常');
  await auditPage(supervisor.page, 'supervisor-id-hits');
  await supervisor.context.close();
});
