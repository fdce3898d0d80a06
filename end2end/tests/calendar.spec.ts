// The working-day calendar (节假日日历), kept by the city supervisor: the next year is added in
// place (the notice stays, the address names the year), a holiday is recorded in it, years are
// switched in place (Back too) and the holiday is removed again. District supervisors read it (a11y.spec.ts, nojs.spec.ts).
import { expect, test } from '@playwright/test';

import { DEMO_PASSWORD, loginAs, open } from './helpers';

test('the city supervisor adds the next year, records a holiday in it and removes it', async ({ page }) => {
  await loginAs(page, 'szzgh', DEMO_PASSWORD, '/supervisor');
  await open(page, '/supervisor/calendar');
  const add = page.getByRole('button', { name: /^添加\d{4}年$/ });
  const year = (await add.textContent())!.match(/\d{4}/)![0];
  await add.click();
  await expect(page.getByText(`已添加${year}年。请录入全年的放假和调休上班日期，核对后启用。`)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/supervisor/calendar\\?year=${year}$`));
  await expect(page.getByRole('heading', { name: `${year}年放假和调休上班日期` })).toBeVisible();
  await expect(page.getByRole('link', { name: new RegExp(`^${year}年`) })).toHaveAttribute('aria-current', 'true');

  await page.getByLabel('日期', { exact: true }).fill(`${year}-10-01`);
  await page.getByLabel('安排', { exact: true }).selectOption({ label: '放假' });
  await page.getByLabel('节日名称', { exact: true }).fill('国庆节');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText(new RegExp(`^已保存：${year}-10-01 `))).toBeVisible();
  const remove = page.getByRole('button', { name: `删除${year}-10-01（国庆节）` });
  await expect(remove).toBeVisible();

  // the address names the year: a reload shows the same year and its day
  await page.reload();
  await page.locator('body[data-hydrated]').waitFor({ state: 'attached' });
  await expect(page.getByRole('heading', { name: `${year}年放假和调休上班日期` })).toBeVisible();
  // another year is shown in place (what was typed stays), Back shows the year before
  await page.getByLabel('节日名称', { exact: true }).fill('中秋节');
  const before = String(Number(year) - 1);
  await page.getByRole('link', { name: new RegExp(`^${before}年`) }).click();
  await expect(page.getByRole('heading', { name: `${before}年放假和调休上班日期` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`\\?year=${before}$`));
  await expect(page.getByLabel('节日名称', { exact: true })).toHaveValue('中秋节');
  await page.goBack();
  await expect(page.getByRole('heading', { name: `${year}年放假和调休上班日期` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`\\?year=${year}$`));
  await expect(page.getByLabel('节日名称', { exact: true })).toHaveValue('中秋节');

  await page.getByRole('button', { name: `删除${year}-10-01（国庆节）` }).click();
  await expect(page.getByText(new RegExp(`^已删除 ${year}-10-01（放假，国庆节）`))).toBeVisible();
  await expect(page.getByRole('button', { name: `删除${year}-10-01（国庆节）` })).toHaveCount(0);
});
