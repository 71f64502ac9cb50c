// The softphone against the real thing: Chromium with fake media places the call Start Call opens
// through Kamailio and rtpengine to SIPp playing the carrier (softphone-setup.ts starts them and
// an app with TELEPHONY=sip). Skipped when Kamailio, rtpengine or SIPp are not installed.
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort, rtpengineStats, runSipp, type SippResult } from '../../../telephony/stack.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, screenshot, signIn } from './browser';
import { appDatabase } from './global-setup';

const env = inject('softphone');
let browser: Browser;
let page: Page;
let seq = 0;

/** The carrier (SIPp) for the next call out: answers and hangs up after `holdMs`, is busy, or never answers. */
async function carrier(
  scenario: 'trunk-answer.xml' | 'trunk-answer-hold.xml' | 'trunk-busy.xml' | 'trunk-noanswer.xml',
  holdMs = 3000,
) {
  const run = runSipp({
    scenario,
    args: ['-m', '1', '-p', String(env.carrierPort), '-mp', String(await freePort('udp')), '-d', String(holdMs)],
    runDir: env.runDir,
    name: `${++seq}-${scenario.replace('.xml', '')}`,
    timeoutSeconds: 40,
  });
  await new Promise((r) => setTimeout(r, 300));
  return run;
}

function explain(r: SippResult) {
  return `SIPp exit ${r.code}\n${r.errors.slice(0, 1500)}\n${r.messages.slice(-2500)}`;
}

