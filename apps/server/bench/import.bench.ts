/**
 * npm run bench:import -- --rows 1000000 [--json]
 *
 * Generates a CSV of realistic and bad rows, imports it through the product's own import path
 * (the imports service: upload to disk, then the streaming batch import), then the same file again
 * (which must change nothing), and a plain COPY of the same rows into a bare table for comparison.
 * It prints the CPU a row cost the database (when embedded) and the importing process, upload
 * included: both share this machine's cores.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { pino } from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import { loadConfig } from '../src/env';
import { createImportsService } from '../src/features/imports/imports.service';
import { freshDatabase } from './bench-db';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, json: { type: 'boolean', default: false } },
});
const ROWS = Number(args.rows);
const log = (m: string) => {
  if (!args.json) process.stderr.write(`[bench:import] ${m}\n`);
};
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/** The rows: 2% with a bad phone, 1% repeating an earlier reference, 0.5% repeating a phone, formula-looking names. */
async function writeCsv(file: string): Promise<{ bad: number; dupRefs: number; dupPhones: number }> {
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
    const first = i % 97 === 0 ? '=HYPERLINK("x")' : `Donor${i}`;
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
  const db = await freshDatabase(log);
  const pool = new pg.Pool({ connectionString: db.url, max: 10 });
  try {
    log(`writing ${ROWS.toLocaleString('en')} rows`);
    const shape = await writeCsv(file);
    const size = fs.statSync(file).size;
    const admin = (
      await pool.query<{ id: number }>(
        `insert into users (email, name, role, password_hash) values ('bench@bench.test', 'Bench', 'admin', 'x') returning id`,
      )
    ).rows[0]!;
    const list = (await pool.query<{ id: number }>(`insert into lists (name) values ('Bench import') returning id`))
      .rows[0]!;
    const config = loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const imports = createImportsService({
      pool,
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
    const runOnce = async () => {
      const t0 = performance.now();
      const up = await imports.upload({ id: admin.id }, list.id, {
        fileName: 'donors.csv',
        stream: fs.createReadStream(file),
        truncated: () => false,
      });
      const id = (up as { import: { id: number } }).import.id;
      await imports.start({ id: admin.id }, id, { mapping, defaultCountry: 'GB' });
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
    const cpu0 = { database: db.cpuSeconds(), importer: process.cpuUsage() };
    const first = await runOnce();
    const database = db.cpuSeconds();
    const importer = process.cpuUsage(cpu0.importer);
    const cpuPerRow = {
      database: database === null || cpu0.database === null ? null : round(((database - cpu0.database) * 1e6) / ROWS),
      importer: round((importer.user + importer.system) / ROWS),
    };
    log('importing the same file again');
    const second = await runOnce();
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
      second_run: {
        created: second.created,
        updated: second.updated,
        rejected: second.rejected,
        duplicates: second.duplicates,
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
          `${second.created} / ${second.updated} / ${second.rejected} / ${second.duplicates}`,
        ],
        ['peak RSS', `${result.peak_rss_mb} MB`],
        ['plain COPY into a bare table', `${result.copy_rows_per_s.toLocaleString('en')} rows/s`],
        ['ratio import / COPY', `${result.ratio}`],
        [
          'CPU per row of the first run: database / importer',
          `${cpuPerRow.database === null ? 'not measured' : `${cpuPerRow.database} µs`} / ${cpuPerRow.importer} µs`,
        ],
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
