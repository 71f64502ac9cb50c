import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn, toast, watchCsp } from './browser';

/**
 * An administrator sets up inbound calls: a line whose number is typed nationally comes back in
 * E.164, its opening hours change on the campaigns' weekday grid, and a phone system's token is
 * shown once, works, and stops working once revoked.
 */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A signed phone-system request from the test itself (the header format of phone-system-auth.ts). */
async function offerCall(page: Page, token: string, to: string, callId: string): Promise<number> {
  const body = JSON.stringify({ callId, from: '07700 900123', to });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', token).update(`${t}.${body}`).digest('hex');
  const res = await fetch(new URL('/api/phone-system/calls', page.url()), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${t},v1=${v1}`,
    },
    body,
  });
  return res.status;
}

/** Picks an option of a Mantine Select by typing part of it. */
async function choose(page: Page, testId: string, typed: string, option: string) {
  await page.getByTestId(testId).click();
  await page.getByTestId(testId).fill(typed);
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('Inbound lines and phone systems (administrator)', () => {
  it('creates a line from a national number (E.164 back), edits its hours, creates a token shown once, revokes it', async () => {
    const page = await newPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const csp = watchCsp(page);
    await signIn(page, 'admin@demo.org', '**/manager/floor');

    // The Manager menu leads to Inbound lines.
    await page.getByTestId('menu-manager').click();
    await page.getByTestId('menu-manager-inbound-lines').click();
    await page.waitForURL('**/manager/inbound-lines');
    // The page loads on demand: wait for its title, not just the address.
    await page
      .getByTestId('page-title')
      .filter({ hasText: /^Inbound lines$/ })
      .waitFor();

    const digits = String(100 + Math.floor(Math.random() * 900));
    const name = `Donor care ${Date.now().toString(36)}`;
    const e164 = `+442079460${digits}`;
    await page.getByTestId('inbound-line-create').click();
    await page.getByTestId('inbound-line-name').fill(name);
    await page.getByTestId('inbound-line-number').fill(`020 7946 0${digits}`);
    await choose(page, 'inbound-line-country', 'United Kingdom', 'United Kingdom (GB)');
    await choose(page, 'inbound-line-time-zone', 'Europe/Lon', 'Europe/London');
    await page.getByTestId('inbound-line-teams').click();
    await page.getByRole('option', { name: 'Donor Care', exact: true }).click();
    await page.getByTestId('inbound-line-save').click();
    await toast(page, `Line ${name} created`).waitFor();

    const row = page.locator(`[data-testid="inbound-line-row"][data-name="${name}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-number')).toBe(e164);
    expect(await row.getByTestId('inbound-line-e164').textContent()).toBe(e164);
    expect(await row.getByTestId('inbound-line-number-shown').textContent()).toBe(`+44 20 7946 0${digits}`);
    expect(await row.textContent()).toContain('Donor Care');
    expect(await row.textContent()).toContain('General enquiries');
    expect(await row.getByTestId('inbound-line-hours').textContent()).toBe('Mon–Fri 09:00–17:00');

    // The same number again, written another way: the server's refusal shows in the form, naming the fix.
    await page.getByTestId('inbound-line-create').click();
    await page.getByTestId('inbound-line-name').fill(`${name} copy`);
    await page.getByTestId('inbound-line-number').fill(`+44 (0)20 7946 0${digits}`);
    await page.getByTestId('inbound-line-save').click();
    const refusal = page.getByTestId('inbound-line-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain(`already has the number ${e164}`);
    await screenshot(page, 'inbound-01-line-refused');
    await page.keyboard.press('Escape');
    await refusal.waitFor({ state: 'detached' });

    // Edit: open on Saturdays 10:00-14:00, on the same weekday grid as campaigns.
    await row.getByTestId('inbound-line-edit').click();
    expect(await page.getByTestId('inbound-line-number').inputValue()).toBe(e164);
    await page.getByTestId('inbound-line-day-6-open').check();
    await page.getByTestId('inbound-line-day-6-start').fill('10:00');
    await page.getByTestId('inbound-line-day-6-end').fill('14:00');
    await page.getByTestId('inbound-line-save').click();
    await toast(page, `Line ${name} saved`).waitFor();
    await page.getByTestId('inbound-line-form').waitFor({ state: 'detached' });
    expect(await row.getByTestId('inbound-line-hours').textContent()).toBe('Mon–Fri 09:00–17:00, Sat 10:00–14:00');
    await screenshot(page, 'inbound-02-lines');

    // The line's History: created, then its hours changed, by whom.
    await row.getByTestId('inbound-line-history').click();
    const drawer = page.getByTestId('audit-drawer');
    await drawer.locator('[data-testid="audit-trail"][data-count="2"]').waitFor();
    const [changed, made] = await drawer.getByTestId('audit-entry').all();
    expect(await changed!.getAttribute('data-action')).toBe('update');
    expect(await made!.getAttribute('data-action')).toBe('create');
    expect(await changed!.getByTestId('audit-actor').textContent()).toBe('Ada Admin');
    await changed!.locator('[data-testid="audit-change"][data-field="weekdayHours"]').waitFor();
    expect(await made!.textContent()).toContain(name);
    await screenshot(page, 'inbound-02b-line-history');
    await page.keyboard.press('Escape');
    await drawer.getByTestId('audit-trail').waitFor({ state: 'detached' });

    // Admin > Phone systems: a token is shown once, with how to sign requests.
    await page.getByTestId('menu-admin').click();
    await page.getByTestId('menu-admin-phone-systems').click();
    await page.waitForURL('**/admin/phone-systems');
    await page
      .getByTestId('page-title')
      .filter({ hasText: /^Phone systems$/ })
      .waitFor();
    const pbx = `PBX ${Date.now().toString(36)}`;
    await page.getByTestId('phone-system-token-create').click();
    await page.getByTestId('phone-system-token-name').fill(pbx);
    await page.getByTestId('phone-system-token-submit').click();
    const created = page.getByTestId('phone-system-token-created');
    await created.waitFor();
    const token = (await page.getByTestId('phone-system-token-value').textContent())!.trim();
    expect(token).toMatch(/^eps_[\w-]{43}$/);
    expect(await created.textContent()).toContain('it will not be shown again');
    expect(await created.textContent()).toContain('X-Engage-Signature: t=<unix seconds>,v1=<signature>');
    await page.getByTestId('phone-system-token-copy').click();
    await page.getByTestId('phone-system-token-copy').getByText('Copied', { exact: true }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await screenshot(page, 'inbound-03-token-once');
    await page.getByTestId('phone-system-token-done').click();
    await created.waitFor({ state: 'detached' });
    expect(await page.content()).not.toContain(token);

    const tokenRow = page.locator(`[data-testid="phone-system-token-row"][data-name="${pbx}"]`);
    await tokenRow.waitFor();
    expect(await tokenRow.getByTestId('phone-system-token-status').textContent()).toBe('Active');
    // The token shown is the phone system's: a signed call to the new line is answered.
    expect(await offerCall(page, token, e164, `e2e-${Date.now()}-a`)).toBe(200);

    // Revoke, behind a confirmation: the token authenticates nothing from then on.
    await tokenRow.getByTestId('phone-system-token-revoke').click();
    await page.getByTestId('phone-system-token-revoke-confirm').click();
    await toast(page, `${pbx} is revoked`).waitFor();
    await page.locator(`[data-testid="phone-system-token-row"][data-name="${pbx}"][data-revoked="true"]`).waitFor();
    expect(await tokenRow.getByTestId('phone-system-token-status').textContent()).toMatch(/^Revoked /);
    expect(await tokenRow.getByTestId('phone-system-token-revoke').count()).toBe(0);
    expect(await offerCall(page, token, e164, `e2e-${Date.now()}-b`)).toBe(401);
    await screenshot(page, 'inbound-04-token-revoked');

    expect(csp).toEqual([]);
    await page.context().close();
  });

  it("the General enquiries campaign is active with no list: its page says its donors are the lines' call-backs", async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin@demo.org', '**/manager/floor');
    await page.goto('/manager/campaigns');
    const row = page.locator('[data-testid="campaign-row"][data-name="General enquiries"]');
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('active');
    await row.getByTestId('campaign-link').click();
    await page.waitForURL('**/manager/campaigns/*');
    expect(await page.getByTestId('campaign-lists-empty').textContent()).toBe(
      'No list needed: its donors are the callers who ask one of its inbound lines for a call-back.',
    );
    await page.context().close();
  });
});
