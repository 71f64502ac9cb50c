// `npm run bench:sip`: the SIP path alone (no browser, no Engage server) on 127.0.0.1. SIPp plays
// agents calling out through Kamailio (INVITE challenged with 407, ephemeral credentials) and
// rtpengine (media both ways) to a SIPp carrier that answers at once and hangs up after --hold
// seconds. Steps through target concurrent calls and prints call setup time (first INVITE to
// 200 OK) p50/p99 per step, and the concurrency where p99 passes 500 ms.
//
//   npm run bench:sip                                   short run (about a minute)
//   npm run bench:sip -- --steps 10,25,50,100,200 --hold 20 --seconds 60
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  ephemeralCredentials,
  freePort,
  installCommand,
  missingPackages,
  resolveSettings,
  rtpengineStats,
  runSipp,
  startStack,
} from '../../../telephony/stack.mjs';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '5,10,20,40' },
    hold: { type: 'string', default: '4' },
    seconds: { type: 'string', default: '10' },
    'limit-ms': { type: 'string', default: '500' },
    'keep-logs': { type: 'boolean', default: false },
  },
});
const steps = values.steps.split(',').map(Number);
const holdSeconds = Number(values.hold);
const stepSeconds = Number(values.seconds);
const limitMs = Number(values['limit-ms']);
if (steps.some((n) => !Number.isInteger(n) || n < 1) || !(holdSeconds > 0) || !(stepSeconds > 0)) {
  console.error('Usage: npm run bench:sip -- [--steps 5,10,20,40] [--hold 4] [--seconds 10] [--limit-ms 500]');
  process.exit(2);
}

const missing = missingPackages();
if (missing.length > 0) {
  console.error(`Kamailio, rtpengine or SIPp is missing (${missing.join(', ')}): ${installCommand()}`);
  process.exit(1);
}

const SECRET = 'engage-bench-secret';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Response times (ms) from SIPp's -trace_rtt file ("Date_ms;response_time_ms;rtd_no"). */
function readRtt(dir: string): number[] {
  const out: number[] = [];
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('_rtt.csv'))) {
    const [head, ...rows] = fs.readFileSync(path.join(dir, f), 'utf8').split('\n');
    const col = (head ?? '').split(';').indexOf('response_time_ms');
    if (col < 0) throw new Error(`${f}: no response_time_ms column; SIPp's rtt format changed?`);
    for (const line of rows) {
      const ms = Number(line.split(';')[col]);
      if (line.trim() && Number.isFinite(ms)) out.push(ms);
    }
  }
  return out.sort((a, b) => a - b);
}

/** Successful and failed calls from SIPp's -trace_stat file (last row). */
function readStat(file: string): { ok: number; failed: number } {
  if (!fs.existsSync(file)) return { ok: 0, failed: 0 };
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim());
  const head = rows[0]!.split(';');
  const last = rows[rows.length - 1]!.split(';');
  const col = (name: string) => Number(last[head.indexOf(name)]);
  return { ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)') };
}

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-bench-sip-'));
const settings = await resolveSettings({ random: true });
const stack = await startStack({ runDir, settings, secret: SECRET, children: 4 });
const creds = ephemeralCredentials(SECRET, 'agent-bench', 24 * 3600);

const carrier = runSipp({
  scenario: 'trunk-answer.xml',
  runDir,
  name: 'carrier',
  timeoutSeconds: 24 * 3600,
  traceMessages: false,
  args: [
    '-p',
    String(settings.carrierPort),
    '-mp',
    String(await freePort('udp')),
    '-d',
    String(holdSeconds * 1000),
    '-max_socket',
    '5000',
  ],
});

console.log(
  `SIP path on 127.0.0.1 (${os.cpus().length} cores): calls held ${holdSeconds} s, ${stepSeconds} s of new calls per step`,
);
console.log('concurrent | calls | ok | failed | unfinished | setup p50 | setup p99 | rtpengine relayed packets');
let passedAt: number | null = null;
let exitCode = 0;
try {
  for (const concurrent of steps) {
    const stepDir = path.join(runDir, `step-${concurrent}`);
    fs.mkdirSync(stepDir);
    const rate = concurrent / holdSeconds;
    const calls = Math.max(1, Math.round(rate * stepSeconds));
    const before = rtpengineStats(settings.cliPort).totalstatistics;
    const statFile = path.join(stepDir, 'stat.csv');
    const res = await runSipp({
      scenario: 'agent-call.xml',
      target: `127.0.0.1:${settings.sipPort}`,
      runDir: stepDir,
      name: 'agents',
      traceMessages: false,
      timeoutSeconds: stepSeconds + holdSeconds + 60,
      args: [
        '-p',
        String(await freePort('udp')),
        '-mp',
        String(await freePort('udp')),
        '-s',
        'agent-bench',
        '-au',
        creds.username,
        '-ap',
        creds.password,
        '-key',
        'dial',
        '+442079460000',
        '-r',
        String(rate),
        '-l',
        String(concurrent),
        '-m',
        String(calls),
        '-trace_rtt',
        '-rtt_freq',
        '1',
        '-trace_stat',
        '-stf',
        statFile,
        '-fd',
        '1',
      ],
    }).done;
    const rtt = readRtt(stepDir);
    const { ok, failed } = readStat(statFile);
    const after = rtpengineStats(settings.cliPort).totalstatistics;
    // Calls SIPp had not finished when its time-out ended the step.
    const unfinished = Math.max(0, calls - ok - failed);
    const p50 = percentile(rtt, 50);
    const p99 = percentile(rtt, 99);
    console.log(
      `${String(concurrent).padStart(10)} | ${String(calls).padStart(5)} | ${String(ok).padStart(2)} | ${String(failed).padStart(6)} | ` +
        `${String(unfinished).padStart(10)} | ` +
        `${p50.toFixed(0).padStart(6)} ms | ${p99.toFixed(0).padStart(6)} ms | ${after.relayedpackets! - before.relayedpackets!}`,
    );
    if (res.code !== 0 && failed + unfinished === 0) {
      console.log(`  SIPp exited ${res.code}: see --keep-logs`);
    }
    // Calls lost while setup is still fast are errors; at the step that overloads, they are the finding.
    if (failed + unfinished > 0 && p99 <= limitMs) exitCode = 1;
    if (passedAt === null && (!(p99 <= limitMs) || unfinished > 0)) {
      passedAt = concurrent;
      break;
    }
  }
} finally {
  await carrier.stop();
  await stack.stop();
  if (!values['keep-logs']) fs.rmSync(runDir, { recursive: true, force: true });
  else console.log(`logs: ${runDir}`);
}
console.log(
  passedAt === null
    ? `setup p99 stayed within ${limitMs} ms up to ${steps[steps.length - 1]} concurrent calls (try higher --steps)`
    : `setup p99 passed ${limitMs} ms (or calls did not finish) at ${passedAt} concurrent calls`,
);
process.exit(exitCode);
