import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, toast } from './browser';

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
    await signIn(page, 'admin@demo.org', DEMO_PASSWORD);
    await page.waitForURL('**/call-center');
    await page.getByTestId('menu-manager').waitFor();
    await page.getByTestId('menu-admin').waitFor();
    await screenshot(page, 'auth-03-admin-shell');
    await page.goto('/no/such/page');
    await page.getByText('Page not found').waitFor();
    await screenshot(page, 'auth-04-not-found');
    await page.context().close();
  });
});