async function choose(testId: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

/** The call row as the server recorded it from the softphone's signalling. */
async function callRecord(callId: number) {
  const db = await appDatabase(env.dataDir);
  try {
    const r = await db.query<{
      dialled: boolean;
      answered: boolean;
      talk: number | null;
      hangup_side: string | null;
      hangup_cause: string | null;
      sip_status: number | null;
    }>(
      `SELECT dialled_at IS NOT NULL AS dialled, answered_at IS NOT NULL AS answered,
              extract(epoch FROM hung_up_at - answered_at)::float AS talk, hangup_side, hangup_cause, sip_status
         FROM calls WHERE id = $1`,
      [callId],
    );
    return r.rows[0]!;
  } finally {
    await db.end();
  }
}

async function startCall(): Promise<number> {
  await page.getByTestId('donor-card').waitFor();
  await page.getByTestId('start-call').click();
  const workspace = page.getByTestId('call-workspace');
  await workspace.waitFor();
  return Number(await workspace.getAttribute('data-call-id'));
}

async function endCall(reason: string) {
  await choose('end-reason-select', reason);
  await page.getByTestId('end-call').click();
  await page.getByTestId('call-workspace').waitFor({ state: 'detached' });
}

const line = () => page.getByTestId('softphone-line');
/** The demo's inbound line "Supporter care", answered by Donor Care (apps/server/src/demo/content.ts). */
const SUPPORTER_CARE = '+442079460999';

/** SIPp as the carrier calls Supporter care through the trunk socket; once answered, hangs up after `holdMs`. */
async function callerRingsSupporterCare(name: string, holdMs?: number) {
  const args = [
    '-m',
    '1',
    '-s',
    SUPPORTER_CARE,
    '-p',
    String(await freePort('udp')),
    '-mp',
    String(await freePort('udp')),
  ];
  if (holdMs !== undefined) args.push('-d', String(holdMs));
  return runSipp({
    scenario: 'trunk-call.xml',
    target: `127.0.0.1:${env.trunkSocketPort}`,
    args,
    runDir: env.runDir,
    name: `${++seq}-${name}`,
    timeoutSeconds: 40,
  });
}

describe.skipIf(env.skip !== null)(
  'the softphone places real calls (Kamailio + rtpengine, SIPp as the carrier)',
  () => {
    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: CHROMIUM_PATH,
        headless: true,
        args: [
          ...CHROMIUM_ARGS,
          '--use-fake-ui-for-media-stream',
          '--use-fake-device-for-media-stream',
          // Only loopback here: without this Chrome gathers no ICE candidate and never sends the INVITE.
          '--allow-loopback-in-peer-connection',
          '--disable-features=WebRtcHideLocalIpsWithMdns',
        ],
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: inject('baseUrl') });
      await context.grantPermissions(['microphone']);
      page = await context.newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, 'agent1@demo.org', '**/call-center');
      await choose('job-role-select', 'Agent');
      await page.getByTestId('sign-in').click();
      await page.getByTestId('dialer-modal').waitFor();
      await choose('team-select', 'Donor Care');
      await choose('campaign-select', 'Sponsorship follow-up');
      await page.getByTestId('ready-for-call').click();
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('registers with the credentials Engage issues for the shift', async () => {
      await expect
        .poll(() => page.getByTestId('softphone-status').getAttribute('data-state'), { timeout: 15_000 })
        .toBe('registered');
      expect(await page.getByTestId('softphone-status').textContent()).toBe('Phone ready');
    });

    it('Start Call rings the donor; the carrier answers, audio flows both ways, the donor hangs up after 3 s: shown at once and recorded', async () => {
      const before = rtpengineStats(env.cliPort).totalstatistics;
      const far = await carrier('trunk-answer.xml', 3000);
      const callId = await startCall();
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('Connected');
      await screenshot(page, 'softphone-01-connected');
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('The donor hung up');
      const result = await far.done;
      expect(result.code, explain(result)).toBe(0);
      const after = rtpengineStats(env.cliPort).totalstatistics;
      expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(100);
      expect(after.onewaystreams! - before.onewaystreams!).toBe(0);
      expect(after.zerowaystreams! - before.zerowaystreams!).toBe(0);
      await screenshot(page, 'softphone-02-donor-hung-up');

      await endCall('Concluded');
      const row = await callRecord(callId);
      expect(row).toMatchObject({ dialled: true, answered: true, hangup_side: 'donor', hangup_cause: 'normal' });
      expect(row.talk).toBeGreaterThan(2);
      expect(row.talk).toBeLessThan(6);
    });

    it('a busy donor (486) shows Busy, warns before "Concluded", and is recorded as busy', async () => {
      const far = await carrier('trunk-busy.xml');
      const callId = await startCall();
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('Busy');
      expect((await far.done).code).toBe(0);
      await choose('end-reason-select', 'Concluded');
      await page.getByTestId('end-call').click();
      await page.getByText(/The call never connected/).waitFor();
      await endCall('Busy');
      expect(await callRecord(callId)).toMatchObject({
        dialled: true,
        answered: false,
        talk: null,
        hangup_side: 'donor',
        hangup_cause: 'busy',
        sip_status: 486,
      });
    });

    it('a donor who never answers shows No answer after the ring time-out, recorded as no answer', async () => {
      const far = await carrier('trunk-noanswer.xml');
      const callId = await startCall();
      await expect.poll(() => line().textContent(), { timeout: 10_000 }).toBe('Ringing…');
      await expect
        .poll(() => line().textContent(), { timeout: (env.ringTimeoutSeconds + 10) * 1000 })
        .toBe('No answer');
      expect((await far.done).code).toBe(0);
      await endCall('No answer');
      expect(await callRecord(callId)).toMatchObject({ answered: false, hangup_cause: 'no_answer', sip_status: 408 });
    });

    it('mute, hold and resume (re-INVITEs through Kamailio and rtpengine), keypad tones', async () => {
      const far = await carrier('trunk-answer-hold.xml', 1500);
      const callId = await startCall();
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('Connected');
      const mute = page.getByTestId('softphone-mute');
      await mute.click();
      await expect.poll(() => mute.getAttribute('aria-pressed')).toBe('true');
      expect(await mute.textContent()).toBe('Unmute');
      await mute.click();
      await expect.poll(() => mute.getAttribute('aria-pressed')).toBe('false');

      await page.getByTestId('softphone-hold').click();
      await expect.poll(() => line().textContent()).toBe('On hold');
      await screenshot(page, 'softphone-03-on-hold');
      await page.getByTestId('softphone-hold').click();
      await expect.poll(() => line().textContent()).toBe('Connected');

      await page.getByTestId('softphone-keypad').click();
      await page.getByRole('button', { name: 'Tone 5' }).click();
      await page.keyboard.press('Escape');

      const result = await far.done;
      expect(result.code, explain(result)).toBe(0);
      // The carrier saw the call, the hold (sendonly) and the resume (sendrecv), each through Kamailio.
      const invites = result.messages.split(/^-{10,}.*$/m).filter((m) => /^INVITE sip:/m.test(m));
      expect(invites.length, result.messages.slice(-3000)).toBe(3);
      expect(invites[1]).toMatch(/a=sendonly/);
      expect(invites[2]).toMatch(/a=sendrecv/);
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('The donor hung up');
      await endCall('Concluded');
      expect(await callRecord(callId)).toMatchObject({ answered: true, hangup_side: 'donor', hangup_cause: 'normal' });
    });

    it('an inbound call from the carrier to Supporter care rings the ready agent’s softphone through Engage: Answer picks up, audio flows, the caller hangs up, End Call; the call’s history says answered by the agent', async () => {
      // The agent is previewing a donor (blended): Engage rings them for the demo line.
      await page.getByTestId('donor-card').waitFor();
      const before = rtpengineStats(env.cliPort).totalstatistics;
      const callerHangsUpAfterMs = 3000;
      const far = await callerRingsSupporterCare('trunk-call-inbound', callerHangsUpAfterMs);
      const pop = page.getByRole('alertdialog', { name: 'Incoming call' });
      await pop.waitFor();
      expect(await pop.getByTestId('incoming-line').textContent()).toBe('Supporter care');
      // The softphone rings for this very call (Kamailio's INVITE named it).
      await expect
        .poll(() => pop.getByTestId('incoming-call-body').getAttribute('data-softphone'), { timeout: 10_000 })
        .toBe('ringing');
      const inboundCallId = Number(await pop.getByTestId('incoming-call-body').getAttribute('data-inbound-call-id'));
      await screenshot(page, 'softphone-03-inbound-ringing');
      await pop.getByTestId('incoming-answer').click();
      const workspace = page.getByTestId('call-workspace');
      await workspace.waitFor();
      const callId = Number(await workspace.getAttribute('data-call-id'));
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('Connected');
      await screenshot(page, 'softphone-04-inbound-connected');
      await expect.poll(() => line().textContent(), { timeout: 15_000 }).toBe('The donor hung up');
      const result = await far.done;
      expect(result.code, explain(result)).toBe(0);
      const after = rtpengineStats(env.cliPort).totalstatistics;
      expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(100);
      expect(after.onewaystreams! - before.onewaystreams!).toBe(0);
      expect(after.zerowaystreams! - before.zerowaystreams!).toBe(0);

      await endCall('Enquiry answered');
      const db = await appDatabase(env.dataDir);
      try {
        const call = await db.query<{ status: string; answered_by: string; call_id: number; agent: string }>(
          `SELECT ic.status, u.email AS answered_by, ic.call_id FROM inbound_calls ic JOIN users u ON u.id = ic.answered_by
            WHERE ic.id = $1`,
          [inboundCallId],
        );
        expect(call.rows[0]).toMatchObject({ status: 'ended', answered_by: 'agent1@demo.org', call_id: callId });
        const events = await db.query<{ type: string; agent: string | null }>(
          `SELECT e.type::text AS type, u.email AS agent FROM inbound_call_events e LEFT JOIN users u ON u.id = e.agent_id
            WHERE e.inbound_call_id = $1 ORDER BY e.id`,
          [inboundCallId],
        );
        expect(events.rows.map((e) => `${e.type}:${e.agent ?? ''}`)).toEqual(
          expect.arrayContaining(['ringing:agent1@demo.org', 'answered:agent1@demo.org']),
        );
        expect(events.rows.at(-1)?.type).toBe('ended');
      } finally {
        await db.end();
      }
      // The softphone's own report of the call (sent once Engage opened it): answered, the caller hung up.
      await expect
        .poll(() => callRecord(callId), { timeout: 5_000 })
        .toMatchObject({ answered: true, hangup_side: 'donor', hangup_cause: 'normal' });
    });

    it('Decline on the pop-up refuses the softphone’s call (603): Engage hears declined from Kamailio; with nobody else free the caller hears 480 and the call is abandoned', async () => {
      await page.getByTestId('donor-card').waitFor();
      const far = await callerRingsSupporterCare('trunk-call-declined');
      const pop = page.getByRole('alertdialog', { name: 'Incoming call' });
      await pop.waitFor();
      await expect
        .poll(() => pop.getByTestId('incoming-call-body').getAttribute('data-softphone'), { timeout: 10_000 })
        .toBe('ringing');
      const inboundCallId = Number(await pop.getByTestId('incoming-call-body').getAttribute('data-inbound-call-id'));
      await pop.getByTestId('incoming-decline').click();
      await pop.waitFor({ state: 'detached' });
      const result = await far.done;
      expect(result.messages).toMatch(/^SIP\/2\.0 480 No agent available/m);
      const db = await appDatabase(env.dataDir);
      try {
        const events = await db.query<{ type: string; agent: string | null }>(
          `SELECT e.type::text AS type, u.email AS agent FROM inbound_call_events e LEFT JOIN users u ON u.id = e.agent_id
            WHERE e.inbound_call_id = $1 ORDER BY e.id`,
          [inboundCallId],
        );
        expect(events.rows.map((e) => `${e.type}:${e.agent ?? ''}`)).toContain('declined:agent1@demo.org');
        expect(events.rows.at(-1)?.type).toBe('abandoned');
        const call = await db.query<{ status: string; call_id: number | null }>(
          'SELECT status, call_id FROM inbound_calls WHERE id = $1',
          [inboundCallId],
        );
        expect(call.rows[0]).toEqual({ status: 'abandoned', call_id: null });
      } finally {
        await db.end();
      }
      // The agent carries on: free for the next call (not on this one).
      await screenshot(page, 'softphone-05-inbound-declined');
      const db2 = await appDatabase(env.dataDir);
      try {
        const shift = await db2.query<{ state: string }>(
          `SELECT s.state::text AS state FROM shifts s JOIN users u ON u.id = s.agent_id
            WHERE u.email = 'agent1@demo.org' AND s.closed_at IS NULL`,
        );
        expect(shift.rows).toHaveLength(1);
        expect(['ready', 'previewing']).toContain(shift.rows[0]!.state);
      } finally {
        await db2.end();
      }
    });
  },
);
