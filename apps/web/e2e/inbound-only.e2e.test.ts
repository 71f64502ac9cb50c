import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, pageCall, screenshot, signIn, toast, watchCsp } from './browser';

/**
 * An agent signed in under the demo's "Inbound caller" job role (inbound calls only): the dialer
 * has no team or campaign to choose, only Ready for inbound calls; the screen waits for a call,
 * naming the agent's line, with no Next donor. The test plays the phone system: the call pops,
 * Answer, End Call, and the agent is back to waiting, and rung again.
 */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** A signed phone-system request from the test itself (the header format of phone-system-auth.ts). */
async function phoneSystem(token: string, base: string, path: string, payload: object): Promise<any> {
  const body = JSON.stringify(payload);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', token).update(`${t}.${body}`).digest('hex');
  const res = await fetch(new URL(path, base), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${t},v1=${v1}`,
    },
    body,
  });
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(200);
  return JSON.parse(text);
}

async function choose(page: Page, testId: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

describe('An inbound-only agent', () => {
  it('is Ready for inbound calls with no campaign, waits, answers a call, ends it and waits again', async () => {
    const suffix = Date.now().toString(36);
    // The administrator: a fresh agent (so no other test's shift is in the way) in a team of their
    // own that answers a new line all day, and a phone system's token.
    const admin = await newPage(browser);
    await signIn(admin, 'admin@demo.org', '**/manager/floor');
    const agentEmail = `e2e-inbound-only-${suffix}@demo.org`;
    const user = await pageCall(admin, 'POST', '/api/users', {
      email: agentEmail,
      name: `Inbound only ${suffix}`,
      role: 'agent',
      password: DEMO_PASSWORD,
    });
    const team = await pageCall(admin, 'POST', '/api/teams', { name: `Inbound only ${suffix}`, memberIds: [user.id] });
    const digits = String(100 + Math.floor(Math.random() * 800));
    const lineName = `Helpline ${suffix}`;
    const line = await pageCall(admin, 'POST', '/api/inbound/lines', {
      number: `020 7946 4${digits}`,
      country: 'GB',
      name: lineName,
      timeZone: 'UTC',
      teamIds: [team.id],
      weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
      ringSeconds: 120,
    });
    const token = (await pageCall(admin, 'POST', '/api/phone-system-tokens', { name: `PBX ${suffix}` }))
      .token as string;
    const offer = async (n: number) => {
      const answer = await phoneSystem(token, admin.url(), '/api/phone-system/calls', {
        callId: `inbound-only-${suffix}-${n}`,
        from: `+447400${String(100000 + n)}`,
        to: line.number,
      });
      // Rung at once, or queued for a moment when the agent's shift row was busy (the sweep rings them).
      if (answer.action === 'ring') expect(answer).toMatchObject({ agentId: user.id });
      else expect(answer).toMatchObject({ action: 'queue', position: 1 });
    };

    // The agent signs in under "Inbound caller".
    const page = await newPage(browser);
    const csp = watchCsp(page);
    await signIn(page, agentEmail);
    await pageCall(page, 'POST', '/api/auth/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'an-inbound-only-agent-e2e',
    });
    await page.goto('/call-center');
    await choose(page, 'job-role-select', 'Inbound caller');
    await page.getByTestId('sign-in').click();
    await toast(page, 'Success signed into shift').first().waitFor();

    // The dialer: no team or campaign to choose, Ready for inbound calls.
    const dialer = page.getByTestId('dialer-modal');
    await dialer.waitFor();
    await dialer.getByTestId('inbound-only-intro').waitFor();
    expect(await dialer.getByTestId('team-select').count()).toBe(0);
    expect(await dialer.getByTestId('campaign-select').count()).toBe(0);
    expect(await dialer.getByTestId('ready-for-call').count()).toBe(0);
    await screenshot(page, 'inbound-only-01-dialer');
    await dialer.getByTestId('ready-for-inbound').click();
    await toast(page, 'Ready for calls').first().waitFor();
    await dialer.waitFor({ state: 'hidden' });

    // Waiting for an inbound call, on the agent's line; no donor, no Next donor.
    const waiting = page.getByTestId('waiting-inbound-panel');
    await waiting.waitFor();
    await waiting.getByText('Waiting for an inbound call').waitFor();
    await waiting.getByText(lineName, { exact: false }).waitFor();
    expect(await page.getByTestId('next-donor').count()).toBe(0);
    expect(await page.getByTestId('shift-state').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('shift-inbound-only').textContent()).toBe('Inbound calls only');
    await screenshot(page, 'inbound-only-02-waiting');

    // A call rings: the pop; Answer.
    await offer(1);
    const pop = page.getByRole('alertdialog', { name: 'Incoming call' });
    await pop.waitFor();
    expect(await pop.getByTestId('incoming-line').textContent()).toBe(lineName);
    await pop.getByTestId('incoming-answer').click();
    await toast(page, 'Call answered: new caller').first().waitFor();
    await pop.waitFor({ state: 'hidden' });
    const workspace = page.getByTestId('call-workspace');
    await workspace.waitFor();
    const callId = Number(await workspace.getAttribute('data-call-id'));
    expect(await page.getByTestId('shift-inbound-line').textContent()).toBe(lineName);
    // No next donor after this call, so no "Stop after this call".
    expect(await page.getByTestId('stop-after-call').count()).toBe(0);
    await screenshot(page, 'inbound-only-03-on-call');

    // End Call: back to waiting, no donor asked for.
    await choose(page, 'end-reason-select', 'Concluded');
    await page.getByTestId('end-call').click();
    await toast(page, /Call ended/)
      .first()
      .waitFor();
    await workspace.waitFor({ state: 'detached' });
    await waiting.waitFor();
    expect(await page.getByTestId('shift-state').getAttribute('data-state')).toBe('ready');
    expect(await page.getByTestId('donor-card').count()).toBe(0);
    expect(await page.getByTestId('dialer-modal').count()).toBe(0);
    expect(await toast(page, 'Out of Data').count()).toBe(0);

    const myCalls: any[] = await pageCall(page, 'GET', '/api/me/calls?scope=shift');
    expect(myCalls).toHaveLength(1);
    expect(myCalls[0]).toMatchObject({ id: callId, direction: 'inbound', endReason: { name: 'Concluded' } });
    const shift = await pageCall(page, 'GET', '/api/shift');
    expect(shift).toMatchObject({
      state: 'ready',
      team: null,
      campaign: null,
      offer: null,
      jobRole: { name: 'Inbound caller', takes: { outbound: false, inbound: true } },
    });

    // The next caller rings them again.
    await offer(2);
    await pop.waitFor();
    await pop.getByTestId('incoming-decline').click();
    await toast(page, 'Call declined: it passes to the next agent').first().waitFor();
    await phoneSystem(token, admin.url(), '/api/phone-system/calls/events', {
      callId: `inbound-only-${suffix}-2`,
      type: 'abandoned',
    });

    await page.getByTestId('sign-out').click();
    await toast(page, 'Signed out of shift').first().waitFor();
    expect(csp).toEqual([]);
    await admin.context().close();
    await page.context().close();
  }, 120_000);
});
