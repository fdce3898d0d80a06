// The supervisor's portal (工会业务工作平台): a district supervisor runs its district from the
// overview — the overdue distributions first, the figures of its unions, a union drilled down to
// its members (masked), each table downloaded as a workbook — and never reaches beyond its
// subtree. The help centre is one link away from every portal and from an import error.
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, auditPage, loginAs, open, settle, uniqueSuffix } from './helpers';
import { downloadFrom, readWorkbook, cellText } from './workbook';

const UNION_A = '深圳市示例电子有限公司工会委员会';
const UNION_B = '深圳市样板物流有限公司工会委员会';

test('a district supervisor sees its overdue distributions first, drills down to a union’s members and downloads its tables', async ({
  page,
}) => {
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('福田区总工会');

  // the demo's deliveries signed for a month ago with cards left: overdue, at the top
  const overdue = page.locator('section.overdue');
  // (other specs share the demo database and may hand some of them out: at least one is left)
  await expect(overdue.getByRole('heading', { level: 2 })).toContainText(/逾期未发放：\d+ 次送卡/);
  await expect(overdue.getByRole('row').filter({ hasText: /深圳市(示例电子|样板物流)有限公司工会委员会/ }).first()).toBeVisible();
  const overdueTop = (await overdue.boundingBox())!.y;
  const progressTop = (await page.getByRole('heading', { name: '会员服务卡办理进度' }).boundingBox())!.y;
  expect(overdueTop).toBeLessThan(progressTop);
  // the funnel is drawn and its figures are text
  await expect(page.getByRole('img', { name: /^各环节人数：已采集会员 \d+/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^每周办卡申请与激活人数/ })).toBeVisible();
  await expect(page.getByText(/^按时发放率（签收后5个工作日内发放）：/)).toBeVisible();
  await auditPage(page, 'supervisor-district');

  // the unions below, as a workbook with the same rows (other specs open more unions under
  // futian: the page shows the first 50 by name, the workbook all of them)
  const table = page.getByRole('region', { name: '下属工会列表' });
  const { file } = await downloadFrom(page, page.getByRole('link', { name: '下载下属工会表' }), 'unions.xlsx');
  const { ws } = await readWorkbook(file);
  expect(cellText(ws, 'A2')).toBe('工会名称');
  const inBook = new Map<string, string>();
  for (let row = 3; cellText(ws, `A${row}`) !== ''; row++) inBook.set(cellText(ws, `A${row}`), cellText(ws, `D${row}`));
  expect(inBook.has(UNION_A) && inBook.has(UNION_B)).toBe(true);
  const onPage = await table.locator('tbody td.title').allInnerTexts();
  expect(onPage.length).toBe(Math.min(inBook.size, 50));
  for (const name of onPage) expect(inBook.has(name), `${name} is in the workbook`).toBe(true);

  // ordered by a column: most members first; the figures are the workbook's
  await table.getByRole('link', { name: '会员', exact: true }).click();
  await settle(page);
  await expect(page.getByRole('columnheader', { name: '会员', exact: true })).toHaveAttribute('aria-sort', 'descending');
  const counts = (await table.locator('tbody td[data-label="会员"]').allInnerTexts()).map(Number);
  expect(counts).toEqual([...counts].sort((x, y) => y - x));
  for (const name of [UNION_A, UNION_B]) {
    await expect(table.getByRole('row').filter({ hasText: name }).locator('td[data-label="会员"]')).toHaveText(inBook.get(name)!);
  }

  // a union, then its members, masked
  await page.getByRole('region', { name: '下属工会列表' }).getByRole('link', { name: UNION_A }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(UNION_A);
  const members = page.getByRole('region', { name: '会员名单' });
  await expect(members.getByRole('row').nth(1)).toContainText('*');
  await page.getByRole('searchbox', { name: '查询' }).fill('黄丽');
  await page.getByRole('button', { name: '查询' }).click();
  await settle(page);
  await expect(members.getByRole('row')).toHaveCount(2);
  await expect(members.getByRole('row').nth(1)).toContainText('4403**********1007');
  await auditPage(page, 'supervisor-union');
  const { file: list } = await downloadFrom(page, page.getByRole('link', { name: /^下载会员名单/ }), 'members.xlsx');
  const { ws: listSheet } = await readWorkbook(list);
  expect(cellText(listSheet, 'A1')).toContain(UNION_A);
  expect(cellText(listSheet, 'B3')).toContain('*');
});

test('a district supervisor does not reach the city above it', async ({ page, browser }) => {
  // the city's own node, as the city's page names it in its download link
  const city = await browser.newPage();
  await loginAs(city, 'szzgh', DEMO_PASSWORD, '/supervisor');
  await settle(city);
  const href = await city.getByRole('link', { name: '下载下属工会表' }).getAttribute('href');
  const cityId = new URL(href!, 'http://x').searchParams.get('union');
  expect(cityId).toBeTruthy();
  await expect(city.getByRole('region', { name: '下属工会列表' }).getByRole('link', { name: '福田区总工会' })).toBeVisible();
  await city.close();

  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await open(page, `/supervisor?union=${cityId}`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('heading', { name: '深圳市总工会' })).toHaveCount(0);
  const response = await page.request.get(`/supervisor/export/unions.xlsx?union=${cityId}`);
  expect(response.status()).toBe(404);
});

test('the help centre is one link away from the login page and from every portal', async ({ page }) => {
  await open(page, '/login');
  await page.getByRole('link', { name: '帮助中心' }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('帮助中心');
  await expect(page.getByText('12351')).toBeVisible();
  await auditPage(page, 'help');
  await page.getByRole('link', { name: '常见问题', exact: true }).first().click();
  await settle(page);
  await expect(page.locator('#id-invalid h2')).toHaveText('身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母"O"！');
  await auditPage(page, 'help-faq');
  await page.getByRole('link', { name: '操作手册' }).first().click();
  await settle(page);
  await expect(page.getByRole('heading', { name: '四、办理会员服务卡' })).toBeVisible();
  await auditPage(page, 'help-manual');

  for (const [user, home] of [
    ['futian', '/supervisor'],
    ['shili', '/union'],
    ['boc', '/bank'],
  ] as const) {
    await page.context().clearCookies();
    await loginAs(page, user, DEMO_PASSWORD, home);
    await settle(page);
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '帮助中心' }).click();
    await settle(page);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('帮助中心');
  }
  await open(page, '/me/login');
  await expect(page.getByRole('link', { name: '帮助中心' })).toHaveAttribute('href', '/help');
});

