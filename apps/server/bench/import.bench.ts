/**
 * npm run bench:import -- --rows 1000000 [--role admin|manager] [--json]
 *
 * Generates a CSV of realistic and bad rows, imports it through the product's own import path
 * (the imports service: upload to disk, then the streaming batch import), then the same file again
 * (which must change nothing), then the file with every first name changed (every existing donor
 * updated and audited), and a plain COPY of the same rows into a bare table for comparison. The
 * importer is an administrator, or with `--role manager` a manager who made the list.
 * It prints the CPU a row cost the database (when embedded) and the importing process, upload
 * included: both share this machine's cores.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import { createDatabase } from '../src/db/client';
import { loadConfig } from '../src/env';
import { createImportsService } from '../src/features/imports/imports.service';
import { freshDatabase } from './bench-db';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    role: { type: 'string', default: 'admin' },
    json: { type: 'boolean', default: false },
  },
});
const ROWS = Number(args.rows);
const ROLE = args.role === 'manager' ? 'manager' : 'admin';
const log = (m: string) => {
  if (!args.json) process.stderr.write(`[bench:import] ${m}\n`);
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** The rows: 2% with a bad phone, 1% repeating an earlier reference, 0.5% repeating a phone, formula-looking names. */
async function writeCsv(file: string, nameSuffix = ''): Promise<{ bad: number; dupRefs: number; dupPhones: number }> {
  const out = fs.createWriteStream(file);
  out.write('\uFEFFReference,First name,Last name,Phone,Email,Country\r\n');
  let bad = 0;
  let dupRefs = 0;
  let dupPhones = 0;
  let chunk = '';
  for (let i = 1; i <= ROWS; i++) {
    let ref = `R-${i}`;
    let phone = `07${String(400000000 + i).padStart(9, '0')}`;
    if (i % 50 === 0) {
      phone = '12345';
      bad++;
    } else if (i % 100 === 1 && i > 100) {
      ref = `R-${i - 2}`; // an ordinary row two lines up
      dupRefs++;
    } else if (i % 200 === 3 && i > 200) {
      phone = `07${String(400000000 + i - 1).padStart(9, '0')}`; // the ordinary row just above
      dupPhones++;
    }
    const first = i % 97 === 0 ? '=HYPERLINK("x")' : `Donor${i}${nameSuffix}`;
    chunk += `${ref},${first},"O'Brien-${i % 1000}",${phone},donor${i}@example.org,GB\r\n`;
    if (i % 5000 === 0) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = '';
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return { bad, dupRefs, dupPhones };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-bench-import-'));
  const file = path.join(dir, 'donors.csv');
  const renamed = path.join(dir, 'donors-renamed.csv');
  const db = await freshDatabase(log);
  // The pool ignores the end of its idle connections when the database stops at the end.
  const { db: drizzleDb, pool } = createDatabase(db.url, { max: 10 });
  try {
    log(`writing ${ROWS.toLocaleString('en')} rows`);
    const shape = await writeCsv(file);
    await writeCsv(renamed, 'b');
    const size = fs.statSync(file).size;
    const importingUser = (
      await pool.query<{ id: number }>(
        `insert into users (email, name, role, password_hash) values ('bench@bench.test', 'Bench', $1, 'x') returning id`,
        [ROLE],
      )
    ).rows[0]!;
    const actor = { id: importingUser.id, role: ROLE } as const;
    const list = (
      await pool.query<{ id: number }>(
        `insert into lists (name, created_by) values ('Bench import', $1) returning id`,
        [importingUser.id],
      )
    ).rows[0]!;
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const imports = createImportsService({
      db: drizzleDb,
      now: () => new Date(),
      config,
      dialer: { syncListQueues: async () => {}, donorsChanged: async () => {} },
      log: pino({ level: 'silent' }),
    });
    const mapping = {
      reference: 'Reference',
      firstName: 'First name',
      lastName: 'Last name',
      phone: 'Phone',
      email: 'Email',
      country: 'Country',
    };

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    /** CPU microseconds per row that `fn` cost the database (when embedded) and this process. */
    const cpuOf = async <T>(fn: () => Promise<T>) => {
      const db0 = db.cpuSeconds();
      const me0 = process.cpuUsage();
      const result = await fn();
      const db1 = db.cpuSeconds();
      const me = process.cpuUsage(me0);
      return {
        result,
        cpu: {
          database: db0 === null || db1 === null ? null : round(((db1 - db0) * 1e6) / ROWS),
          importer: round((me.user + me.system) / ROWS),
        },
      };
    };
    const cpuText = (c: { database: number | null; importer: number }) =>
      `${c.database === null ? 'not measured' : `${c.database} µs`} / ${c.importer} µs`;
    const runOnce = async (csv = file) => {
      const t0 = performance.now();
      const up = await imports.upload(actor, list.id, {
        fileName: 'donors.csv',
        stream: fs.createReadStream(csv),
        truncated: () => false,
      });
      const id = (up as { import: { id: number } }).import.id;
      await imports.start(actor, id, { mapping, defaultCountry: 'GB' });
      for (;;) {
        const imp = await imports.get(id);
        if (imp.status === 'done' || imp.status === 'failed') {
          if (imp.status === 'failed') throw new Error(`import failed: ${imp.error}`);
          return { ...imp, seconds: (performance.now() - t0) / 1000 };
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    };
    log('importing through the product');
    const { result: first, cpu: cpuPerRow } = await cpuOf(() => runOnce());
    log('importing the same file again');
    const { result: second, cpu: secondCpu } = await cpuOf(() => runOnce());
    log('importing the file with every first name changed');
    const audits0 = (await pool.query<{ n: number }>(`select count(*)::int as n from audit_log`)).rows[0]!.n;
    const { result: third, cpu: thirdCpu } = await cpuOf(() => runOnce(renamed));
    const audits = (await pool.query<{ n: number }>(`select count(*)::int as n from audit_log`)).rows[0]!.n - audits0;
    clearInterval(sampler);

    log('plain COPY of the same rows into a bare table');
    await pool.query(
      'create table bench_copy (reference text, first_name text, last_name text, phone text, email text, country text)',
    );
    const client = await pool.connect();
    const c0 = performance.now();
    try {
      await pipeline(
        fs.createReadStream(file),
        client.query(copyFrom(`COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)`)),
      );
    } finally {
      client.release();
    }
    const copySeconds = (performance.now() - c0) / 1000;

    const result = {
      rows: ROWS,
      file_mb: round(size / 1048576),
      seconds: round(first.seconds),
      rows_per_s: Math.round(ROWS / first.seconds),
      created: first.created,
      updated: first.updated,
      rejected: first.rejected,
      duplicates: first.duplicates,
      peak_rss_mb: Math.round(peakRss / 1048576),
      copy_rows_per_s: Math.round(ROWS / copySeconds),
      ratio: round(ROWS / first.seconds / (ROWS / copySeconds), 2),
      cpu_us_per_row: cpuPerRow,
      role: ROLE,
      second_run: {
        seconds: round(second.seconds),
        cpu_us_per_row: secondCpu,
        created: second.created,
        updated: second.updated,
        rejected: second.rejected,
        duplicates: second.duplicates,
      },
      renamed_run: {
        seconds: round(third.seconds),
        cpu_us_per_row: thirdCpu,
        created: third.created,
        updated: third.updated,
        rejected: third.rejected,
        duplicates: third.duplicates,
        audit_records: audits,
      },
      expected: shape,
    };
    if (args.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      const rows: [string, string][] = [
        ['rows (file size)', `${ROWS.toLocaleString('en')} (${result.file_mb} MB)`],
        ['import through the product', `${result.seconds} s, ${result.rows_per_s.toLocaleString('en')} rows/s`],
        [
          'created / updated / rejected / duplicates',
          `${first.created} / ${first.updated} / ${first.rejected} / ${first.duplicates}`,
        ],
        [
          'second run of the same file',
          `${round(second.seconds)} s: ${second.created} / ${second.updated} / ${second.rejected} / ${second.duplicates}`,
        ],
        [
          'third run, every first name changed',
          `${round(third.seconds)} s: ${third.created} / ${third.updated} / ${third.rejected} / ${third.duplicates}, ${audits} audit records`,
        ],
        ['importer', ROLE],
        ['peak RSS', `${result.peak_rss_mb} MB`],
        ['plain COPY into a bare table', `${result.copy_rows_per_s.toLocaleString('en')} rows/s`],
        ['ratio import / COPY', `${result.ratio}`],
        ['CPU per row of the first run: database / importer', cpuText(cpuPerRow)],
        ['CPU per row of the second run', cpuText(secondCpu)],
        ['CPU per row of the third run', cpuText(thirdCpu)],
        [
          'generated bad phones / repeated refs / repeated phones',
          `${shape.bad} / ${shape.dupRefs} / ${shape.dupPhones}`,
        ],
      ];
      const w = Math.max(...rows.map(([k]) => k.length));
      process.stdout.write(`\n${rows.map(([k, v]) => `  ${k.padEnd(w)}  ${v}`).join('\n')}\n\n`);
    }
    if (second.created !== 0 || second.rejected !== first.rejected) process.exitCode = 1;
  } finally {
    await pool.end().catch(() => {});
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:import failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
