// Starts the reference SIP deployment (rtpengine, then Kamailio) on 127.0.0.1 and runs SIPp
// against it. Used by `npm run telephony:dev`, the telephony tests and `npm run bench:sip`.
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

export const TELEPHONY_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SIPP_DIR = path.join(TELEPHONY_DIR, 'sipp');
export const KAMAILIO_CFG = path.join(TELEPHONY_DIR, 'kamailio.cfg');

/** The Debian packages, and what each one brings that the deployment needs. */
export const APT_PACKAGES = [
  'kamailio',
  'kamailio-websocket-modules',
  'kamailio-utils-modules',
  'kamailio-autheph-modules',
  'kamailio-tls-modules',
  'kamailio-extra-modules',
  'rtpengine-daemon',
  'rtpengine-utils',
  'sip-tester',
];
const NEEDS = [
  { what: 'kamailio', kind: 'bin', pkg: 'kamailio' },
  { what: 'rtpengine', kind: 'bin', pkg: 'rtpengine-daemon' },
  { what: 'rtpengine-ctl', kind: 'bin', pkg: 'rtpengine-utils' },
  { what: 'sipp', kind: 'bin', pkg: 'sip-tester' },
  { what: 'websocket.so', kind: 'module', pkg: 'kamailio-websocket-modules' },
  { what: 'xhttp.so', kind: 'module', pkg: 'kamailio' },
  { what: 'auth_ephemeral.so', kind: 'module', pkg: 'kamailio-autheph-modules' },
  { what: 'rtpengine.so', kind: 'module', pkg: 'kamailio' },
  // Inbound calls through Engage's phone-system API: HTTP, HMAC-SHA256 signatures, JSON, dialogs.
  { what: 'http_client.so', kind: 'module', pkg: 'kamailio-utils-modules' },
  { what: 'crypto.so', kind: 'module', pkg: 'kamailio-tls-modules' },
  { what: 'jansson.so', kind: 'module', pkg: 'kamailio-extra-modules' },
  { what: 'dialog.so', kind: 'module', pkg: 'kamailio' },
];

function which(bin) {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/bin', '/sbin'])) {
    const p = path.join(dir, bin);
    if (dir && fs.existsSync(p)) return p;
  }
  return null;
}

function kamailioModuleDirs() {
  const dirs = [];
  for (const lib of ['/usr/lib', '/usr/local/lib', '/usr/lib64']) {
    if (!fs.existsSync(lib)) continue;
    dirs.push(path.join(lib, 'kamailio', 'modules'));
    for (const d of fs.readdirSync(lib)) dirs.push(path.join(lib, d, 'kamailio', 'modules'));
  }
  return dirs.filter((d) => fs.existsSync(d));
}

/** What is missing, as Debian package names (empty when everything is installed). */
export function missingPackages() {
  const moduleDirs = kamailioModuleDirs();
  const missing = new Set();
  for (const n of NEEDS) {
    const found =
      n.kind === 'bin' ? which(n.what) !== null : moduleDirs.some((d) => fs.existsSync(path.join(d, n.what)));
    if (!found) missing.add(n.pkg);
  }
  return [...missing];
}

export function installCommand(packages = APT_PACKAGES) {
  return `sudo apt-get update && sudo apt-get install -y ${packages.join(' ')}`;
}

/** A port nobody listens on now (TCP or UDP on 127.0.0.1). */
export function freePort(kind = 'udp') {
  return new Promise((resolve, reject) => {
    if (kind === 'tcp') {
      const srv = net.createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address();
        srv.close(() => resolve(port));
      });
    } else {
      const sock = dgram.createSocket('udp4');
      sock.once('error', reject);
      sock.bind(0, '127.0.0.1', () => {
        const { port } = sock.address();
        sock.close(() => resolve(port));
      });
    }
  });
}

