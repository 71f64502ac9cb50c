import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, signIn, watchCsp } from './browser';

/**
 * A manager finds an inbound call on Calls (issue 11, item 6): a phone system (this test, through
 * its signed API) rings a line, the agent answers and ends the call with an inbound-only end
 * reason (through the API), and the manager filters Calls by Inbound and the line, sees the new
 * caller's call, and opens its history: queued, rung, answered by whom. A caller who hung up while
 * queued shows in the Inbound calls view with their wait.
 */
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  browser = await launchBrowser();
  baseUrl = inject('baseUrl');
});
afterAll(async () => {
  await browser?.close();
});

/** A signed-in session driving the API from the test (same origin, as the web app sends it). */
async function session(email: string, password = DEMO_PASSWORD) {
  let cookie = '';
  async function call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, baseUrl), {
      method,
      headers: {
        origin: baseUrl,
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0]!;
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }
  const login = await call('POST', '/api/auth/login', { email, password });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return call;
}

/** The phone system's signed request (Authorization and X-Engage-Signature of phone-system-auth.ts). */
async function phoneSystem(token: string, path: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', token).update(`${t}.${body}`).digest('hex');
  const res = await fetch(new URL(path, baseUrl), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${t},v1=${v1}`,
    },
    body,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { inboundCallId: number; action: string; agentId?: number };
}

describe('Inbound calls on the managers’ Calls page', () => {
  it('filters Calls by Inbound and a line, shows the new caller and the line, and opens the call’s history', async () => {
    const suffix = Date.now().toString(36);
    const admin = await session('admin@demo.org');

    // Set-up through the API: a team of one new agent (led by the demo manager) answers a new line, open all week.
    const users = (await admin('GET', '/api/users')).body.users as { id: number; email: string }[];
    const managerId = users.find((u) => u.email === 'manager@demo.org')!.id;
    const teams = (await admin('GET', '/api/teams')).body.teams as { id: number; name: string }[];
    const desk = teams.find((t) => t.name === 'Sponsorship Desk')!;
    const team = await admin('POST', '/api/teams', { name: `Inbound e2e ${suffix}` });
    expect(team.status, JSON.stringify(team.body)).toBe(201);
    expect(
      (await admin('POST', `/api/teams/${team.body.id}/members`, { userId: managerId, isLeader: true })).status,
    ).toBeLessThan(300);
    const agentName = `Inbound Agent ${suffix}`;
    const agentEmail = `inbound-${suffix}@demo.org`;
    const created = await admin('POST', '/api/users', {
      email: agentEmail,
      name: agentName,
      role: 'agent',
      password: 'first-Password-123',
      teamIds: [desk.id, team.body.id],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const lineName = `E2E line ${suffix}`;
    const digits = String(100 + Math.floor(Math.random() * 800));
    const line = await admin('POST', '/api/inbound/lines', {
      number: `020 7946 1${digits}`,
      country: 'GB',
      name: lineName,
      timeZone: 'Europe/London',
      teamIds: [team.body.id],
      weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
    });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
    const token = (await admin('POST', '/api/phone-system-tokens', { name: `E2E PBX ${suffix}` })).body.token as string;

    // The agent signs in (changing the first password), opens a shift under the inbound role and is Ready.
    const agent = await session(agentEmail, 'first-Password-123');
    expect(
      (
        await agent('POST', '/api/auth/password', {
          currentPassword: 'first-Password-123',
          newPassword: 'second-Password-456',
        })
      ).status,
    ).toBeLessThan(300);
    const roles = (await agent('GET', '/api/job-roles')).body as { id: number; name: string; inbound: boolean }[];
    expect((await agent('POST', '/api/shift', { jobRoleId: roles.find((r) => r.name === 'Agent')!.id })).status).toBe(
      201,
    );
    const campaigns = (await agent('GET', '/api/me/campaigns')).body as {
      campaignId: number;
      teamId: number;
      campaignName: string;
    }[];
    // A campaign the e2e set-up makes callable at any hour (global-setup.ts).
    const mine = campaigns.find((c) => c.teamId === desk.id && c.campaignName === 'Sponsorship follow-up')!;
    expect(mine, JSON.stringify(campaigns)).toBeDefined();
    const ready = await agent('POST', '/api/shift/ready', { teamId: desk.id, campaignId: mine.campaignId });
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);

    // A new caller rings the line: the agent is rung, answers, and ends with an inbound-only reason.
    const rung = await phoneSystem(token, '/api/phone-system/calls', {
      callId: `e2e-${suffix}-1`,
      from: '07400 555321',
      to: line.body.number,
    });
    expect(rung).toMatchObject({ action: 'ring', agentId: created.body.id });
    const answered = await agent('POST', `/api/inbound/calls/${rung.inboundCallId}/answer`);
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const reasons = (await agent('GET', '/api/end-reasons')).body as { id: number; name: string; direction: string }[];
    const enquiry = reasons.find((r) => r.name === 'Enquiry answered')!;
    expect(enquiry.direction).toBe('inbound');
    const noAnswer = reasons.find((r) => r.name === 'No answer')!;
    // An outbound-only reason is refused for an inbound call, naming the fix.
    const refused = await agent('POST', `/api/calls/${answered.body.call.id}/end`, { endReasonId: noAnswer.id });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain('does not apply to inbound calls');
    const ended = await agent('POST', `/api/calls/${answered.body.call.id}/end`, { endReasonId: enquiry.id });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    // A second caller queues (the agent goes on a break first) and hangs up.
    const breaks = (await agent('GET', '/api/break-reasons')).body as { id: number }[];
    expect((await agent('POST', '/api/shift/break', { breakReasonId: breaks[0]!.id })).status).toBeLessThan(300);
    const queued = await phoneSystem(token, '/api/phone-system/calls', {
      callId: `e2e-${suffix}-2`,
      from: 'anonymous',
      to: line.body.number,
    });
    expect(queued.action).toBe('queue');
    await phoneSystem(token, '/api/phone-system/calls/events', { callId: `e2e-${suffix}-2`, type: 'abandoned' });
    await agent('POST', '/api/shift/close', {});

    // The manager filters Calls by Inbound and the line.
    const page = await newPage(browser);
    const csp = watchCsp(page);
    await signIn(page, 'manager@demo.org', '**/manager/floor');
    await page.goto('/manager/calls');
    await page.getByTestId('calls-table').waitFor();
    await page.getByTestId('filter-direction').click();
    await page.getByRole('option', { name: 'Inbound', exact: true }).click();
    await page.waitForURL(/direction=inbound/);
    await page.getByTestId('filter-line').click();
    await page.getByTestId('filter-line').fill(lineName);
    await page.getByRole('option', { name: lineName, exact: true }).click();
    await page.waitForURL(new RegExp(`inboundLineId=${line.body.id}`));
    const row = page.locator(`[data-testid="call-row"][data-call-id="${answered.body.call.id}"]`);
    // The rows of the direction filter alone may show while the line filter's page loads: wait for it.
    await expect.poll(() => page.getByTestId('call-row').count(), { timeout: 10_000 }).toBe(1);
    await row.waitFor();
    expect(await row.getByTestId('call-donor').textContent()).toBe('New caller');
    expect(await row.textContent()).toContain('+447400555321');
    expect(await row.getByTestId('call-direction').textContent()).toBe('Inbound');
    expect(await row.getByTestId('call-line').textContent()).toBe(lineName);
    expect(await row.getByTestId('call-end-reason').textContent()).toBe('Enquiry answered');
    await screenshot(page, 'inbound-calls-01-filtered');

    // Its history: queued, rung, answered by the agent.
    await row.getByTestId('call-inbound-history').click();
    const drawer = page.getByTestId('inbound-history');
    await drawer.waitFor();
    const events = await drawer.getByTestId('inbound-history-event-what').allTextContents();
    expect(events).toEqual([
      'Queued: waiting for a free agent',
      `Rang ${agentName}`,
      `Answered by ${agentName}`,
      `Ended by ${agentName}`,
    ]);
    expect(await drawer.getByTestId('inbound-history-summary').textContent()).toContain(`answered by ${agentName}`);
    expect(await drawer.getByTestId('inbound-history-summary').textContent()).toContain('Enquiry answered');
    await screenshot(page, 'inbound-calls-02-history');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached' });

    // The Inbound calls view lists the caller who hung up (no call record), with its history.
    await page.getByTestId('calls-view').getByText('Inbound calls (answered or not)').click();
    await page.getByTestId('inbound-filter-line').click();
    await page.getByTestId('inbound-filter-line').fill(lineName);
    await page.getByRole('option', { name: lineName, exact: true }).click();
    const hungUp = page.locator(`[data-testid="inbound-call-row"][data-inbound-call-id="${queued.inboundCallId}"]`);
    await hungUp.waitFor();
    expect(await page.getByTestId('inbound-call-row').count()).toBe(2);
    expect(await hungUp.getByTestId('inbound-status').textContent()).toBe('Hung up');
    const answeredRow = page.locator(`[data-testid="inbound-call-row"][data-inbound-call-id="${rung.inboundCallId}"]`);
    expect(await answeredRow.getByTestId('inbound-status').textContent()).toBe('Ended');
    await hungUp.getByTestId('inbound-call-history').click();
    await drawer.waitFor();
    expect(await drawer.getByTestId('inbound-history-event-what').allTextContents()).toEqual([
      'Queued: waiting for a free agent',
      'The caller hung up',
    ]);
    await screenshot(page, 'inbound-calls-03-inbound-view');
    expect(csp).toEqual([]);
  });

  it('a caller of a closed callback line whose number is no donor shows as Call back, with the request in its history', async () => {
    const suffix = Date.now().toString(36);
    const admin = await session('admin@demo.org');
    const teams = (await admin('GET', '/api/teams')).body.teams as { id: number; name: string }[];
    const care = teams.find((t) => t.name === 'Donor Care')!;
    const lineName = `E2E callback ${suffix}`;
    const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const line = await admin('POST', '/api/inbound/lines', {
      number: `020 7946 5${String(100 + Math.floor(Math.random() * 800))}`,
      country: 'GB',
      name: lineName,
      timeZone: 'Europe/London',
      teamIds: [care.id],
      // Closed today whatever the hour: yesterday, today and tomorrow are holidays.
      closedDates: [day(-1), day(0), day(1)],
      closedAction: 'callback',
    });
    expect(line.status, JSON.stringify(line.body)).toBe(201);
    const token = (await admin('POST', '/api/phone-system-tokens', { name: `E2E PBX cb ${suffix}` })).body
      .token as string;
    const closed = await phoneSystem(token, '/api/phone-system/calls', {
      callId: `e2e-cb-${suffix}`,
      from: '07400 555987',
      to: line.body.number,
    });
    expect(closed).toMatchObject({ action: 'closed', then: 'callback' });

    const page = await newPage(browser);
    await signIn(page, 'admin@demo.org', '**/manager/floor');
    await page.goto('/manager/calls');
    await page.getByTestId('calls-view').getByText('Inbound calls (answered or not)').click();
    await page.getByTestId('inbound-filter-line').click();
    await page.getByTestId('inbound-filter-line').fill(lineName);
    await page.getByRole('option', { name: lineName, exact: true }).click();
    const row = page.locator(`[data-testid="inbound-call-row"][data-inbound-call-id="${closed.inboundCallId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('inbound-callback').textContent()).toBe('Call back');
    expect(await row.textContent()).toContain('+447400555987');
    await row.getByTestId('inbound-call-history').click();
    const drawer = page.getByTestId('inbound-history');
    await drawer.waitFor();
    expect(await drawer.getByTestId('inbound-history-event-what').allTextContents()).toEqual([
      "Line closed: the line's closed action took the caller",
      'The caller asked to be called back',
    ]);
    await screenshot(page, 'inbound-calls-05-callback');
  });

  it('an administrator sees which calls each end reason ends and adds an inbound-only one', async () => {
    const page = await newPage(browser);
    await signIn(page, 'admin@demo.org', '**/manager/floor');
    await page.goto('/admin/settings');
    await page.getByTestId('settings-tab-end-reasons').click();
    const panel = page.getByTestId('settings-panel-end-reasons');
    const enquiry = panel.locator('[data-testid="item-row"][data-name="Enquiry answered"]');
    await enquiry.waitFor();
    expect(await enquiry.getByTestId('end-reason-direction').textContent()).toBe('Inbound calls only');
    expect(
      await panel
        .locator('[data-testid="item-row"][data-name="No answer"]')
        .getByTestId('end-reason-direction')
        .textContent(),
    ).toBe('Outbound calls only');
    // "Concluded" ends both: no badge.
    expect(
      await panel
        .locator('[data-testid="item-row"][data-name="Concluded"]')
        .getByTestId('end-reason-direction')
        .count(),
    ).toBe(0);

    const name = `Gift Aid explained ${Date.now().toString(36)}`;
    await panel.getByTestId('settings-add').click();
    await page.getByTestId('item-name').fill(name);
    await page.getByTestId('item-direction').click();
    await page.getByRole('option', { name: 'Inbound calls only', exact: true }).click();
    await page.getByTestId('item-save').click();
    const added = panel.locator(`[data-testid="item-row"][data-name="${name}"]`);
    await added.waitFor();
    expect(await added.getByTestId('end-reason-direction').textContent()).toBe('Inbound calls only');
    await screenshot(page, 'inbound-calls-04-end-reasons');
  });
});
