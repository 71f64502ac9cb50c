import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, newPage, pageCall, screenshot, signIn, watchCsp } from './browser';

/**
 * The manager's live floor follows an inbound call without a reload: a caller queues on a line
 * nobody can answer (the line's queue), the agent goes Ready and is rung ("Ringing (line)"),
 * then answers ("On inbound call" on the line). Each step within 5 s, well inside the floor's
 * 15 s fallback poll: the live events carry it. The agent and the phone system act through the
 * API (the agent's pop-up has its own browser test).
 */
let browser: Browser;
let admin: Page;
let agent: Page;
let manager: Page;
const suffix = Date.now().toString(36);
const CAMPAIGN = 'Sponsorship follow-up';
/** Sooner than the floor's fallback poll (15 s): only a live event makes the floor change this fast. */
const LIVE = { timeout: 5_000 };

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await newPage(browser);
  agent = await newPage(browser);
  manager = await newPage(browser);
});
afterAll(async () => {
  await browser?.close();
});

/** A signed phone-system offer (the header format of phone-system-auth.ts). */
async function offerCall(token: string, to: string): Promise<{ inboundCallId: number; action: string }> {
  const body = JSON.stringify({ callId: `floor-e2e-${suffix}-${Math.random()}`, from: '07700 900456', to });
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', token).update(`${t}.${body}`).digest('hex');
  const res = await fetch(new URL('/api/phone-system/calls', admin.url()), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'x-engage-signature': `t=${t},v1=${v1}`,
    },
    body,
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { inboundCallId: number; action: string };
}

describe("Inbound calls on the manager's live floor", () => {
  it("shows the line's queue, then the agent ringing, then on the inbound call, without a reload", async () => {
    // An administrator sets up a team of one fresh agent, led by the demo manager, answering a new
    // line (so no other test's agent is rung), and a phone system's token.
    await signIn(admin, 'admin@demo.org', '**/manager/floor');
    const agentName = `Inbound floor agent ${suffix}`;
    const agentEmail = `e2e-inbound-floor-${suffix}@demo.org`;
    const user = await pageCall(admin, 'POST', '/api/users', {
      email: agentEmail,
      name: agentName,
      role: 'agent',
      password: DEMO_PASSWORD,
    });
    const users = await pageCall(admin, 'GET', '/api/users');
    const managerId = (users.users as { id: number; email: string }[]).find((u) => u.email === 'manager@demo.org')!.id;
    const team = await pageCall(admin, 'POST', '/api/teams', { name: `Inbound floor ${suffix}`, memberIds: [user.id] });
    await pageCall(admin, 'POST', `/api/teams/${team.id}/members`, { userId: managerId, isLeader: true });
    const campaigns = await pageCall(admin, 'GET', '/api/campaigns');
    const campaignId = (campaigns.campaigns as { id: number; name: string }[]).find((c) => c.name === CAMPAIGN)!.id;
    const campaign = await pageCall(admin, 'GET', `/api/campaigns/${campaignId}`);
    await pageCall(admin, 'PUT', `/api/campaigns/${campaignId}/teams`, {
      teamIds: [...(campaign.teams as { id: number }[]).map((t) => t.id), team.id],
    });
    const lineName = `Floor line ${suffix}`;
    const digits = String(100 + Math.floor(Math.random() * 800));
    const line = await pageCall(admin, 'POST', '/api/inbound/lines', {
      number: `020 7946 1${digits}`,
      country: 'GB',
      name: lineName,
      timeZone: 'Europe/London',
      teamIds: [team.id],
      weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
      ringSeconds: 60,
    });
    const token = (await pageCall(admin, 'POST', '/api/phone-system-tokens', { name: `Floor PBX ${suffix}` }))
      .token as string;

    // The agent signs in to a shift under a job role that takes inbound (and outbound: Ready on a campaign), not Ready yet.
    await signIn(agent, agentEmail);
    await pageCall(agent, 'POST', '/api/auth/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: 'an-inbound-agent-of-our-own',
    });
    const roles = await pageCall(agent, 'GET', '/api/job-roles');
    const role = (roles as { id: number; name: string }[]).find((r) => r.name === 'Agent')!;
    await pageCall(agent, 'POST', '/api/shift', { jobRoleId: role.id });

    // The manager watches the floor.
    const csp = watchCsp(manager);
    await signIn(manager, 'manager@demo.org', '**/manager/floor');
    const lineRow = manager.locator(`[data-testid="floor-line"][data-line="${lineName}"]`);
    await lineRow.waitFor();
    expect(await lineRow.getAttribute('data-waiting')).toBe('0');
    const agentRow = manager.locator(`[data-testid="floor-row"][data-agent="${agentName}"]`);
    await agentRow.waitFor();

    // A caller rings the line; nobody is free: the queue shows them, the wait ticking.
    const call = await offerCall(token, line.number);
    expect(call.action).toBe('queue');
    await manager.locator(`[data-testid="floor-line"][data-line="${lineName}"][data-waiting="1"]`).waitFor(LIVE);
    expect(await lineRow.getByTestId('floor-line-waiting').textContent()).toBe('1 waiting');
    expect(await lineRow.getByTestId('floor-line-free').textContent()).toBe('0');
    const firstWait = await lineRow.getByTestId('floor-line-longest').textContent();
    await manager.waitForTimeout(2_100);
    expect(await lineRow.getByTestId('floor-line-longest').textContent()).not.toBe(firstWait);
    await screenshot(manager, 'inbound-floor-queue');

    // The agent goes Ready: the caller rings them, and the floor says so, with the line.
    await pageCall(agent, 'POST', '/api/shift/ready', { teamId: team.id, campaignId });
    const ringing = agentRow.locator(`[data-testid="floor-ringing"][data-line="${lineName}"]`);
    await ringing.waitFor(LIVE);
    expect(await ringing.textContent()).toContain(`Ringing (${lineName})`);
    await manager.locator(`[data-testid="floor-line"][data-line="${lineName}"][data-waiting="0"]`).waitFor(LIVE);
    await screenshot(manager, 'inbound-floor-ringing');

    // The agent answers: on an inbound call on the line.
    await pageCall(agent, 'POST', `/api/inbound/calls/${call.inboundCallId}/answer`);
    const onInbound = manager.locator(
      `[data-testid="floor-row"][data-agent="${agentName}"][data-state="on_call"] [data-testid="floor-state"][data-direction="inbound"]`,
    );
    await onInbound.waitFor(LIVE);
    expect(await onInbound.textContent()).toBe('On inbound call');
    expect(await agentRow.getByTestId('floor-call-line').textContent()).toBe(lineName);
    expect(await agentRow.getByTestId('floor-ringing').count()).toBe(0);
    await screenshot(manager, 'inbound-floor-on-call');
    expect(csp).toEqual([]);
  });
});