/** A free UDP port not handed out already in this run. */
async function freeUdpPort(taken) {
  for (;;) {
    const p = await freePort('udp');
    if (!taken.has(p)) {
      taken.add(p);
      return p;
    }
  }
}

/**
 * Ephemeral credentials as auth_ephemeral checks them (username_format 1, sha_algorithm 1):
 * username "<expiry unix seconds>:<user>", password base64(HMAC-SHA256(secret, username)).
 * The tests' and benches' SIPp agents sign with this; Engage's server issues the same
 * (apps/server/src/features/telephony/telephony.ts ephemeralSipCredentials; a test checks they agree).
 */
export function ephemeralCredentials(secret, user, ttlSeconds = 3600, nowSeconds = Math.floor(Date.now() / 1000)) {
  const username = `${nowSeconds + ttlSeconds}:${user}`;
  const password = crypto.createHmac('sha256', secret).update(username).digest('base64');
  return { username, password };
}

/** The secret: TELEPHONY_SECRET, else the file in runDir, generated on first use (mode 600). */
export function loadSecret(runDir) {
  if (process.env.TELEPHONY_SECRET) return { secret: process.env.TELEPHONY_SECRET, source: 'TELEPHONY_SECRET' };
  const file = path.join(runDir, 'secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(runDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(32).toString('hex') + '\n', { mode: 0o600 });
  }
  return { secret: fs.readFileSync(file, 'utf8').trim(), source: file };
}

function envPort(name, fallback) {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${name}=${v} is not a port number: set it to a number from 1 to 65535, or unset it.`);
  }
  return n;
}

/**
 * The settings from the environment (TELEPHONY_*), with the defaults of `npm run telephony:dev`.
 * `random: true` (tests, bench) takes free ports instead of the fixed defaults.
 */
export async function resolveSettings({ random = false } = {}) {
  const taken = new Set();
  const pick = async (name, fallback) => envPort(name, random ? await freeUdpPort(taken) : fallback);
  const sipPort = await pick('TELEPHONY_SIP_PORT', 5060);
  const wsPort = envPort('TELEPHONY_WS_PORT', random ? await freePort('tcp') : 8088);
  const trunkSocketPort = await pick('TELEPHONY_TRUNK_SOCKET_PORT', 5070);
  const ngPort = await pick('TELEPHONY_RTPENGINE_NG_PORT', 22222);
  const cliPort = await pick('TELEPHONY_RTPENGINE_CLI_PORT', 9900);
  const carrierPort = await pick('TELEPHONY_CARRIER_PORT', 5090);
  // rtpengine's media ports: a fixed range, 2 per call leg (RTP + RTCP).
  const rtpMin = envPort('TELEPHONY_RTP_PORT_MIN', random ? 20000 + 2 * Math.floor(Math.random() * 10000) : 30000);
  const rtpMax = envPort('TELEPHONY_RTP_PORT_MAX', rtpMin + 3999);
  if (rtpMax - rtpMin < 3) {
    throw new Error(
      `TELEPHONY_RTP_PORT_MAX (${rtpMax}) must be at least TELEPHONY_RTP_PORT_MIN (${rtpMin}) + 3: widen the range.`,
    );
  }
  const trunkUri = process.env.TELEPHONY_TRUNK_URI || `sip:127.0.0.1:${carrierPort}`;
  if (!/^sips?:[^\s"]+$/.test(trunkUri)) {
    throw new Error(`TELEPHONY_TRUNK_URI=${trunkUri} is not a SIP URI: write it like sip:carrier.example.net:5060.`);
  }
  const trunkSourceIp = process.env.TELEPHONY_TRUNK_SOURCE_IP || '127.0.0.1';
  const ringTimeoutSeconds = Number(process.env.TELEPHONY_RING_TIMEOUT_SECONDS || 60);
  return {
    sipPort,
    wsPort,
    trunkSocketPort,
    ngPort,
    cliPort,
    carrierPort,
    rtpMin,
    rtpMax,
    trunkUri,
    trunkSourceIp,
    ringTimeoutSeconds,
  };
}

function waitExit(child, ms) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(true);
    const t = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitExit(child, 5000))) {
    child.kill('SIGKILL');
    await waitExit(child, 2000);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** rtpengine's CLI (rtpengine-ctl), e.g. rtpengineCtl(port, ['list', 'jsonstats']). */
export function rtpengineCtl(cliPort, args) {
  const res = spawnSync('rtpengine-ctl', ['-ip', '127.0.0.1', '-port', String(cliPort), ...args], {
    encoding: 'utf8',
    timeout: 5000,
  });
  return { ok: res.status === 0 && !/error|failed/i.test(res.stderr ?? ''), out: res.stdout ?? '' };
}

/** rtpengine's totals as JSON ("list jsonstats"). */
export function rtpengineStats(cliPort) {
  const { ok, out } = rtpengineCtl(cliPort, ['list', 'jsonstats']);
  if (!ok) throw new Error(`rtpengine-ctl on port ${cliPort} did not answer: is rtpengine running?`);
  return JSON.parse(out);
}

/** Sends OPTIONS over UDP and resolves with the status line of the answer (or null on time-out). */
export function sipPing(port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const tag = crypto.randomBytes(6).toString('hex');
    sock.bind(0, '127.0.0.1', () => {
      const local = sock.address().port;
      const msg = [
        `OPTIONS sip:127.0.0.1:${port} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${tag};rport`,
        `From: <sip:ping@127.0.0.1>;tag=${tag}`,
        `To: <sip:127.0.0.1:${port}>`,
        `Call-ID: ${tag}@127.0.0.1`,
        'CSeq: 1 OPTIONS',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      const t = setTimeout(() => {
        sock.close();
        resolve(null);
      }, timeoutMs);
      sock.on('message', (buf) => {
        clearTimeout(t);
        sock.close();
        resolve(buf.toString().split('\r\n')[0]);
      });
      sock.send(msg, port, '127.0.0.1');
    });
  });
}

async function waitFor(check, what, ms, child, logFile) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}); its log: ${logFile}`);
    }
    if (await check()) return;
    await sleep(150);
  }
  throw new Error(`${what} did not answer within ${ms} ms; its log: ${logFile}`);
}

