// The member template in "Excel" (exceljs) for the browser tests: valid identity numbers unique to
// a run, names and phones, filling the template a union downloads, and uploading it on 导入会员.
import ExcelJS from 'exceljs';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';

import { BRANCH_FUTIAN, open, pathPattern, settle } from './helpers';

// ---------------------------------------------------------------------------------------------
// Test data: identity numbers, names and phone numbers unique to this run.

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The GB 11643 check character of the first 17 digits. */
export function checkCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** Hands out valid 18-character resident IDs of 福田 (440305), none seen before in this run. */
export class IdMaker {
  private next: number;
  private readonly year: number;
  private readonly month: number;
  private readonly day: number;

  constructor() {
    // Born 1970–1999 on a random day; a random starting sequence number 100–899.
    this.year = 1970 + Math.floor(Math.random() * 30);
    this.month = 1 + Math.floor(Math.random() * 12);
    this.day = 1 + Math.floor(Math.random() * 28);
    this.next = 100 + Math.floor(Math.random() * 800);
  }

  id(): string {
    const seq = String(this.next++).padStart(3, '0');
    const first17 = `440305${this.year}${String(this.month).padStart(2, '0')}${String(this.day).padStart(2, '0')}${seq}`;
    return first17 + checkCharacter(first17);
  }
}

// Chinese characters for names (no digits allowed in 姓名).
const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞宇航晨曦';

export function pick(chars: string): string {
  return chars[Math.floor(Math.random() * chars.length)];
}

/** A three- or four-character name that is very unlikely to exist in the database already. */
export function uniqueName(): string {
  return pick(SURNAMES) + pick(GIVEN) + pick(GIVEN) + pick(GIVEN);
}

/** An 11-digit mobile number. */
export function mobile(): string {
  return `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
}

export interface MemberRow {
  name: string;
  id: string;
  phone: string;
  department: string;
}

// ---------------------------------------------------------------------------------------------
// The template in "Excel".

/** Opens an .xlsx file and returns the workbook and its first sheet. */
export async function readWorkbook(file: string): Promise<{ wb: ExcelJS.Workbook; ws: ExcelJS.Worksheet }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  expect(ws, `${file} has a sheet`).toBeTruthy();
  return { wb, ws };
}

/** The text of a cell as a person sees it (rich text and formulas flattened). */
export function cellText(ws: ExcelJS.Worksheet, address: string): string {
  return ws.getCell(address).text ?? '';
}

/**
 * Fills the 填报工会 row as a clerk picks the drop-down values: D3 and H3 are text-formatted in
 * the template, so Excel keeps them as text; F3 is a number.
 */
export function fillHeader(ws: ExcelJS.Worksheet): void {
  ws.getCell('D3').value = '60';
  ws.getCell('F3').value = 2;
  ws.getCell('H3').value = BRANCH_FUTIAN;
  ws.getCell('J3').value = '是';
}

/** Writes member rows from row 5: 序号 (A), 姓名 (B), 证件号码 (D), 手机号码 (H), 部门 (L). */
export function fillMembers(ws: ExcelJS.Worksheet, rows: MemberRow[]): void {
  rows.forEach((m, i) => {
    const r = 5 + i;
    ws.getCell(`A${r}`).value = i + 1;
    ws.getCell(`B${r}`).value = m.name;
    ws.getCell(`D${r}`).value = m.id; // a string: the column is text-formatted
    ws.getCell(`H${r}`).value = m.phone;
    ws.getCell(`L${r}`).value = m.department;
  });
}

/** Clicks a link that downloads a file, saves it under the test's output folder, returns the path. */
export async function downloadFrom(page: Page, link: Locator, saveAs: string): Promise<{ file: string; download: Download }> {
  const downloading = page.waitForEvent('download');
  await link.click();
  const download = await downloading;
  expect(await download.failure(), `downloading ${download.suggestedFilename()}`).toBeNull();
  const file = test.info().outputPath(saveAs);
  await download.saveAs(file);
  return { file, download };
}

/** From 会员信息, follows 导入会员 and downloads the template; returns its path. */
export async function downloadTemplate(page: Page): Promise<string> {
  await open(page, '/union/members');
  await page.getByRole('link', { name: '导入会员', exact: true }).click();
  await expect(page).toHaveURL(pathPattern('/union/import'));
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('导入会员');
  // The heading 第一步：下载会员模板 has the same words: take the link itself.
  const link = page.locator('a.button', { hasText: '下载会员模板' });
  await expect(link).toHaveCount(1);
  const { file, download } = await downloadFrom(page, link, 'template.xlsx');
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  return file;
}

/** Chooses the file, presses 上传并检查 and waits for 第三步：检查结果; returns that section. */
export async function upload(page: Page, file: string): Promise<Locator> {
  await page.setInputFiles('#import-file', file);
  await page.getByRole('button', { name: '上传并检查' }).click();
  const heading = page.getByRole('heading', { level: 2, name: '第三步：检查结果' });
  await expect(heading).toBeVisible({ timeout: 30_000 });
  return page.locator('section').filter({ has: heading });
}