test('a supervisor searches the audit log of its district by account', async ({ page }) => {
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '操作日志' }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('操作日志');
  await page.getByLabel('账号').fill('shili');
  await page.getByRole('button', { name: '查询' }).click();
  await settle(page);
  const rows = page.getByRole('region', { name: '操作日志' }).getByRole('row');
  await expect(rows.nth(1)).toContainText('shili');
  const accounts = await rows.locator('td[data-label="账号"]').allInnerTexts();
  expect(accounts.length).toBeGreaterThan(0);
  expect(new Set(accounts)).toEqual(new Set(['shili']));
  await auditPage(page, 'supervisor-audit');
});

test('a supervisor finds a union by name and sees how it stands', async ({ page }) => {
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await settle(page);
  // the table of unions below says who has completed its information and when it last signed in
  const table = page.getByRole('region', { name: '下属工会列表' });
  const rowA = table.getByRole('row').filter({ hasText: UNION_A });
  await expect(rowA.locator('td[data-label="已完善信息"]')).toHaveText('是');
  await expect(rowA.locator('td[data-label="已签协议"]')).toHaveText('是');
  await expect(rowA.locator('td[data-label="最近登录"]')).not.toHaveText('');

  await page.getByRole('searchbox', { name: '查找工会' }).fill('示例电子');
  await page.getByRole('button', { name: '查找' }).click();
  await settle(page);
  await expect(page).toHaveURL(/[?&]find=/);
  const found = page.getByRole('region', { name: /查找结果/ });
  await expect(found.getByRole('heading')).toHaveText('查找结果：1 个工会');
  await found.getByRole('link', { name: UNION_A }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(UNION_A);
  const profile = page.getByRole('region', { name: '工会情况' });
  await expect(profile).toContainText('已完善');
  await expect(profile).toContainText(/已签订（.+，2026-03-02）/);
  await expect(profile.getByRole('listitem').filter({ hasText: 'shili' })).toContainText('最近登录');
  await auditPage(page, 'supervisor-union-profile');

  // nothing outside the subtree is found
  await open(page, `/supervisor?find=${encodeURIComponent('市总工会')}`);
  await settle(page);
  await expect(page.getByText('没有名称包含“市总工会”的下属工会。')).toBeVisible();
});

test('the city supervisor edits the hotlines and the help centre shows them; a district reads them', async ({ page }) => {
  await loginAs(page, 'szzgh', DEMO_PASSWORD, '/supervisor');
  await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '服务热线' }).click();
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('服务热线');
  await expect(page.getByLabel('第1行 号码')).toHaveValue('12351');
  // a number with words in it is refused with its row, and nothing is lost
  await page.getByLabel('第4行 热线名称').fill('会员服务卡投诉');
  await page.getByLabel('第4行 号码').fill('请拨打');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('alert')).toContainText('第4行：号码只能填写数字');
  await expect(page.getByLabel('第4行 热线名称')).toHaveValue('会员服务卡投诉');
  await page.getByLabel('第4行 号码').fill('0755-83288060转9');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status').filter({ hasText: '服务热线已保存' })).toBeVisible();
  await auditPage(page, 'supervisor-hotlines');

  await open(page, '/help');
  await expect(page.getByText('0755-83288060转9')).toBeVisible();
  await expect(page.getByText('12351')).toBeVisible();

  await page.context().clearCookies();
  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await open(page, '/supervisor/hotlines');
  await settle(page);
  await expect(page.getByText('服务热线由深圳市总工会维护，您可以查看，不能修改。')).toBeVisible();
  await expect(page.getByText('0755-83288060转9')).toBeVisible();
  await expect(page.getByRole('button', { name: '保存' })).toHaveCount(0);
});

