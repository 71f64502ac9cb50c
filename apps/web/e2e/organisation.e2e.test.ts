import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, toast } from './browser';

/** An administrator changes the organisation's settings; the change shows in its history. */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('Admin > Organisation', () => {
  it('an administrator changes how long donations may follow End Call; the history shows from what to what', async () => {
    const page = await newPage(browser);
    await page.goto('/login');
    await page.getByTestId('login-email').fill('admin@demo.org');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/manager/floor'); // an admin lands on the live floor
    await page.getByTestId('menu-admin').click();
    await page.getByTestId('menu-admin-organisation').click();
    await page.waitForURL('**/admin/organisation');
    const form = page.getByTestId('organisation-settings');
    await form.waitFor();
    // The history loads after the form: wait for it before counting.
    await page.getByTestId('audit-empty').first().waitFor();
    expect(await page.getByTestId('audit-empty').count()).toBe(1);
    expect(await form.textContent()).toContain('GBP');

    await page.getByTestId('organisation-grace').fill('20');
    await page.getByTestId('organisation-save').click();
    await toast(page, 'Organisation settings saved').waitFor();
    const change = page.locator('[data-testid="audit-change"][data-field="donationGraceMinutes"]');
    await change.waitFor();
    expect(await change.getByTestId('audit-before').textContent()).toBe('10');
    expect(await change.getByTestId('audit-after').textContent()).toBe('20');
    await screenshot(page, 'admin-organisation-saved');
    await page.context().close();
  });
});
