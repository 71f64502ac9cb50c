// The reference SIP deployment (telephony/), tested against the real thing: rtpengine and Kamailio
// started on free ports, SIPp playing the agents' phones and the carrier. Skipped, loudly in
// `npm test`, when the Debian packages are not installed (scripts/test.mjs prints what to install).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ephemeralCredentials,
  freePort,
  missingPackages,
  resolveSettings,
  rtpengineStats,
  sipPing,
  runSipp,
  startStack,
  type SippResult,
  type TelephonyStack,
} from '../../../../telephony/stack.mjs';
import { WsSipClient, digest, header } from './ws-sip-client';

const missing = missingPackages();
const SECRET = 'engage-test-secret';
const RING_TIMEOUT_SECONDS = 3;

let stack: TelephonyStack;
let runDir: string;
let seq = 0;

/** Counts a SIP status line ("SIP/2.0 486") or request line ("BYE sip:") in a message log. */
function count(messages: string, line: RegExp): number {
  return messages.split('\n').filter((l) => line.test(l)).length;
}

/** The SIP messages of a log whose start line matches, each as one string. */
function messagesStarting(log: string, start: RegExp): string[] {
  const out: string[] = [];
  const lines = log.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!start.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && /^\s*$/.test(l));
    out.push(lines.slice(i, end === -1 ? undefined : end).join('\n'));
  }
  return out;
}

async function sipp(
  scenario: string,
  opts: {
    target?: string;
    user?: string;
    creds?: { username: string; password: string };
    args?: string[];
    port?: number;
  },
) {
  const port = opts.port ?? (await freePort('udp'));
  const mediaPort = await freePort('udp');
  const args = ['-m', '1', '-p', String(port), '-mp', String(mediaPort), ...(opts.args ?? [])];
  if (opts.user) args.push('-s', opts.user);
  if (opts.creds) args.push('-au', opts.creds.username, '-ap', opts.creds.password);
  const run = runSipp({
    scenario,
    target: opts.target,
    args,
    runDir,
    name: `${++seq}-${scenario.replace('.xml', '')}`,
  });
  return { ...run, port };
}

const agentsSocket = () => `127.0.0.1:${stack.settings.sipPort}`;
const trunkSocket = () => `127.0.0.1:${stack.settings.trunkSocketPort}`;

async function register(user: string, creds: { username: string; password: string }, port?: number) {
  return (await sipp('register.xml', { target: agentsSocket(), user, creds, port })).done;
}

/** The carrier answers (or not) on its port; the agent's UA calls a number through Kamailio. */
async function callOut(carrierScenario: string, holdMs = 3000) {
  const carrier = runSipp({
    scenario: carrierScenario,
    args: [
      '-m',
      '1',
      '-p',
      String(stack.settings.carrierPort),
      '-mp',
      String(await freePort('udp')),
      '-d',
      String(holdMs),
    ],
    runDir,
    name: `${++seq}-${carrierScenario.replace('.xml', '')}`,
  });
  await new Promise((r) => setTimeout(r, 300));
  const creds = ephemeralCredentials(SECRET, 'agent-1');
  const startedAt = Date.now();
  const agent = await sipp('agent-call.xml', {
    target: agentsSocket(),
    user: 'agent-1',
    creds,
    args: ['-key', 'dial', '+442079460000'],
  });
  const caller = await agent.done;
  const callee = await carrier.done;
  return { caller, callee, seconds: (Date.now() - startedAt) / 1000 };
}

function explain(r: SippResult) {
  return `exit ${r.code}\n${r.errors.slice(0, 2000)}\n${r.output.slice(-1000)}`;
}

function totals() {
  return rtpengineStats(stack.settings.cliPort).totalstatistics;
}

