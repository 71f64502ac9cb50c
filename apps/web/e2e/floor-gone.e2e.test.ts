import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, signIn, toast } from './browser';

/**
 * The manager's day: an agent disabled by an administrator while on a call leaves the floor at
 * once, their call ended and kept on record, the donor no longer held; and a manager acts on an
 * agent from the floor (release the donor, sign them out), each confirmed and answered by a popup.
 * Three browsers: the administrator, the agent, and the manager watching the floor.
 */
let browser: Browser;
let admin: Page;
let agent: Page;
let manager: Page;
const suffix = Date.now().toString(36);
const TEAM = 'Donor Care';
const CAMPAIGN = 'Sponsorship follow-up';

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await newPage(browser);
  agent = await newPage(browser);
  manager = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

/** A request from inside the page (its session cookie, same origin), answering the JSON body. */
async function request<T = any>(page: Page, method: string, url: string, body?: unknown): Promise<T> {
  const answer: unknown = await page.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u, {
        method: m,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      if (!res.ok) throw new Error(`${m} ${u}: ${res.status} ${await res.text()}`);
      return res.status === 204 ? null : ((await res.json()) as unknown);
    },
    [method, url, body] as const,
  );
  return answer as T;
}

/** A fresh agent in the demo team the manager leads (so no other test's agent is disabled). */
async function newAgent(name: string): Promise<{ id: number; email: string; name: string }> {
  const teams = await request<{ teams: { id: number; name: string }[] }>(admin, 'GET', '/api/teams');
  const team = teams.teams.find((t) => t.name === TEAM)!;
  const email = `e2e-${name.toLowerCase().replace(/\W+/g, '-')}-${suffix}@demo.org`;
  const user = await request(admin, 'POST', '/api/users', {
    email,
    name: `${name} ${suffix}`,
    role: 'agent',
    password: DEMO_PASSWORD,
    teamIds: [team.id],
  });
  return { id: user.id, email, name: user.name };
}

async function choose(page: Page, testId: string, option: string | RegExp) {
  await page.getByTestId(testId).first().click();
  await page.getByRole('option', { name: option }).first().click();
}

/** A user an administrator created chooses their own password at first sign-in. */
async function chooseOwnPassword(page: Page) {
  await page.getByTestId('password-change-required').waitFor();
  await page.getByTestId('change-password-current').fill(DEMO_PASSWORD);
  await page.getByTestId('change-password-new').fill('an-agent-of-our-own-e2e');
  await page.getByTestId('change-password-again').fill('an-agent-of-our-own-e2e');
  await page.getByTestId('change-password-save').click();
  await page.getByTestId('menu-communications').waitFor();
}

/** The new agent signs in to a shift, chooses the team and campaign and gets a donor on screen. */
async function previewing(page: Page, email: string) {
  await signIn(page, email);
  await chooseOwnPassword(page);
  await choose(page, 'job-role-select', 'Agent');
  await page.getByTestId('sign-in').click();
  await page.getByTestId('dialer-modal').waitFor();
  await choose(page, 'team-select', TEAM);
  await choose(page, 'campaign-select', CAMPAIGN);
  await page.getByTestId('ready-for-call').click();
  await page.getByTestId('donor-card').waitFor();
}

const floorRow = (name: string, state?: string) =>
  manager.locator(`[data-testid="floor-row"][data-agent="${name}"]${state ? `[data-state="${state}"]` : ''}`);

describe('agents who are gone leave the floor; the manager acts from the floor', () => {
  it('an agent disabled while on a call leaves the floor within a second, the call ended on record and the donor free', async () => {
    await signIn(admin, 'admin@demo.org');
    await signIn(manager, 'manager@demo.org');
    const ann = await newAgent('Ann Gone');
    await previewing(agent, ann.email);
    await agent.getByTestId('start-call').click();
    await toast(agent, 'Call started').first().waitFor();

    await manager.goto('/manager/floor');
    await floorRow(ann.name, 'on_call').waitFor();
    const campaigns = await request<{ campaigns: { id: number; name: string }[] }>(manager, 'GET', '/api/campaigns');
    const campaignId = campaigns.campaigns.find((c) => c.name === CAMPAIGN)!.id;
    const before = await request(manager, 'GET', `/api/campaigns/${campaignId}/progress`);

    await admin.goto('/admin/users');
    await admin.getByTestId('user-search').fill(ann.email);
    const row = admin.locator(`[data-testid="user-row"][data-email="${ann.email}"]`);
    await row.getByTestId('user-disable').click();
    await admin.getByTestId('user-disable-modal').waitFor();
    expect(await admin.getByTestId('user-disable-modal').textContent()).toMatch(
      /open call is ended and kept on record/,
    );
    await admin.getByTestId('user-disable-confirm').click();
    const disabledAt = Date.now();

    await floorRow(ann.name).waitFor({ state: 'detached', timeout: 1000 });
    expect(Date.now() - disabledAt, 'the floor shows it within a second').toBeLessThan(1000);
    const calls = await request(manager, 'GET', `/api/calls?agentId=${ann.id}`);
    expect(calls.calls).toHaveLength(1);
    expect(calls.calls[0].endedAt).not.toBeNull();
    expect(calls.calls[0].endReason).toMatchObject({ name: 'Ended by a manager', outcome: 'retry' });
    const after = await request(manager, 'GET', `/api/campaigns/${campaignId}/progress`);
    expect(after.heldByOthers, 'the donor is no longer held').toBe(before.heldByOthers - 1);
    expect(after.waitingRetry, 'the donor will be called again').toBe(before.waitingRetry + 1);
    expect(Date.now() - disabledAt, 'floor, call and hold right within a second').toBeLessThan(1000);
    await screenshot(manager, 'floor-01-disabled-agent-gone');
  });

  it("the manager releases an agent's donor, then signs them out, from the floor", async () => {
    const bo = await newAgent('Bo Floor');
    const boPage = await newPage(browser);
    await previewing(boPage, bo.email);
    await floorRow(bo.name, 'previewing').waitFor();

    await floorRow(bo.name).getByTestId('floor-actions').click();
    await manager.getByTestId('floor-release-donor').click();
    await manager.getByTestId('floor-action-modal').waitFor();
    await manager.getByTestId('floor-action-confirm').click();
    await toast(manager, `${bo.name}'s donor is back in the queue`).first().waitFor();
    await floorRow(bo.name, 'ready').waitFor();

    await floorRow(bo.name).getByTestId('floor-actions').click();
    await manager.getByTestId('floor-sign-out').click();
    expect(await manager.getByTestId('floor-action-modal').textContent()).toMatch(
      /Their open call will be ended and kept on record/,
    );
    expect(await manager.getByRole('dialog').textContent()).toContain(`Sign out ${bo.name}?`);
    await screenshot(manager, 'floor-02-sign-out-confirm');
    await manager.getByTestId('floor-action-confirm').click();
    await toast(manager, `${bo.name} is signed out`).first().waitFor();
    await floorRow(bo.name).waitFor({ state: 'detached' });
    await boPage.context().close();
  });
});
