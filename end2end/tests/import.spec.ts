// A grassroots union's clerk imports members the way the guide describes: download the template
// from 导入会员, fill it in Excel (here: exceljs), upload it, read every mistake with its cell,
// download the marked-up file, fix it, upload again and import. Then the clerk finds a new
// member in 会员信息 and corrects the phone number on the member's page.
//
// shili (深圳市示例电子有限公司工会委员会) has complete 单位信息, so import is open. The identity
// numbers are valid GB 11643 numbers made from a random seed, so reruns against the same
// database do not collide with members imported before. Every member a test imports is deleted
// again afterwards (删除会员 on the member page), so shili keeps the seed's 24 members that the
// members spec counts on.
import { expect, test, type Locator, type Page } from '@playwright/test';

import { DEMO_PASSWORD, DESKTOP, PHONE, auditPage, loginAs, open, pathPattern, settle } from './helpers';
import {
  IdMaker,
  type MemberRow,
  cellText,
  downloadFrom,
  downloadTemplate,
  fillHeader,
  fillMembers,
  mobile,
  readWorkbook,
  uniqueName,
  upload,
} from './workbook';

const UNION_NAME = '深圳市示例电子有限公司工会委员会';
const MEMBERS_SEARCH = '姓名或证件号码、手机号后4至6位';

/** The error table's row for a message, with its 行 and 列 cells. */
async function expectIssue(page: Page, row: number, column: string, field: string, message: string): Promise<void> {
  const tr = page.locator('table.issues tbody tr').filter({ has: page.locator('td.message', { hasText: message }) });
  await expect(tr, `the error table lists “${message}”`).toHaveCount(1);
  const cells = tr.locator('td');
  await expect(cells.nth(0)).toHaveText(String(row));
  await expect(cells.nth(1)).toHaveText(column);
  await expect(cells.nth(2)).toHaveText(field);
  await expect(tr.locator('td.message')).toHaveText(message);
  await expect(tr.locator('td.hint-cell')).not.toBeEmpty();
}

/** Names of the members this test imported, deleted again after it. */
let imported: string[] = [];

/** Imports clean rows through the page (template, fill, upload, 确认导入). */
async function importMembers(page: Page, rows: MemberRow[]): Promise<void> {
  const template = await downloadTemplate(page);
  const { wb, ws } = await readWorkbook(template);
  fillHeader(ws);
  fillMembers(ws, rows);
  const file = test.info().outputPath('members.xlsx');
  await wb.xlsx.writeFile(file);
  const result = await upload(page, file);
  await expect(result.getByText('全部内容检查通过，可以导入。')).toBeVisible();
  imported.push(...rows.map((m) => m.name));
  await result.getByRole('button', { name: '确认导入' }).click();
  await expect(result.getByRole('status')).toContainText(`导入成功：已新增 ${rows.length} 名会员`);
}

/**
 * On 会员信息, searches by name (Enter sends 查询, a plain form) and waits until the list shows
 * only matching members, or none; returns the body rows.
 */
async function searchByName(page: Page, name: string): Promise<Locator> {
  const search = page.getByLabel(MEMBERS_SEARCH);
  await search.fill(name);
  await search.press('Enter');
  const rows = page.locator('table tbody tr');
  const none = page.getByText('没有符合条件的会员。');
  // The list keeps showing the previous result until the new one arrives.
  await expect(async () => {
    const names = await rows.locator('td:first-child').allInnerTexts();
    const empty = await none.count();
    expect(empty > 0 || (names.length > 0 && names.every((n) => n.includes(name))), `the list shows the result for ${name}`).toBe(true);
  }).toPass();
  return rows;
}