describe.skipIf(missing.length > 0)('reference SIP deployment (Kamailio + rtpengine, SIPp)', () => {
  beforeAll(async () => {
    runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-telephony-'));
    const settings = await resolveSettings({ random: true });
    settings.ringTimeoutSeconds = RING_TIMEOUT_SECONDS;
    stack = await startStack({ runDir, settings, secret: SECRET });
  });

  afterAll(async () => {
    await stack?.stop();
    if (runDir) fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('registers an agent whose ephemeral credentials are good, and refuses a wrong secret, an expired timestamp or another agent’s credentials', async () => {
    // A keepalive to the server itself needs no credentials; everything else does.
    expect(await sipPing(stack.settings.sipPort)).toBe('SIP/2.0 200 Keepalive');

    const good = await register('agent-1', ephemeralCredentials(SECRET, 'agent-1', 600));
    expect(good.code, explain(good)).toBe(0);
    expect(count(good.messages, /^SIP\/2\.0 200/)).toBe(1);

    const wrongSecret = await register('agent-1', ephemeralCredentials('not-the-secret', 'agent-1', 600));
    expect(wrongSecret.code).not.toBe(0);
    expect(count(wrongSecret.messages, /^SIP\/2\.0 401/)).toBeGreaterThanOrEqual(2);
    expect(count(wrongSecret.messages, /^SIP\/2\.0 200/)).toBe(0);

    const expired = await register('agent-1', ephemeralCredentials(SECRET, 'agent-1', -60));
    expect(expired.code).not.toBe(0);
    expect(count(expired.messages, /^SIP\/2\.0 401/)).toBeGreaterThanOrEqual(2);
    expect(count(expired.messages, /^SIP\/2\.0 200/)).toBe(0);

    const otherAgent = await register('agent-1', ephemeralCredentials(SECRET, 'agent-2', 600));
    expect(otherAgent.code).not.toBe(0);
    expect(count(otherAgent.messages, /^SIP\/2\.0 403 Credentials are for another agent/)).toBeGreaterThanOrEqual(1);
    expect(count(otherAgent.messages, /^SIP\/2\.0 200/)).toBe(0);
  });

  it('puts a registered agent’s call through to the trunk: answered, about 3 s, BYE through Kamailio, media relayed both ways and the session deleted', async () => {
    const before = totals();
    const { caller, callee, seconds } = await callOut('trunk-answer.xml', 3000);
    expect(caller.code, explain(caller)).toBe(0);
    expect(callee.code, explain(callee)).toBe(0);
    expect(count(caller.messages, /^SIP\/2\.0 200 OK/)).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeGreaterThan(2.9);
    expect(seconds).toBeLessThan(6);

    // The carrier's BYE reached the agent through Kamailio (its Via on top), not around it.
    const byes = messagesStarting(caller.messages, /^BYE sip:/);
    expect(byes).toHaveLength(1);
    expect(byes[0]).toMatch(new RegExp(`^Via: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${stack.settings.sipPort};`, 'm'));
    // The carrier saw a double Record-Route: the trunk socket and the agents' socket.
    const invites = messagesStarting(callee.messages, /^INVITE sip:/);
    expect(invites[0]).toContain(`127.0.0.1:${stack.settings.trunkSocketPort};r2=on;lr`);
    expect(invites[0]).toContain(`127.0.0.1:${stack.settings.sipPort};r2=on;lr`);

    const after = totals();
    expect(after.managedsessions! - before.managedsessions!).toBe(1);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);
    expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(100);
    expect(after.onewaystreams! - before.onewaystreams!).toBe(0);
    expect(after.zerowaystreams! - before.zerowaystreams!).toBe(0);
    const talk = after.totalcallsduration! - before.totalcallsduration!;
    expect(talk).toBeGreaterThan(2.5);
    expect(talk).toBeLessThan(4.5);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('brings back 486 Busy Here as busy, and a call nobody answers as 408 after the ring time-out (CANCEL to the carrier); both media sessions are deleted', async () => {
    const before = totals();
    const busy = await callOut('trunk-busy.xml');
    expect(busy.caller.code, explain(busy.caller)).toBe(0);
    expect(busy.callee.code, explain(busy.callee)).toBe(0);
    expect(count(busy.caller.messages, /^SIP\/2\.0 486/)).toBe(1);
    expect(count(busy.caller.messages, /^SIP\/2\.0 200/)).toBe(0);

    const noAnswer = await callOut('trunk-noanswer.xml');
    expect(noAnswer.caller.code, explain(noAnswer.caller)).toBe(0);
    expect(noAnswer.callee.code, explain(noAnswer.callee)).toBe(0);
    expect(count(noAnswer.caller.messages, /^SIP\/2\.0 180/)).toBeGreaterThanOrEqual(1);
    expect(count(noAnswer.caller.messages, /^SIP\/2\.0 408/)).toBe(1);
    expect(count(noAnswer.callee.messages, /^CANCEL sip:/)).toBe(1);
    expect(noAnswer.seconds).toBeGreaterThan(RING_TIMEOUT_SECONDS - 0.5);

    const after = totals();
    expect(after.managedsessions! - before.managedsessions!).toBe(2);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(2);
    expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
  });

  it('rings a registered agent for an inbound call from the trunk, and answers 480 for an agent who is not registered', async () => {
    const before = totals();
    // The agent's UA registers from a port, then answers calls on that same port.
    const agentPort = await freePort('udp');
    const registered = await register('agent-7', ephemeralCredentials(SECRET, 'agent-7'), agentPort);
    expect(registered.code, explain(registered)).toBe(0);
    const agent = await sipp('agent-answer.xml', { port: agentPort });
    await new Promise((r) => setTimeout(r, 300));
    const carrier = await sipp('trunk-call.xml', { target: trunkSocket(), user: 'agent-7', args: ['-d', '2000'] });
    const carrierResult = await carrier.done;
    const agentResult = await agent.done;
    expect(carrierResult.code, explain(carrierResult)).toBe(0);
    expect(agentResult.code, explain(agentResult)).toBe(0);
    const invites = messagesStarting(agentResult.messages, /^INVITE sip:/);
    expect(invites).toHaveLength(1);
    expect(invites[0]).toMatch(new RegExp(`^INVITE sip:agent-7@127\\.0\\.0\\.1:${agentPort}`));
    expect(count(agentResult.messages, /^BYE sip:/)).toBe(1);

    const after = totals();
    expect(after.relayedpackets! - before.relayedpackets!).toBeGreaterThan(50);
    expect(after.onewaystreams! - before.onewaystreams!).toBe(0);
    expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);

    const nobody = await (
      await sipp('trunk-call.xml', { target: trunkSocket(), user: 'agent-99', args: ['-d', '1000'] })
    ).done;
    expect(nobody.code).not.toBe(0);
    expect(count(nobody.messages, /^SIP\/2\.0 480 Agent not registered/)).toBeGreaterThanOrEqual(1);
    expect(count(nobody.messages, /^SIP\/2\.0 200/)).toBe(0);
  });
  it('registers a softphone over WebSocket and rings it with a WebRTC offer (DTLS-SRTP, ICE, rtcp-mux, no SDES) for a call from the trunk; its 486 goes back to the carrier', async () => {
    const before = totals();
    const ws = await WsSipClient.connect(stack.settings.wsPort);
    try {
      // Like a browser: an unresolvable Contact host; Kamailio must reach it over this connection.
      const contact = 'sip:agent-9@k3x8q2.invalid;transport=ws';
      const creds = ephemeralCredentials(SECRET, 'agent-9');
      const register = (cseq: number, auth?: string) =>
        [
          'REGISTER sip:127.0.0.1 SIP/2.0',
          `Via: SIP/2.0/WS k3x8q2.invalid;branch=z9hG4bK-ws-${cseq}`,
          'Max-Forwards: 70',
          'From: <sip:agent-9@127.0.0.1>;tag=wsreg1',
          'To: <sip:agent-9@127.0.0.1>',
          'Call-ID: ws-register-1',
          `CSeq: ${cseq} REGISTER`,
          `Contact: <${contact}>`,
          ...(auth ? [`Authorization: ${auth}`] : []),
          'Expires: 300',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      ws.send(register(1));
      const challenge = await ws.next(/^SIP\/2\.0 401/);
      ws.send(register(2, digest(header(challenge, 'WWW-Authenticate')!, 'REGISTER', 'sip:127.0.0.1', creds)));
      await ws.next(/^SIP\/2\.0 200/);

      const carrier = await sipp('trunk-call.xml', { target: trunkSocket(), user: 'agent-9', args: ['-d', '1000'] });
      const invite = await ws.next(/^INVITE /, 10_000);
      expect(invite.split('\r\n')[0]).toBe(`INVITE ${contact} SIP/2.0`);
      const sdp = invite.slice(invite.indexOf('\r\n\r\n') + 4);
      expect(sdp).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
      expect(sdp).toMatch(/^a=ice-ufrag:/m);
      expect(sdp).toMatch(/^a=candidate:/m);
      expect(sdp).toMatch(/^a=fingerprint:/m);
      expect(sdp).toMatch(/^a=rtcp-mux/m);
      expect(sdp).not.toMatch(/^a=crypto:/m);
      expect(sdp).toMatch(new RegExp(`^c=IN IP4 127\\.0\\.0\\.1`, 'm'));

      const vias = invite.split('\r\n').filter((l) => /^Via:/i.test(l));
      ws.send(
        [
          'SIP/2.0 486 Busy Here',
          ...vias,
          `From: ${header(invite, 'From')}`,
          `To: ${header(invite, 'To')};tag=ws486`,
          `Call-ID: ${header(invite, 'Call-ID')}`,
          `CSeq: ${header(invite, 'CSeq')}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      await ws.next(/^ACK /);
      const carrierResult = await carrier.done;
      expect(count(carrierResult.messages, /^SIP\/2\.0 486 Busy Here/)).toBeGreaterThanOrEqual(1);
      expect(count(carrierResult.messages, /^SIP\/2\.0 200/)).toBe(0);

      const after = totals();
      expect(after.managedsessions! - before.managedsessions!).toBe(1);
      expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);
      expect(rtpengineStats(stack.settings.cliPort).currentstatistics.sessionstotal).toBe(0);
    } finally {
      ws.close();
    }
  });
  it('turns a softphone’s WebRTC offer into plain RTP for the trunk and the answer back into WebRTC; ACK and the carrier’s BYE follow the route set over the WebSocket', async () => {
    const before = totals();
    const carrier = runSipp({
      scenario: 'trunk-answer.xml',
      args: ['-m', '1', '-p', String(stack.settings.carrierPort), '-mp', String(await freePort('udp')), '-d', '1500'],
      runDir,
      name: `${++seq}-trunk-answer-ws`,
    });
    await new Promise((r) => setTimeout(r, 300));
    const ws = await WsSipClient.connect(stack.settings.wsPort);
    try {
      const creds = ephemeralCredentials(SECRET, 'agent-5');
      const sdp = [
        'v=0',
        'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 8 101',
        'c=IN IP4 0.0.0.0',
        'a=rtcp:9 IN IP4 0.0.0.0',
        'a=candidate:1 1 udp 2122260223 127.0.0.1 50123 typ host',
        'a=ice-ufrag:Ab12',
        'a=ice-pwd:abcdefghijklmnopqrstuvwx',
        'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
        'a=setup:actpass',
        'a=mid:0',
        'a=sendrecv',
        'a=rtcp-mux',
        'a=rtpmap:8 PCMA/8000',
        'a=rtpmap:101 telephone-event/8000',
        '',
      ].join('\r\n');
      const invite = (cseq: number, auth?: string) =>
        [
          'INVITE sip:+442079460001@127.0.0.1 SIP/2.0',
          `Via: SIP/2.0/WS k3x8q2.invalid;branch=z9hG4bK-wsinv-${cseq}`,
          'Max-Forwards: 70',
          'From: <sip:agent-5@127.0.0.1>;tag=wsinv1',
          'To: <sip:+442079460001@127.0.0.1>',
          'Call-ID: ws-invite-1',
          `CSeq: ${cseq} INVITE`,
          'Contact: <sip:agent-5@k3x8q2.invalid;transport=ws;ob>',
          ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
          'Content-Type: application/sdp',
          `Content-Length: ${Buffer.byteLength(sdp)}`,
          '',
          sdp,
        ].join('\r\n');
      ws.send(invite(1));
      const challenge = await ws.next(/^SIP\/2\.0 407/);
      ws.send(
        [
          'ACK sip:+442079460001@127.0.0.1 SIP/2.0',
          'Via: SIP/2.0/WS k3x8q2.invalid;branch=z9hG4bK-wsinv-1',
          'Max-Forwards: 70',
          'From: <sip:agent-5@127.0.0.1>;tag=wsinv1',
          `To: ${header(challenge, 'To')}`,
          'Call-ID: ws-invite-1',
          'CSeq: 1 ACK',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      ws.send(
        invite(2, digest(header(challenge, 'Proxy-Authenticate')!, 'INVITE', 'sip:+442079460001@127.0.0.1', creds)),
      );
      const ok = await ws.next(/^SIP\/2\.0 200/, 10_000);
      const answer = ok.slice(ok.indexOf('\r\n\r\n') + 4);
      expect(answer).toMatch(/^m=audio \d+ UDP\/TLS\/RTP\/SAVPF /m);
      expect(answer).toMatch(/^a=fingerprint:/m);
      expect(answer).toMatch(/^a=ice-ufrag:/m);
      expect(answer).toMatch(/^a=rtcp-mux/m);

      // The ACK goes to the 200's Contact through the recorded route, reversed (we are the caller).
      const routes = ok
        .split('\r\n')
        .filter((l) => /^Record-Route:/i.test(l))
        .flatMap((l) => l.replace(/^Record-Route:\s*/i, '').split(/,\s*/))
        .reverse();
      expect(routes.length).toBeGreaterThanOrEqual(2);
      const target = /<([^>]+)>/.exec(header(ok, 'Contact')!)![1]!;
      ws.send(
        [
          `ACK ${target} SIP/2.0`,
          'Via: SIP/2.0/WS k3x8q2.invalid;branch=z9hG4bK-wsack-2',
          'Max-Forwards: 70',
          `Route: ${routes.join(', ')}`,
          'From: <sip:agent-5@127.0.0.1>;tag=wsinv1',
          `To: ${header(ok, 'To')}`,
          'Call-ID: ws-invite-1',
          'CSeq: 2 ACK',
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      // The carrier hangs up; the BYE reaches the softphone over its WebSocket.
      const bye = await ws.next(/^BYE /, 10_000);
      const vias = bye.split('\r\n').filter((l) => /^Via:/i.test(l));
      ws.send(
        [
          'SIP/2.0 200 OK',
          ...vias,
          `From: ${header(bye, 'From')}`,
          `To: ${header(bye, 'To')}`,
          `Call-ID: ${header(bye, 'Call-ID')}`,
          `CSeq: ${header(bye, 'CSeq')}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      const callee = await carrier.done;
      expect(callee.code, explain(callee)).toBe(0);
      const offered = messagesStarting(callee.messages, /^INVITE sip:/)[0]!;
      const carrierSdp = callee.messages.slice(callee.messages.indexOf(offered));
      // The offer the carrier got (the INVITE's body): plain RTP, no ICE, no DTLS.
      const offerBody = carrierSdp.split(/\n\s*\n/)[1] ?? '';
      expect(offerBody).toMatch(/^m=audio \d+ RTP\/AVP /m);
      expect(offerBody).not.toMatch(/a=ice-ufrag|a=fingerprint|a=candidate/);

      const after = totals();
      expect(after.managedsessions! - before.managedsessions!).toBe(1);
      expect(after.regularterminatedsessions! - before.regularterminatedsessions!).toBe(1);
    } finally {
      ws.close();
    }
  });
});

if (missing.length > 0) {
  describe('reference SIP deployment', () => {
    it.skip(`needs: sudo apt-get install -y ${missing.join(' ')}`, () => {});
  });
}
