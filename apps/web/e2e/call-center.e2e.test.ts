import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, toast } from './browser';

/**
 * The product docs' "Calling a donor", step by step, as agent1 on the demo data: each step's
 * popup is checked and a screenshot saved under test-results/.
 */
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function choose(testId: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

async function expectToast(text: string | RegExp) {
  await toast(page, text).first().waitFor();
}

async function shiftState(): Promise<string | null> {
  return page.getByTestId('shift-state').getAttribute('data-state');
}

describe('calling a donor (product docs, steps 1-6)', () => {
  let firstDonor = '';

  it('1-2. Communications > Call Center, choose the job role Agent and Sign In', async () => {
    await page.goto('/login');
    await page.getByTestId('login-email').fill('agent1@demo.org');
    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/call-center');
    await page.getByTestId('menu-communications').click();
    await page.getByTestId('menu-call-center').click();
    await screenshot(page, 'call-01-call-center');
    await choose('job-role-select', 'Agent');
    await page.getByTestId('sign-in').click();
    await expectToast('Success signed into shift');
    await screenshot(page, 'call-02-signed-in');
  });

  it('3. In the dialer popup, choose the team and campaign and press Ready for Call', async () => {
    await page.getByTestId('dialer-modal').waitFor();
    await choose('team-select', 'Donor Care');
    await choose('campaign-select', 'Sponsorship follow-up');
    await page.getByTestId('ready-for-call').click();
    await expectToast('Ready for calls');
    await page.getByTestId('donor-card').waitFor();
    firstDonor = (await page.getByTestId('donor-name').textContent()) ?? '';
    expect(firstDonor.length).toBeGreaterThan(1);
    expect(await page.getByTestId('donor-reference').textContent()).toMatch(/D-\d+/);
    expect(await page.getByTestId('donor-phone').getAttribute('href')).toMatch(/^tel:\+\d+/);
    expect(await page.getByTestId('donor-why').textContent()).toMatch(/Sponsorship/);
    expect(await page.getByTestId('donor-local-time').textContent()).toMatch(/\d\d:\d\d/);
    expect(await page.getByTestId('start-call').textContent()).toMatch(/S/); // the shortcut is shown
    await screenshot(page, 'call-03-donor-offered');
  });

  it('4. Start Call (keyboard S) opens the donor profile; record a donation; End Call with Concluded', async () => {
    await page.keyboard.press('s');
    await expectToast('Call started');
    await page.getByTestId('donor-profile').waitFor();
    expect(await shiftState()).toBe('on_call');
    await screenshot(page, 'call-04-on-call-profile');

    await page.getByTestId('donation-amount').fill('25');
    await page.getByTestId('record-donation').click();
    await expectToast(/Donation recorded/);
    await page.getByTestId('donations-table').getByText(/25/).first().waitFor();
    await screenshot(page, 'call-05-donation-recorded');

    await choose('end-reason-select', 'Concluded');
    await page.getByTestId('end-notes').fill('Thanked for the sponsorship; gave 25.');
    await page.getByTestId('end-call').click();
    await expectToast(/Call ended/);
    // The next donor comes by itself.
    await page.getByTestId('donor-card').waitFor();
    await page.waitForFunction(
      (first) => document.querySelector('[data-testid="donor-name"]')?.textContent !== first,
      firstDonor,
    );
    await screenshot(page, 'call-06-next-donor');
  });

  it('4b. Skip a donor with a skip reason and notes: the next one comes', async () => {
    const skipped = await page.getByTestId('donor-name').textContent();
    await page.getByTestId('skip').click();
    await page.getByTestId('skip-modal').waitFor();
    await choose('skip-reason-select', /Not a good time/);
    await page.getByTestId('skip-notes').fill('Driving, asked us to try later');
    await screenshot(page, 'call-07-skip-reason');
    await page.getByTestId('skip-confirm').click();
    await expectToast(/Skipped/);
    await page.waitForFunction((name) => {
      const el = document.querySelector('[data-testid="donor-name"]');
      return el !== null && el.textContent !== name;
    }, skipped);
  });

  it('5. Calls lists the call just made; Take Break and Resume Shift', async () => {
    await page.getByTestId('calls-button').click();
    await page.getByTestId('calls-drawer').waitFor();
    await page.getByTestId('calls-tab-shift').click();
    await page.getByTestId('calls-list').getByText(firstDonor).first().waitFor();
    await screenshot(page, 'call-08-calls');
    await page.keyboard.press('Escape');
    await page.getByTestId('calls-drawer').waitFor({ state: 'hidden' });

    await page.getByTestId('take-break').click();
    await page.getByTestId('break-modal').waitFor();
    await choose('break-reason-select', 'Lunch');
    await page.getByTestId('break-confirm').click();
    await expectToast(/On break/);
    expect(await shiftState()).toBe('on_break');
    await screenshot(page, 'call-09-on-break');

    await page.getByTestId('resume-shift').click();
    await expectToast('Shift resumed');
    await screenshot(page, 'call-10-resumed');
  });

  it('Out of Data on "Lapsed donors (small)", said plainly with why and the choices', async () => {
    await page.getByTestId('dialer-modal').waitFor();
    await choose('team-select', 'Donor Care');
    await choose('campaign-select', 'Lapsed donors (small)');
    await page.getByTestId('ready-for-call').click();
    for (let i = 0; i < 5; i++) {
      await page.getByTestId('start-call').waitFor();
      await page.getByTestId('start-call').click();
      await expectToast('Call started');
      await choose('end-reason-select', 'Concluded');
      await page.getByTestId('end-call').click();
      await page.getByTestId('end-call').waitFor({ state: 'detached' });
    }
    await page.getByTestId('out-of-data').waitFor();
    await expectToast('Out of Data');
    expect(await page.getByTestId('out-of-data').textContent()).toMatch(/dealt with|finished/);
    expect(await page.getByTestId('out-of-data-reasons').textContent()).toMatch(/5 finished/);
    await page.getByTestId('choose-another-campaign').waitFor();
    expect(await shiftState()).toBe('out_of_data');
    await screenshot(page, 'call-11-out-of-data');
  });

  it('6. Sign Out ends the shift', async () => {
    await page.getByTestId('sign-out').click();
    await expectToast('Signed out of shift');
    await page.getByTestId('job-role-select').waitFor();
    await screenshot(page, 'call-12-signed-out');
  });
});