const maskedId = (id: string) => `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
const maskedPhone = (p: string) => `${p.slice(0, 3)}****${p.slice(-4)}`;
const phoneMessage = (v: string) => `手机号码：${v}为无效手机号，请填写长度为11位数字的有效手机号码。`;
const ID_LETTER_O = '身份证号码无效，请核对身份证原件,并检查所填数据中是否存在字母"O"！';

/**
 * Deletes a member through 会员信息 → the member's page → 删除会员 → 确认删除, and expects the
 * list to come back without them. Does nothing if no member has that name.
 */
async function removeMember(page: Page, name: string): Promise<void> {
  await open(page, '/union/members');
  const rows = await searchByName(page, name);
  const link = rows.getByRole('link', { name, exact: true });
  if ((await link.count()) === 0) return;
  await link.first().click();
  await expect(page).toHaveURL(/\/union\/members\/\d+(\?.*)?$/);
  await settle(page);
  const danger = page.locator('section').filter({ has: page.getByRole('heading', { name: '删除会员' }) });
  await danger.getByRole('button', { name: '删除会员' }).click();
  await expect(danger.getByRole('alert')).toHaveText('确定删除该会员吗？此操作不能撤销。');
  await danger.getByRole('button', { name: '确认删除' }).click();
  await expect(page).toHaveURL(pathPattern('/union/members'));
  await settle(page);
  await searchByName(page, name);
  await expect(page.getByText('没有符合条件的会员。')).toBeVisible();
}

test.beforeEach(() => {
  imported = [];
});

test.afterEach(async ({ page }) => {
  for (const name of imported) await removeMember(page, name);
});

// ---------------------------------------------------------------------------------------------

test('a clerk fills the downloaded template, sees every mistake with its cell, fixes the file and imports the members', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await loginAs(page, 'shili', DEMO_PASSWORD, '/union');
  const template = await downloadTemplate(page);

  // The template is the collection table of this union, with the 填报工会 filled in.
  const { wb, ws } = await readWorkbook(template);
  expect(cellText(ws, 'A1')).toBe('附件2');
  expect(cellText(ws, 'A3')).toBe('*填报工会');
  expect(cellText(ws, 'B3')).toBe(UNION_NAME);
  expect(cellText(ws, 'B4')).toBe('*姓名');
  expect(cellText(ws, 'D4')).toBe('*证件号码');
  expect(cellText(ws, 'H4')).toBe('*手机号码');
  expect(ws.getCell('D5').numFmt, '证件号码 is a text column').toBe('@');
  expect(ws.getCell('H5').numFmt, '手机号码 is a text column').toBe('@');

  // First version, with the mistakes clerks make.
  const ids = new IdMaker();
  const first: MemberRow = { name: uniqueName(), id: ids.id(), phone: mobile(), department: '生产部' };
  const twin: MemberRow = { name: uniqueName(), id: first.id, phone: mobile(), department: '生产部' };
  const validForO = ids.id();
  const withO: MemberRow = { name: uniqueName(), id: `44O${validForO.slice(3)}`, phone: mobile(), department: '行政部' };
  const shortPhone = mobile().slice(0, 10);
  const badPhone: MemberRow = { name: uniqueName(), id: ids.id(), phone: shortPhone, department: '财务部' };
  fillHeader(ws);
  fillMembers(ws, [first, twin, withO, badPhone]);
  const withMistakes = test.info().outputPath('会员信息采集表-有错.xlsx');
  await wb.xlsx.writeFile(withMistakes);

  const result = await upload(page, withMistakes);
  await expect(result).toContainText('文件：会员信息采集表-有错.xlsx');
  await expect(result).toContainText('读取会员 4 行');
  await expect(result).toContainText('错误 6 处');
  await expect(result.getByRole('alert')).toContainText('发现 6 处错误，未导入任何会员');
  await expect(result.getByRole('button', { name: '确认导入' })).toHaveCount(0);

  // Every mistake with its row, column, item and the guide's message; an invalid ID number
  // makes 国家/地区, 性别 and 出生日期 required, as the guide has it.
  await expect(page.locator('table.issues tbody tr')).toHaveCount(6);
  await expectIssue(page, 6, 'D', '证件号码', `同5行的${first.name}证件号码相同。`);
  await expectIssue(page, 7, 'D', '证件号码', ID_LETTER_O);
  await expectIssue(page, 7, 'E', '国家/地区', '证件号码无效或者为非居民身份证时，国家/地区必填！');
  await expectIssue(page, 8, 'H', '手机号码', phoneMessage(shortPhone));
  // each error links to its entry of the help centre's FAQ (常见问题汇总), in a new window
  const faq = page
    .locator('table.issues tbody tr')
    .filter({ has: page.locator('td.message', { hasText: ID_LETTER_O }) })
    .getByRole('link', { name: '查看常见问题（新窗口）' });
  await expect(faq).toHaveAttribute('href', '/help/faq#id-invalid');
  const [entry] = await Promise.all([page.context().waitForEvent('page'), faq.click()]);
  await entry.waitForLoadState();
  await expect(entry.locator('#id-invalid h2')).toHaveText(ID_LETTER_O);
  await entry.close();

  await auditPage(page, 'union-import-errors');

  // On a phone each error reads as a block: its place, the message, then the remedy, all on the
  // screen rather than in a column to scroll to.
  await page.setViewportSize(PHONE);
  for (const tr of await page.locator('table.issues tbody tr').all()) {
    await tr.scrollIntoViewIfNeeded();
    const message = await tr.locator('td.message').boundingBox();
    const hint = await tr.locator('td.hint-cell').boundingBox();
    expect(message && hint, 'an error and its remedy are laid out').toBeTruthy();
    expect(hint!.x + hint!.width).toBeLessThanOrEqual(PHONE.width);
    expect(hint!.y).toBeGreaterThanOrEqual(message!.y + message!.height - 1);
  }
  await page.setViewportSize(DESKTOP);

  // The error report is the clerk's own file with the reasons beside the rows.
  const reportLink = result.getByRole('link', { name: /^下载错误报告/ });
  const { file: reportFile, download: reportDownload } = await downloadFrom(page, reportLink, 'report.xlsx');
  expect(reportDownload.suggestedFilename()).toMatch(/\.xlsx$/);
  {
    const { ws: report } = await readWorkbook(reportFile);
    expect(cellText(report, 'B3')).toBe(UNION_NAME);
    expect(cellText(report, 'B5')).toBe(first.name);
    expect(cellText(report, 'D6')).toBe(twin.id);
    expect(cellText(report, 'H8')).toBe(shortPhone);
    let reasonColumn = 0;
    report.getRow(4).eachCell((cell, col) => {
      if (cell.text === '错误原因') reasonColumn = col;
    });
    expect(reasonColumn, 'row 4 has a 错误原因 column').toBeGreaterThan(13);
    const reason = (row: number) => report.getRow(row).getCell(reasonColumn).text ?? '';
    expect(reason(5), 'row 5 has no error').toBe('');
    expect(reason(6)).toContain('证件号码相同');
    expect(reason(7)).toContain('字母"O"');
    expect(reason(8)).toContain('无效手机号');
  }

  // Second version: the same file, corrected.
  const fixed: MemberRow[] = [
    first,
    { ...twin, id: ids.id() },
    { ...withO, id: validForO },
    { ...badPhone, phone: mobile() },
  ];
  fillMembers(ws, fixed);
  const corrected = test.info().outputPath('会员信息采集表-已改.xlsx');
  await wb.xlsx.writeFile(corrected);

  const clean = await upload(page, corrected);
  await expect(clean).toContainText('文件：会员信息采集表-已改.xlsx');
  await expect(clean).toContainText('读取会员 4 行');
  await expect(clean).toContainText('无误 4 行');
  await expect(clean).toContainText('错误 0 处');
  await expect(clean.getByText('全部内容检查通过，可以导入。')).toBeVisible();
  await expect(page.locator('table.issues')).toHaveCount(0);
  imported.push(...fixed.map((m) => m.name));
  await clean.getByRole('button', { name: '确认导入' }).click();
  await expect(clean.getByRole('status')).toContainText('导入成功：已新增 4 名会员');
  await expect(clean.getByRole('status')).toContainText('未办卡—待办卡');

  // The new members are in 会员信息, waiting for a card, with masked numbers.
  await clean.getByRole('link', { name: '查看会员信息' }).click();
  await expect(page).toHaveURL(pathPattern('/union/members'));
  await settle(page);
  for (const m of [fixed[1], fixed[3]]) {
    const rows = await searchByName(page, m.name);
    await expect(rows).toHaveCount(1);
    const cells = rows.first().locator('td');
    await expect(cells.nth(0)).toHaveText(m.name);
    await expect(cells.nth(1)).toHaveText(maskedId(m.id));
    await expect(cells.nth(1)).toHaveText(/^4403\*+/);
    await expect(cells.nth(2)).toHaveText(maskedPhone(m.phone));
    await expect(cells.nth(3)).toHaveText(m.department);
    await expect(rows.first().locator('.state-tag')).toHaveText('未办卡—待办卡');
  }

  // Importing the same file again is refused: every number is already in this union.
  await open(page, '/union/import');
  const again = await upload(page, corrected);
  await expect(again.getByRole('alert')).toContainText('发现 4 处错误，未导入任何会员');
  await expect(page.locator('table.issues tbody tr').first()).toContainText(`该证件号码在【${UNION_NAME}】中已存在！`);
});

test('a clerk corrects an imported member’s phone number, and the page refuses an invalid one as it is typed', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await loginAs(page, 'shili', DEMO_PASSWORD, '/union');
  const member: MemberRow = { name: uniqueName(), id: new IdMaker().id(), phone: mobile(), department: '质量部' };
  await importMembers(page, [member]);

  await open(page, '/union/members');
  const rows = await searchByName(page, member.name);
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('link', { name: member.name }).click();
  await expect(page).toHaveURL(/\/union\/members\/\d+(\?.*)?$/);
  await settle(page);
  const memberUrl = new URL(page.url()).pathname;

  await expect(page.getByRole('heading', { level: 1 })).toHaveText(member.name);
  await expect(page.getByText('办卡状态：未办卡—待办卡')).toBeVisible();
  // The full numbers, as imported.
  await expect(page.getByLabel('证件号码')).toHaveValue(member.id);
  const phone = page.getByLabel('手机号码');
  await expect(phone).toHaveValue(member.phone);
  await expect(page.getByLabel('部门')).toHaveValue(member.department);
  await auditPage(page, 'union-member');

  // The template's phone rule, checked in the browser as the clerk types.
  const save = page.getByRole('button', { name: '保存修改' });
  await expect(save).toBeEnabled();
  const phoneError = page.locator('#phone-error');
  const tooShort = member.phone.slice(0, 10);
  await phone.fill(tooShort);
  await expect(phoneError).toHaveText(phoneMessage(tooShort));
  await expect(phone).toHaveAttribute('aria-describedby', 'phone-error');
  await expect(save).toBeDisabled();
  await phone.fill('1380013800a');
  await expect(phoneError).toHaveText(phoneMessage('1380013800a'));
  await expect(save).toBeDisabled();
  await auditPage(page, 'union-member-phone-error');

  const newPhone = mobile();
  // Typed full width, and with a circled one (①): the rule reads them after Unicode NFKC, which
  // the browser computes itself (String.prototype.normalize), as the server does with its tables.
  const wide = newPhone.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
  await phone.fill(`①${wide.slice(1)}`);
  await expect(phoneError).toHaveCount(0);
  await expect(save).toBeEnabled();
  await phone.fill(`①${wide.slice(2)}`);
  await expect(phoneError).toHaveText(phoneMessage(`①${wide.slice(2)}`));
  await expect(save).toBeDisabled();
  await phone.fill(newPhone);
  await expect(phoneError).toHaveCount(0);
  await expect(save).toBeEnabled();
  // The same for the ID number, typed full width (its check digit X too).
  const idField = page.getByLabel('证件号码');
  await idField.fill(member.id.replace(/[0-9X]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)));
  await expect(page.locator('#id_number-error')).toHaveCount(0);
  await expect(save).toBeEnabled();
  const wideId = await idField.inputValue();
  const wrongDigit = wideId[16] === '０' ? '１' : '０';
  await idField.fill(`${wideId.slice(0, 16)}${wrongDigit}${wideId.slice(17)}`);
  await expect(page.locator('#id_number-error')).toBeVisible();
  await expect(save).toBeDisabled();
  await idField.fill(member.id);
  await save.click();
  await expect(page.getByRole('status').filter({ hasText: '已保存。' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // Saved for good.
  await open(page, memberUrl);
  await expect(page.getByLabel('手机号码')).toHaveValue(newPhone);
  await open(page, '/union/members');
  const found = await searchByName(page, member.name);
  await expect(found.first().locator('td').nth(2)).toHaveText(maskedPhone(newPhone));
});
