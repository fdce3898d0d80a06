// Wrong passwords count down and the fifth locks the account for 15 minutes. The test locks
// an account it opens itself, so the demo accounts stay usable for the other specs. It makes
// five failed attempts from this address (the per-address limit is 30 per 15 minutes).
import { expect, test } from '@playwright/test';

import { createGrassrootsAccountAsFutian, login, pathPattern } from './helpers';

test('wrong passwords count down, the fifth failure locks the account, and then even the right password is refused', async ({
  page,
  browser,
}) => {
  const account = await createGrassrootsAccountAsFutian(browser, 'lock');

  for (let attempt = 1; attempt <= 4; attempt++) {
    await login(page, account.username, `Wrong${attempt}x2026`);
    await expect(page.locator('#password-error')).toHaveText(
      `账号或密码错误，再错${5 - attempt}次账号将被锁定15分钟。`,
    );
    await expect(page).toHaveURL(pathPattern('/login'));
  }

  await login(page, account.username, 'Wrong5x2026');
  const lock = page.getByRole('alert').filter({ hasText: '已被锁定15分钟' });
  await expect(lock).toBeVisible();
  await expect(lock).toContainText('该账号连续登录失败次数过多');
  await expect(page.locator('#password-error')).toHaveCount(0);
  await expect(page).toHaveURL(pathPattern('/login'));

  // The right (initial) password is refused as well while the lock lasts. login() reloads
  // /login first, so the message seen below is the answer to this attempt.
  await login(page, account.username, account.password);
  await expect(page.getByRole('alert').filter({ hasText: '已被锁定15分钟' })).toBeVisible();
  await expect(page).toHaveURL(pathPattern('/login'));
  await page.goto('/change-password');
  await expect(page).toHaveURL(pathPattern('/login'));
});
