// `npm test`: unit and integration tests, the telephony tests (Kamailio, rtpengine and SIPp; skipped
// when they are not installed), then the browser tests when Chromium is installed, the softphone's
// among them (skipped too without Kamailio, rtpengine and SIPp).
// Ends with one summary line "total: N passed, N failed[, N skipped]".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCommand, missingPackages } from '../telephony/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const reportDir = path.join(root, '.tmp');
fs.mkdirSync(reportDir, { recursive: true });
const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const extra = process.argv.slice(2);

function vitest(projects, report) {
  const file = path.join(reportDir, report);
  fs.rmSync(file, { force: true });
  const args = ['vitest', 'run', ...projects.flatMap((p) => ['--project', p]), ...extra];
  const res = spawnSync('npx', args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, VITEST_REPORT_FILE: file },
  });
  let counts = { passed: 0, failed: 0, skipped: 0 };
  if (fs.existsSync(file)) {
    const r = JSON.parse(fs.readFileSync(file, 'utf8'));
    counts = { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) };
  }
  // A suite that failed to load counts as a failure even when no test inside it ran.
  if (res.status !== 0 && counts.failed === 0) counts.failed = 1;
  return counts;
}

const total = vitest(['unit', 'integration'], 'vitest-server.json');
// Run even when the packages are missing: the test file then skips its tests, and the count shows it.
const telephonyMissing = missingPackages();
const telephony = vitest(['telephony'], 'vitest-telephony.json');
for (const k of Object.keys(total)) total[k] += telephony[k];
let browserSkipped = false;
if (fs.existsSync(chromium)) {
  const build = spawnSync('node', ['scripts/build-web-if-needed.mjs'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    total.failed += 1;
  } else {
    const e2e = vitest(['e2e'], 'vitest-e2e.json');
    for (const k of Object.keys(total)) total[k] += e2e[k];
    // The softphone in Chromium against Kamailio and rtpengine: skips itself without the packages.
    const softphone = vitest(['softphone'], 'vitest-softphone.json');
    for (const k of Object.keys(total)) total[k] += softphone[k];
  }
} else {
  browserSkipped = true;
}

if (browserSkipped) {
  const bar = '!'.repeat(78);
  console.log(`\n${bar}\n!! BROWSER TESTS SKIPPED: Chromium is not installed at ${chromium}.`);
  console.log('!! Install it with:  sudo apt-get update && sudo apt-get install -y chromium');
  console.log(`!! (or set CHROMIUM_PATH to a Chromium binary), then run npm test again.\n${bar}\n`);
}
if (telephonyMissing.length > 0) {
  const bar = '!'.repeat(78);
  console.log(
    `\n${bar}\n!! TELEPHONY AND SOFTPHONE TESTS SKIPPED: missing Debian packages ${telephonyMissing.join(', ')}.`,
  );
  console.log(`!! Install them with:  ${installCommand()}`);
  console.log(
    `!! (Kamailio, rtpengine and SIPp; see "Telephony (opt-in)" in README.md), then run npm test again.\n${bar}\n`,
  );
}
console.log(`total: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 ? 1 : 0);
