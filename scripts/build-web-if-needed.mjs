// Builds the web app when apps/web/dist is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'apps/web/dist/index.html');
const sources = [
  'apps/web/src',
  'apps/web/index.html',
  'apps/web/vite.config.ts',
  'packages/contracts/src',
  'apps/web/package.json',
];

function newest(p) {
  const full = path.join(root, p);
  if (!fs.existsSync(full)) return 0;
  const st = fs.statSync(full);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(full)) m = Math.max(m, newest(path.join(p, e)));
  return m;
}

const builtAt = fs.existsSync(built) ? fs.statSync(built).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newest));
if (builtAt >= sourcesAt && process.argv[2] !== '--force') {
  process.exit(0);
}
console.log(builtAt ? 'The web app changed since its last build: building it…' : 'Building the web app (first start)…');
const res = spawnSync('npm', ['run', 'build', '-w', '@engage/web', '--silent'], { cwd: root, stdio: 'inherit' });
if (res.status !== 0) {
  console.error('\nThe web app did not build. Fix the errors above, then run "npm start" again.');
  process.exit(res.status ?? 1);
}
