import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, screenshot, signIn, toast } from './browser';

/**
 * A manager changes a donor, a campaign and a call; each page then shows who changed what, when,
 * and each field before → after (the audit trail).
 */
let browser: Browser;
let page: Page;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  browser = await launchBrowser();
  page = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

async function choose(p: Page, testId: string, option: string | RegExp) {
  await p.getByTestId(testId).click();
  await p.getByRole('option', { name: option }).first().click();
}

describe('history on the donor, campaign and calls pages', () => {
  it("the donor's timeline shows a change to their email: who, before → after", async () => {
    await signIn(page, 'manager@demo.org', '**/manager/floor');
    const managerName = (await page.getByTestId('user-name').textContent())!.trim();

    await page.goto('/manager/donors');
    // An empty search lists the donors the manager's work reaches.
    await page.getByTestId('donor-search-submit').click();
    await page.getByTestId('donor-row').first().click();
    await page.waitForURL('**/manager/donors/*');
    const email = page.getByTestId('donor-email');
    await email.waitFor();
    const before = (await email.inputValue()) || '(none)';
    const after = `history-${suffix}@example.org`;
    await email.fill(after);
    await page.getByTestId('donor-save').click();
    await toast(page, /saved/).first().waitFor();

    const change = page.getByTestId('donor-timeline').getByTestId('donor-timeline-change').first();
    await change.waitFor();
    expect(await change.textContent()).toContain(`Changed by ${managerName}`);
    const line = change.locator('[data-testid="audit-change"][data-field="email"]');
    expect(await line.textContent()).toContain('Email');
    expect(await line.getByTestId('audit-before').textContent()).toBe(before);
    expect(await line.getByTestId('audit-after').textContent()).toBe(after);
    await change.scrollIntoViewIfNeeded();
    await screenshot(page, 'history-01-donor-timeline');
  });

  it("the campaign's History shows its creation and a settings change", async () => {
    await page.goto('/manager/campaigns');
    await page.getByTestId('campaign-create').click();
    await page.getByTestId('campaign-name').first().fill(`History ${suffix}`);
    await page.getByTestId('campaign-purpose').first().click();
    await page.getByRole('option', { name: /Thank/i }).first().click();
    await page.getByTestId('campaign-team-select').first().click();
    await page.getByRole('option').first().click();
    // The team drop-down closes after the pick (an Escape now would close the form).
    await page.getByRole('listbox').waitFor({ state: 'hidden' });
    await page.getByTestId('campaign-save').first().click();
    await page.waitForURL('**/manager/campaigns/*');

    await page.getByTestId('campaign-max-attempts').fill('7');
    await page.getByTestId('campaign-save').click();
    await toast(page, /saved|updated/i)
      .first()
      .waitFor();

    const history = page.getByTestId('campaign-history');
    const changed = history.locator('[data-testid="audit-entry"][data-action="update"]');
    await changed.waitFor();
    const line = changed.locator('[data-testid="audit-change"][data-field="maxAttempts"]');
    expect(await line.textContent()).toContain('Most attempts');
    expect(await line.getByTestId('audit-before').textContent()).toBe('5');
    expect(await line.getByTestId('audit-after').textContent()).toBe('7');
    await history.locator('[data-testid="audit-entry"][data-action="create"]').waitFor();
    await screenshot(page, 'history-02-campaign');
  });

  it("correcting a call offers to apply the new end reason's outcome; unticked, only the record changes", async () => {
    // agent3 makes a call (the demo data has none), then signs out.
    const agent = await newPage(browser);
    await signIn(agent, 'agent3@demo.org', '**/call-center');
    const agentName = (await agent.getByTestId('user-name').textContent())!.trim();
    await choose(agent, 'job-role-select', 'Agent');
    await agent.getByTestId('sign-in').click();
    await agent.getByTestId('dialer-modal').waitFor();
    await choose(agent, 'team-select', 'Donor Care');
    await choose(agent, 'campaign-select', 'Sponsorship follow-up');
    await agent.getByTestId('ready-for-call').click();
    await agent.getByTestId('start-call').click();
    await toast(agent, 'Call started').first().waitFor();
    await choose(agent, 'end-reason-select', 'Concluded');
    await agent.getByTestId('end-call').click();
    await toast(agent, /Call ended/)
      .first()
      .waitFor();
    await agent.getByTestId('sign-out').click();
    await toast(agent, 'Signed out of shift').first().waitFor();
    await agent.close();

    await page.goto('/manager/calls');
    const first = page.locator('[data-testid="call-row"]').filter({ hasText: agentName }).first();
    await first.waitFor();
    const callId = (await first.getAttribute('data-call-id'))!;
    const row = page.locator(`[data-testid="call-row"][data-call-id="${callId}"]`);
    const current = (await row.getByTestId('call-end-reason').textContent())!.trim();
    await row.getByTestId('call-correct').click();
    await page.getByTestId('correct-call-modal').waitFor();
    await page.getByTestId('correct-end-reason').click();
    await page.getByRole('option').filter({ hasNotText: current }).first().click();

    const apply = page.getByTestId('correct-apply-outcome');
    expect(await apply.isChecked()).toBe(true);
    await screenshot(page, 'history-03-correct-call');
    await apply.uncheck();
    expect(await page.getByTestId('correct-call-modal').textContent()).toContain('Only the record changes');
    await page.getByTestId('correct-save').click();
    await toast(page, /Record only/)
      .first()
      .waitFor();

    await row.getByTestId('call-history').click();
    const entry = page.getByTestId('audit-drawer').getByTestId('audit-entry').first();
    await entry.waitFor();
    const applied = entry.locator('[data-testid="audit-change"][data-field="outcomeApplied"]');
    expect(await applied.textContent()).toContain('Outcome applied');
    expect(await applied.getByTestId('audit-after').textContent()).toBe('No');
  });
});
