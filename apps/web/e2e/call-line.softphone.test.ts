// The call record's line on the manager's Calls page, with the app of the softphone project
// (TELEPHONY=sip, softphone-setup.ts). An agent's softphone reports (through the API, as the
// softphone's own reports go) a busy call and an answered one; the manager sees each line in the
// Softphone column and filters Calls to the busy one. Skipped when the SIP packages are missing.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, screenshot, signIn } from './browser';

const env = inject('softphone');
let browser: Browser;

/** A signed-in session driving the API from the test (same origin, as the web app sends it). */
async function session(email: string) {
  const baseUrl = inject('baseUrl');
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
  const login = await call('POST', '/api/auth/login', { email, password: DEMO_PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return call;
}

describe.skipIf(env.skip !== null)("the call record's line in the manager's Calls", () => {
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows Busy (SIP 486) and the answered call with its talk time, and filters by how the line ended', async () => {
    const agent = await session('agent2@demo.org');
    const roles = (await agent('GET', '/api/job-roles')).body as { id: number; name: string }[];
    expect((await agent('POST', '/api/shift', { jobRoleId: roles.find((r) => r.name === 'Agent')!.id })).status).toBe(
      201,
    );
    const campaigns = (await agent('GET', '/api/me/campaigns')).body as {
      campaignId: number;
      teamName: string;
      campaignName: string;
      teamId: number;
    }[];
    // A campaign the set-up makes callable at any hour (global-setup.ts callableAtAnyHour).
    const mine = campaigns.find((c) => c.campaignName === 'Sponsorship follow-up')!;
    expect(mine, JSON.stringify(campaigns)).toBeDefined();
    const ready = await agent('POST', '/api/shift/ready', { teamId: mine.teamId, campaignId: mine.campaignId });
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    const reasons = (await agent('GET', '/api/end-reasons')).body as { id: number; name: string }[];
    const reason = (name: RegExp) => reasons.find((r) => name.test(r.name))!.id;

    /** Start Call, the softphone's reports, End Call. */
    async function call(signals: object[], endReasonId: number, waitMs = 0) {
      const next = await agent('POST', '/api/shift/next');
      expect(next.body.status, JSON.stringify(next.body)).toBe('offered');
      const started = await agent('POST', `/api/offers/${next.body.offer.id}/start`);
      expect(started.status, JSON.stringify(started.body)).toBe(200);
      const id = started.body.call.id as number;
      for (const s of signals) {
        if ((s as { type: string }).type === 'ended') await new Promise((r) => setTimeout(r, waitMs));
        const res = await agent('POST', `/api/calls/${id}/signals`, s);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      const ended = await agent('POST', `/api/calls/${id}/end`, { endReasonId });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      return id;
    }
    const busy = await call(
      [{ type: 'dialled' }, { type: 'ended', statusCode: 486, originator: 'remote', cause: 'Busy' }],
      reason(/^Busy/),
    );
    const answered = await call(
      [{ type: 'dialled' }, { type: 'answered' }, { type: 'ended', originator: 'remote', cause: 'Terminated' }],
      reason(/^Concluded/),
      2_100,
    );
    await agent('POST', '/api/shift/close', {});

    const page = await newPage(browser);
    await signIn(page, 'manager@demo.org', '**/manager/floor');
    await page.goto('/manager/calls');
    await page.getByTestId('calls-table').waitFor();
    const line = (id: number) =>
      page.locator(`[data-testid="call-row"][data-call-id="${id}"]`).getByTestId('call-signalling');
    expect(await line(busy).textContent()).toBe('Busy (SIP 486)');
    expect(await line(answered).textContent()).toMatch(/^Answered · 0:0[23] talk · donor hung up$/);
    await screenshot(page, 'call-line-01-calls');

    await page.getByTestId('filter-hangup-cause').click();
    await page.getByRole('option', { name: 'Busy', exact: true }).click();
    await page.waitForURL(/hangupCause=busy/);
    await expect
      .poll(async () =>
        (await page.getByTestId('call-signalling').allTextContents()).every((t) => t.startsWith('Busy')),
      )
      .toBe(true);
    await line(busy).waitFor();
    expect(await page.locator(`[data-testid="call-row"][data-call-id="${answered}"]`).count()).toBe(0);
    await screenshot(page, 'call-line-02-busy');
  });
});