/**
 * Starts rtpengine (userspace, no kernel table), waits for its CLI, then Kamailio.
 * Logs go to runDir/{rtpengine,kamailio}.log; with `inheritLogs` (telephony:dev in a terminal)
 * Kamailio's go to this process's stdout/stderr.
 * `engage: { url, token }`: calls from the trunk ask Engage's phone-system API at `url` (signed
 * with the phone-system `token`) which agent to ring, and report what happened; without it they
 * ring the agent named in the Request-URI.
 */
export async function startStack({ runDir, settings, secret, inheritLogs = false, children = 2, engage }) {
  if (engage && (!/^https?:\/\/[^\s"]+$/.test(engage.url) || !/^[\x21-\x7e]+$/.test(engage.token ?? ''))) {
    throw new Error(
      'engage.url must be an http(s) URL (e.g. http://127.0.0.1:3000) and engage.token a phone-system token (createPhoneSystemToken).',
    );
  }
  fs.mkdirSync(runDir, { recursive: true });
  const s = settings;
  const rtpLog = path.join(runDir, 'rtpengine.log');
  const kamLog = path.join(runDir, 'kamailio.log');
  // Each child gets its own copy of the log's descriptor; ours is closed once it has started.
  const withLog = (file, start) => {
    const fd = fs.openSync(file, 'w');
    try {
      return start(fd);
    } finally {
      fs.closeSync(fd);
    }
  };

  const rtpengine = withLog(rtpLog, (fd) =>
    spawn(
      'rtpengine',
      [
        '--config-file=none',
        '--foreground',
        '--log-stderr',
        '--table=-1',
        '--interface=127.0.0.1',
        `--listen-ng=127.0.0.1:${s.ngPort}`,
        `--listen-cli=127.0.0.1:${s.cliPort}`,
        `--port-min=${s.rtpMin}`,
        `--port-max=${s.rtpMax}`,
        '--delete-delay=0',
        '--timeout=60',
        `--pidfile=${path.join(runDir, 'rtpengine.pid')}`,
      ],
      { stdio: ['ignore', fd, fd] },
    ),
  );
  let kamailio = null;
  const stop = async () => {
    await stopChild(kamailio);
    await stopChild(rtpengine);
  };
  try {
    await waitFor(() => rtpengineCtl(s.cliPort, ['list', 'numsessions']).ok, 'rtpengine', 10_000, rtpengine, rtpLog);
    kamailio = withLog(kamLog, (fd) =>
      spawn(
        'kamailio',
        [
          '-DD',
          '-E',
          '-f',
          KAMAILIO_CFG,
          '-Y',
          runDir,
          '-P',
          path.join(runDir, 'kamailio.pid'),
          '-m',
          '64',
          '-M',
          '8',
          '-A',
          `SIP_PORT=${s.sipPort}`,
          '-A',
          `WS_PORT=${s.wsPort}`,
          '-A',
          `TRUNK_SOCKET_PORT=${s.trunkSocketPort}`,
          '-A',
          `RTPENGINE_NG="udp:127.0.0.1:${s.ngPort}"`,
          '-A',
          `TRUNK_URI="${s.trunkUri}"`,
          '-A',
          `TRUNK_SOURCE_IP="${s.trunkSourceIp}"`,
          '-A',
          `RING_TIMEOUT_MS=${Math.round(s.ringTimeoutSeconds * 1000)}`,
          '-A',
          `CHILDREN=${children}`,
          ...(engage ? ['-A', 'WITH_ENGAGE'] : []),
        ],
        {
          stdio: inheritLogs ? ['ignore', 'inherit', 'inherit'] : ['ignore', fd, fd],
          env: {
            ...process.env,
            TELEPHONY_SECRET: secret,
            ...(engage ? { ENGAGE_URL: engage.url.replace(/\/+$/, ''), ENGAGE_TOKEN: engage.token } : {}),
          },
        },
      ),
    );
    await waitFor(
      async () => (await sipPing(s.sipPort, 300))?.startsWith('SIP/2.0 200') ?? false,
      'Kamailio',
      15_000,
      kamailio,
      kamLog,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    settings: s,
    secret,
    runDir,
    wsUrl: `ws://127.0.0.1:${s.wsPort}`,
    rtpengine,
    kamailio,
    stop,
  };
}

/**
 * Runs one SIPp scenario from telephony/sipp to completion. Returns its exit code and the SIP
 * messages it saw (-trace_msg), so a test can read what came back.
 */
export function runSipp({ scenario, target, args = [], runDir, name, timeoutSeconds = 30, traceMessages = true }) {
  const messageFile = path.join(runDir, `${name}.messages.log`);
  const errorFile = path.join(runDir, `${name}.errors.log`);
  const full = [
    '-sf',
    path.join(SIPP_DIR, scenario),
    ...(target ? [target] : []),
    '-i',
    '127.0.0.1',
    '-mi',
    '127.0.0.1',
    '-nostdin',
    ...(traceMessages ? ['-trace_msg', '-message_file', messageFile] : []),
    '-trace_err',
    '-error_file',
    errorFile,
    '-timeout',
    `${timeoutSeconds}s`,
    '-timeout_error',
    ...args,
  ];
  const child = spawn('sipp', full, { cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output = (output + d.toString()).slice(-20000)));
  child.stderr.on('data', (d) => (output = (output + d.toString()).slice(-20000)));
  const done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
      resolve({ code: code ?? (signal ? 128 : 1), messages: read(messageFile), errors: read(errorFile), output });
    });
  });
  return { child, done, stop: () => stopChild(child) };
}
