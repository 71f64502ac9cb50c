import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, toast, watchCsp } from './browser';

let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

describe('signing in and out', () => {
  it('a wrong password says so and keeps the user on the login page', async () => {
    const page = await newPage(browser);
    await signIn(page, 'agent1@demo.org', 'not-the-password');
    const alert = page.getByTestId('login-error');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Wrong email or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'auth-01-wrong-password');
    await page.context().close();
  });

  it('an agent signs in, sees Communications > Call Center but no Manager or Admin menu, and logs out', async () => {
    const page = await newPage(browser);
    await signIn(page, 'agent1@demo.org', DEMO_PASSWORD);
    await page.waitForURL('**/call-center');
    await toast(page, 'Welcome').waitFor();
    expect(await page.getByTestId('user-name').textContent()).toBeTruthy();
    expect(await page.getByTestId('menu-manager').count()).toBe(0);
    expect(await page.getByTestId('menu-admin').count()).toBe(0);
    await page.getByTestId('menu-communications').click();
    await page.getByTestId('menu-call-center').waitFor();
    await screenshot(page, 'auth-02-agent-menu');
    await page.keyboard.press('Escape');

    // The notification sits at the bottom right of a 1280x800 window.
    const box = await toast(page, 'Welcome').boundingBox();
    expect(box).not.toBeNull();
    expect(box!.x + box!.width).toBeGreaterThan(1280 - 80);
    expect(box!.y + box!.height).toBeGreaterThan(800 - 120);

    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await toast(page, 'Signed out').waitFor();
    // The old session is gone: a protected page sends back to the login page.
    await page.goto('/call-center');
    await page.waitForURL('**/login**');
    await page.context().close();
  });

  it('an admin sees the Manager and Admin menus; an unknown page shows "Page not found"', async () => {
    const page = await newPage(browser);
    const csp = watchCsp(page);
    await signIn(page, 'admin@demo.org', DEMO_PASSWORD);
    await page.waitForURL('**/manager/floor');
    await page.getByTestId('menu-manager').waitFor();
    await page.getByTestId('menu-admin').waitFor();
    await screenshot(page, 'auth-03-admin-shell');
    await page.goto('/no/such/page');
    await page.getByText('Page not found').waitFor();
    await screenshot(page, 'auth-04-not-found');
    // The strict Content-Security-Policy lets the app and the API reference work as they are.
    for (const path of ['/manager/floor', '/admin/users']) {
      await page.goto(path);
      await page.getByTestId('user-name').waitFor();
    }
    await page.goto('/api/docs');
    await page.locator('.opblock').first().waitFor();
    expect(csp).toEqual([]);
    await page.context().close();
  });
});

describe('passwords', () => {
  it('a user whose password an administrator set must choose their own at first sign-in, then can change it from the user menu', async () => {
    // An administrator creates the account (through the API, as the Users page does).
    const admin = await newPage(browser);
    const adminApi = admin.context().request;
    expect(
      (await adminApi.post('/api/auth/login', { data: { email: 'admin@demo.org', password: DEMO_PASSWORD } })).ok(),
    ).toBe(true);
    const email = `new.agent.${Date.now()}@demo.org`;
    const created = await adminApi.post('/api/users', {
      data: { email, name: 'Nia New', role: 'agent', password: 'given-by-the-admin' },
    });
    expect(created.status()).toBe(201);
    await admin.context().close();

    const page = await newPage(browser);
    const csp = watchCsp(page);
    await signIn(page, email, 'given-by-the-admin');
    await page.getByTestId('password-change-required').waitFor();
    await screenshot(page, 'auth-05-choose-your-password');
    expect(await page.getByTestId('menu-communications').count()).toBe(0);

    // A common password is refused next to the field.
    await page.getByTestId('change-password-current').fill('given-by-the-admin');
    await page.getByTestId('change-password-new').fill('password12');
    await page.getByTestId('change-password-again').fill('password12');
    await page.getByTestId('change-password-save').click();
    await page.getByText('Too common: choose another').waitFor();

    await page.getByTestId('change-password-new').fill('nia-own-secret-words');
    await page.getByTestId('change-password-again').fill('nia-own-secret-words');
    await page.getByTestId('change-password-save').click();
    await toast(page, 'Your password is changed').waitFor();
    await page.getByTestId('menu-communications').waitFor();
    expect(new URL(page.url()).pathname).toBe('/call-center');

    // Later, from the user menu: a wrong current password is refused, the right one changes it.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-change-password').click();
    await page.getByTestId('change-password-current').fill('not-my-password');
    await page.getByTestId('change-password-new').fill('another-secret-of-nia');
    await page.getByTestId('change-password-again').fill('another-secret-of-nia');
    await page.getByTestId('change-password-save').click();
    await page.getByText('Not your current password').waitFor();
    await page.getByTestId('change-password-current').fill('nia-own-secret-words');
    await page.getByTestId('change-password-save').click();
    await page.getByTestId('change-password-current').waitFor({ state: 'detached' });
    await screenshot(page, 'auth-06-password-changed');

    await page.getByTestId('logout').click();
    await page.waitForURL('**/login');
    await signIn(page, email, 'another-secret-of-nia');
    await page.waitForURL('**/call-center');
    await page.getByTestId('menu-communications').waitFor();
    expect(csp).toEqual([]);
    await page.context().close();
  });
});
