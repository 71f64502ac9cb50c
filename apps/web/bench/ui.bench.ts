/**
 * npm run bench:ui [-- --json] [--cycles 50]
 *
 * In Chromium, agent1 ends a call and the next donor appears, N times: the median and p95
 * milliseconds from the End Call click to the next donor's name on screen, and the JavaScript the
 * agent's screen loads (gzip kB). Runs the real app (built web, embedded PostgreSQL, demo data).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import net from 'node:net';

const { values: args } = parseArgs({
  options: { cycles: { type: 'string', default: '50' }, json: { type: 'boolean', default: false } },
});
const CYCLES = Number(args.cycles);
const root = path.resolve(import.meta.dirname, '../../..');
const log = (m: string) => {
  if (!args.json) process.stderr.write(`[bench:ui] ${m}\n`);
};
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main() {
  const build = spawn('node', ['scripts/build-web-if-needed.mjs'], { cwd: root, stdio: 'inherit' });
  await new Promise((r) => build.once('exit', r));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-bench-ui-'));
  const port = await freePort();
  const server = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO: '1', LOG_LEVEL: 'error' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true });
  try {
    for (let i = 0; i < 600; i++) {
      if (
        await fetch(`${base}/api/health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto('/login');
    await page.getByTestId('login-email').fill('agent1@demo.org');
    await page.getByTestId('login-password').fill('engage-demo');
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/call-center');

    // The JavaScript the agent's screen loads, measured on a fresh load of /call-center.
    const scripts = new Map<string, number>();
    page.on('response', (res) => {
      if (res.request().resourceType() !== 'script') return;
      void res.body().then(
        (b) => scripts.set(res.url(), gzipSync(b).length),
        () => {},
      );
    });
    await page.goto('/call-center', { waitUntil: 'networkidle' });
    await new Promise((r) => setTimeout(r, 300));
    const jsGzipKb = [...scripts.values()].reduce((s, n) => s + n, 0) / 1024;

    await page.getByTestId('job-role-select').click();
    await page.getByRole('option', { name: 'Agent' }).first().click();
    await page.getByTestId('sign-in').click();
    await page.getByTestId('dialer-modal').waitFor();
    await page.getByTestId('team-select').click();
    await page.getByRole('option', { name: 'Donor Care' }).first().click();
    await page.getByTestId('campaign-select').click();
    await page.getByRole('option', { name: 'Sponsorship follow-up' }).first().click();
    await page.getByTestId('ready-for-call').click();
    await page.getByTestId('donor-card').waitFor();

    const times: number[] = [];
    log(`${CYCLES} calls: Start Call, End Call, time to the next donor's name`);
    for (let i = 0; i < CYCLES; i++) {
      await page.getByTestId('start-call').click();
      await page.getByTestId('end-reason-select').click();
      await page.getByRole('option', { name: 'Concluded' }).first().click();
      const before = await page
        .getByTestId('donor-name')
        .textContent()
        .catch(() => null);
      // A string, not a function: the TypeScript loader would add helpers the page does not have.
      const ms = await page.evaluate<number>(`new Promise((resolve) => {
        const prev = ${JSON.stringify(before)};
        const button = document.querySelector('[data-testid="end-call"]');
        const t0 = performance.now();
        const check = () => {
          const el = document.querySelector('[data-testid="donor-name"]');
          if (el && el.textContent && el.textContent !== prev && document.querySelector('[data-testid="donor-card"]')) {
            resolve(performance.now() - t0);
            return;
          }
          requestAnimationFrame(check);
        };
        button.click();
        requestAnimationFrame(check);
      })`);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.min(times.length - 1, Math.floor(times.length * 0.95))]!;
    const result = {
      cycles: CYCLES,
      median_ms: Math.round(median),
      p95_ms: Math.round(p95),
      js_gzip_kb: Math.round(jsGzipKb),
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(
        `\n  End Call click to the next donor's name, ${CYCLES} times: median ${result.median_ms} ms, p95 ${result.p95_ms} ms\n` +
          `  JavaScript the agent's screen loads: ${result.js_gzip_kb} kB gzip\n\n`,
      );
    }
  } finally {
    await browser.close();
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ui failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
