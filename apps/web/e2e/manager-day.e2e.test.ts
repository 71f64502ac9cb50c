import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, toast } from './browser';

/**
 * A manager's first day: they land on the live floor, the login page asks nothing that fails,
 * the Calls filters survive a reload, and pausing a campaign with an agent on it asks first.
 */
let browser: Browser;
const suffix = Date.now().toString(36);

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signIn(page: Page, email: string) {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A request from the page, with its session (same origin), answering the parsed JSON. */
async function call(page: Page, method: string, url: string, body?: unknown): Promise<any> {
  const res = await page.evaluate(
    async ([m, u, b]) => {
      const r = await fetch(u, {
        method: m,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: r.status, text: await r.text() };
    },
    [method, url, body] as const,
  );
  expect(res.status, `${method} ${url}: ${res.text}`).toBeLessThan(300);
  return res.text === '' ? null : JSON.parse(res.text);
}

describe("a manager's first day", () => {
  it('the login page makes no failing request and logs no error', async () => {
    const page = await newPage(browser);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    // Straight to the login page, and by way of a page that needs a session.
    await page.goto('/login');
    await page.getByTestId('login-email').waitFor();
    await page.goto('/');
    await page.waitForURL('**/login');
    await page.getByTestId('login-email').waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('a manager lands on the live floor after signing in, and at /', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager@demo.org');
    await page.waitForURL('**/manager/floor');
    await page.goto('/');
    await page.waitForURL('**/manager/floor');
    await screenshot(page, 'manager-day-01-floor');
    await page.context().close();
  });

  it('the Calls filters survive a reload, and Back undoes one', async () => {
    const page = await newPage(browser);
    await signIn(page, 'manager@demo.org');
    await page.goto('/manager/calls');
    await page.getByTestId('filter-direction').click();
    await page.getByRole('option', { name: 'Inbound' }).click();
    await page.waitForURL('**/manager/calls?direction=inbound');
    await page.getByTestId('filter-dates').click();
    await page.getByRole('button', { name: 'Today' }).click();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}/);
    const withDates = page.url();

    await page.reload();
    expect(page.url()).toBe(withDates);
    expect(await page.getByTestId('filter-direction').inputValue()).toBe('Inbound');
    expect(await page.getByTestId('filter-dates').textContent()).not.toBe('');
    await page.getByTestId('filters-reset').waitFor();
    await screenshot(page, 'manager-day-02-calls-filters');

    await page.goBack();
    await page.waitForURL('**/manager/calls?direction=inbound');
    expect(await page.getByTestId('filter-direction').inputValue()).toBe('Inbound');
    await page.context().close();
  });

  it('pausing a campaign with an agent calling for it asks first, with the count', async () => {
    const manager = await newPage(browser);
    const agent = await newPage(browser);
    await signIn(manager, 'manager@demo.org');
    await signIn(agent, 'agent6@demo.org');

    // A campaign of its own, worked by a team with agent6 in it.
    const { users } = await call(manager, 'GET', '/api/users');
    const agentId = users.find((u: { email: string }) => u.email === 'agent6@demo.org').id;
    const team = await call(manager, 'POST', '/api/teams', { name: `Pause team ${suffix}` });
    await call(manager, 'POST', `/api/teams/${team.id}/members`, { userId: agentId });
    const list = await call(manager, 'POST', '/api/lists/from-search', { name: `Pause list ${suffix}`, q: 'Harris' });
    const campaign = await call(manager, 'POST', '/api/campaigns', {
      name: `Pause campaign ${suffix}`,
      purpose: 'thank_you',
      teamIds: [team.id],
      callingHoursStart: '00:00',
      callingHoursEnd: '24:00',
    });
    await call(manager, 'POST', `/api/campaigns/${campaign.id}/lists`, { listId: list.id });
    await call(manager, 'PATCH', `/api/campaigns/${campaign.id}`, { status: 'active' });

    const roles = await call(agent, 'GET', '/api/job-roles');
    await call(agent, 'POST', '/api/shift', { jobRoleId: roles[0].id });
    try {
      await call(agent, 'POST', '/api/shift/ready', { teamId: team.id, campaignId: campaign.id });

      await manager.goto(`/manager/campaigns/${campaign.id}`);
      await manager.getByTestId('campaign-status-pause').click();
      const question = manager.getByTestId('campaign-status-pause-modal');
      await question.waitFor();
      await manager.getByText('1 agent is calling for this campaign now. Pause it?').waitFor();
      expect(await question.textContent()).toContain('Out of Data at their next donor');
      await screenshot(manager, 'manager-day-03-pause-question');
      // Cancel keeps it active; confirming pauses it.
      await question.getByRole('button', { name: 'Cancel' }).click();
      await question.waitFor({ state: 'hidden' });
      expect((await call(manager, 'GET', `/api/campaigns/${campaign.id}`)).status).toBe('active');
      await manager.getByTestId('campaign-status-pause').click();
      await manager.getByTestId('campaign-status-pause-confirm').click();
      await toast(manager, 'Campaign paused').waitFor();
      expect((await call(manager, 'GET', `/api/campaigns/${campaign.id}`)).status).toBe('paused');
    } finally {
      await call(agent, 'POST', '/api/shift/close', {});
    }

    // With nobody calling for it, Resume then Pause asks nothing.
    await manager.getByTestId('campaign-status-activate').click();
    await toast(manager, 'Campaign resumed').waitFor();
    await manager.getByTestId('campaign-status-pause').click();
    const statusNow = async (): Promise<string> =>
      ((await call(manager, 'GET', `/api/campaigns/${campaign.id}`)) as { status: string }).status;
    await expect.poll(statusNow).toBe('paused');
    expect(await manager.getByTestId('campaign-status-pause-modal').count()).toBe(0);
    await manager.context().close();
    await agent.context().close();
  });
});