test('a district supervisor sees its own unions and nothing of a sibling district', async ({ page, browser }) => {
  // the city opens a second district beside 福田
  const sibling = `罗湖区${uniqueSuffix()}总工会`;
  const city = await browser.newPage();
  await loginAs(city, 'szzgh', DEMO_PASSWORD, '/supervisor');
  await open(city, '/supervisor/accounts');
  await city.locator('#level').selectOption('district');
  await city.locator('#union_name').fill(sibling);
  await city.locator('#new_username').fill(`lh_${uniqueSuffix()}`.slice(0, 32));
  await city.getByRole('button', { name: '开设账号' }).click();
  await expect(city.locator('.credentials').filter({ hasText: '账号已开设' })).toBeVisible();
  await open(city, `/supervisor?find=${encodeURIComponent(sibling)}`);
  const link = city.getByRole('region', { name: /查找结果/ }).getByRole('link', { name: sibling });
  const siblingId = new URL((await link.getAttribute('href'))!, 'http://x').searchParams.get('union');
  expect(siblingId).toBeTruthy();
  await city.close();

  await loginAs(page, 'futian', DEMO_PASSWORD, '/supervisor');
  await settle(page);
  const table = page.getByRole('region', { name: '下属工会列表' });
  await expect(table.getByRole('link', { name: UNION_A })).toBeVisible();
  await expect(page.getByText(sibling)).toHaveCount(0);
  await open(page, `/supervisor?find=${encodeURIComponent('罗湖区')}`);
  await expect(page.getByText('没有名称包含“罗湖区”的下属工会。')).toBeVisible();
  await open(page, `/supervisor?union=${siblingId}`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('heading', { name: sibling })).toHaveCount(0);
  expect((await page.request.get(`/supervisor/export/unions.xlsx?union=${siblingId}`)).status()).toBe(404);
});
