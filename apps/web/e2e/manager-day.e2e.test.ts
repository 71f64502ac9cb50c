import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, pageCall, screenshot, signIn, toast } from './browser';

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
    const { users } = await pageCall(manager, 'GET', '/api/users');
    const agentId = users.find((u: { email: string }) => u.email === 'agent6@demo.org').id;
    const team = await pageCall(manager, 'POST', '/api/teams', { name: `Pause team ${suffix}` });
    await pageCall(manager, 'POST', `/api/teams/${team.id}/members`, { userId: agentId });
    const list = await pageCall(manager, 'POST', '/api/lists/from-search', {
      name: `Pause list ${suffix}`,
      q: 'Harris',
    });
    const campaign = await pageCall(manager, 'POST', '/api/campaigns', {
      name: `Pause campaign ${suffix}`,
      purpose: 'thank_you',
      teamIds: [team.id],
      callingHoursStart: '00:00',
      callingHoursEnd: '24:00',
    });
    await pageCall(manager, 'POST', `/api/campaigns/${campaign.id}/lists`, { listId: list.id });
    await pageCall(manager, 'PATCH', `/api/campaigns/${campaign.id}`, { status: 'active' });

    const roles = await pageCall(agent, 'GET', '/api/job-roles');
    await pageCall(agent, 'POST', '/api/shift', { jobRoleId: roles[0].id });
    try {
      await pageCall(agent, 'POST', '/api/shift/ready', { teamId: team.id, campaignId: campaign.id });

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
      expect((await pageCall(manager, 'GET', `/api/campaigns/${campaign.id}`)).status).toBe('active');
      await manager.getByTestId('campaign-status-pause').click();
      await manager.getByTestId('campaign-status-pause-confirm').click();
      await toast(manager, 'Campaign paused').waitFor();
      expect((await pageCall(manager, 'GET', `/api/campaigns/${campaign.id}`)).status).toBe('paused');
    } finally {
      await pageCall(agent, 'POST', '/api/shift/close', {});
    }

    // With nobody calling for it, Resume then Pause asks nothing.
    await manager.getByTestId('campaign-status-activate').click();
    await toast(manager, 'Campaign resumed').waitFor();
    await manager.getByTestId('campaign-status-pause').click();
    const statusNow = async (): Promise<string> =>
      ((await pageCall(manager, 'GET', `/api/campaigns/${campaign.id}`)) as { status: string }).status;
    await expect.poll(statusNow).toBe('paused');
    expect(await manager.getByTestId('campaign-status-pause-modal').count()).toBe(0);
    await manager.context().close();
    await agent.context().close();
  });
});
