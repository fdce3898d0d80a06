// 会员服务平台 on a phone: a member signs in with 证件号码 + 手机号码 and the SMS code (the demo
// server has no gateway and writes the code to its log, which scripts/test.sh names in
// SERVER_LOG), reads where the card is, answers 未收到 and reports wrong information; the union
// sees both in its 待办 and 会员反馈 and answers; the member reads the answer. Every page is
// checked with axe at desktop and phone width, and the card page at 360 px without scripts.
import { expect, test, type Page } from '@playwright/test';

import { DEMO_PASSWORD, HUANG_ID, HUANG_PHONE, auditPage, codeFromLog, logSize, loginAs, open, pathPattern, settle } from './helpers';

const NARROW = { width: 360, height: 740 };

async function memberSignIn(page: Page): Promise<void> {
  await page.goto('/me');
  await expect(page).toHaveURL(pathPattern('/me/login'));
  await settle(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('会员登录');
  // typed with full-width digits and a space, as a phone keyboard may give them
  await page.getByLabel('证件号码').fill(`${HUANG_ID.slice(0, 6)} ${HUANG_ID.slice(6)}`);
  await page.getByLabel('手机号码').fill('１３８００１３８０００');
  const before = logSize();
  await page.getByRole('button', { name: '获取短信验证码' }).click();
  // the page comes back (a plain form post) with the code field, keeping what was typed
  const sent = page.getByRole('status').filter({ hasText: '演示环境' });
  await expect(sent).toBeVisible();
  await expect(sent).toContainText(/\d+秒后可重新获取/);
  await expect(page.getByLabel('证件号码')).toHaveValue(`${HUANG_ID.slice(0, 6)} ${HUANG_ID.slice(6)}`);
  await expect(page.getByRole('button', { name: '重新获取验证码' })).toBeVisible();
  const code = await codeFromLog(before);
  await page.getByLabel('短信验证码').fill('000000' === code ? '111111' : '000000');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.locator('#code-error')).toHaveText('验证码不正确，还可以再试4次。');
  await page.getByLabel('短信验证码').fill(code);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(pathPattern('/me'));
  await settle(page);
}

test.describe('the member portal', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a member signs in with an SMS code, answers 未收到, reports wrong information and reads the union’s answer', async ({
    page,
    browser,
  }) => {
    await open(page, '/me/login');
    await auditPage(page, 'member-login');
    await memberSignIn(page);

    await expect(page.getByRole('heading', { level: 1 })).toHaveText('我的会员服务卡');
    await expect(page.getByRole('region', { name: '会员服务卡' })).toContainText('黄丽');
    const steps = page.getByRole('list', { name: '办理进度' });
    await expect(steps.locator('[aria-current="step"]')).toContainText('已激活');
    await expect(steps.locator('li.done')).toHaveCount(6);
    await expect(page.getByText('激活网点：中国银行深圳福田支行', { exact: true })).toBeVisible();
    await expect(page.getByRole('link', { name: '0755-83288060' })).toHaveAttribute('href', 'tel:0755-83288060');
    await auditPage(page, 'member-card');

    // 未收到: recorded, shown back, and in the union's 待办 at once
    await page.getByRole('button', { name: '未收到' }).click();
    await expect(page.getByText('您已反馈未收到卡，工会将与您联系')).toBeVisible();
    await expect(page.getByRole('button', { name: '未收到' })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.getByRole('list').filter({ hasText: '会员反馈未收到卡' }).first()).toBeVisible();

    // 信息有误: the phone number, with what is right
    await page.getByText('信息有误，我要反馈').click();
    await page.getByLabel('有误的信息').selectOption({ label: '部门' });
    await page.getByLabel('正确的信息').fill('质量部');
    await page.getByRole('button', { name: '提交给工会' }).click();
    await expect(page.getByText('部门：质量部')).toBeVisible();
    await expect(page.getByText('待工会处理')).toBeVisible();

    // the union: 待办 counts both, 会员反馈 lists them, the union answers
    const unionContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const union = await unionContext.newPage();
    await loginAs(union, 'shili', DEMO_PASSWORD, '/union');
    const todo = union.getByRole('region', { name: '待办' });
    await expect(todo).toContainText('1名会员反馈未收到卡，请尽快核实');
    await expect(todo).toContainText('1条会员反馈信息有误，请核对处理');
    await todo.getByRole('link', { name: /会员反馈未收到卡/ }).click();
    await expect(union).toHaveURL(pathPattern('/union/feedback'));
    await settle(union);
    await expect(union.getByRole('region', { name: '反馈未收到卡的会员' })).toContainText('黄丽');
    await auditPage(union, 'union-feedback');
    // the member's record shows what the member gave, beside the form to fix it
    await union.locator('li.report-item').getByRole('link', { name: '黄丽' }).click();
    await expect(union).toHaveURL(/\/union\/members\/\d+$/);
    await settle(union);
    await expect(union.getByRole('region', { name: '会员反馈信息有误' })).toContainText('部门，会员反馈正确应为：质量部');
    await auditPage(union, 'union-member-report');
    await union.getByRole('link', { name: '会员反馈', exact: true }).first().click();
    await expect(union).toHaveURL(pathPattern('/union/feedback'));
    await settle(union);
    // an answer in words needs its words: the refusal stands beside the report it is about
    await union.getByRole('button', { name: '答复不修改' }).click();
    await settle(union);
    const report = union.locator('li.report-item');
    await expect(report.getByRole('alert')).toHaveText('请填写答复内容。');
    await expect(report.getByLabel('答复会员')).toHaveAccessibleDescription('请填写答复内容。');
    await union.getByLabel('答复会员').fill('部门以劳动合同为准，暂不修改。');
    await union.getByRole('button', { name: '答复不修改' }).click();
    await expect(union.getByText('没有待处理的反馈。')).toBeVisible();
    await expect(union.getByRole('region', { name: '已处理' })).toContainText('工会已答复');
    await unionContext.close();

    // the member reads the answer; then confirms the card after all
    await page.reload();
    await settle(page);
    await expect(page.getByText('工会答复：部门以劳动合同为准，暂不修改。')).toBeVisible();
    await page.getByRole('button', { name: '我已领到卡' }).click();
    await expect(page.getByText('您已确认领到卡')).toBeVisible();

    // the card page at 360 px without scripts: everything there, nothing sideways
    const noScript = await browser.newContext({
      javaScriptEnabled: false,
      viewport: NARROW,
      storageState: await page.context().storageState(),
    });
    const plain = await noScript.newPage();
    await plain.goto('/me');
    await expect(plain.getByRole('heading', { level: 1 })).toHaveText('我的会员服务卡');
    await expect(plain.getByRole('heading', { name: '现在需要做什么' })).toBeVisible();
    await expect(plain.getByRole('list', { name: '办理进度' }).locator('li')).toHaveCount(7);
    await expect(plain.getByText('会员确认已领到卡')).toBeVisible();
    await expect(plain.getByText('正在加载…')).toHaveCount(0);
    const wide = await plain.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(wide, 'nothing scrolls sideways at 360 px').toBeLessThanOrEqual(1);
    await noScript.close();
  });
});
