import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded';
import { runMigrations } from '../src/db/migrate';
import { databaseRoutines } from '../src/services';
import { testEnv } from '../src/env';
import { hashPassword } from '../src/lib/password';

/** A fresh database for one benchmark run: embedded in a temp dir, or a new one on BENCH_DATABASE_URL. */
export interface BenchDatabase {
  url: string;
  /** CPU seconds the embedded PostgreSQL has used so far (all its processes); null for an external one. */
  cpuSeconds: () => number | null;
  close(): Promise<void>;
}

/**
 * CPU seconds (user + system) a process has used, with its exited children when `withChildren`
 * (PostgreSQL's backends are children of the postmaster), and its live children. Linux /proc; null
 * elsewhere.
 */
export function processCpuSeconds(pid: number, withChildren = false): number | null {
  const ticks = (p: number, children: boolean): number => {
    const f = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // Fields 14-17 of proc(5): utime, stime, cutime, cstime (here counted from field 3, state).
    return Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
  };
  try {
    let t = ticks(pid, withChildren);
    if (withChildren) {
      const live = fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
      for (const child of live) {
        try {
          t += ticks(Number(child), false);
        } catch {
          // exited meanwhile: counted in the parent's children time
        }
      }
    }
    return t / 100; // USER_HZ
  } catch {
    return null;
  }
}

export async function freshDatabase(log: (m: string) => void): Promise<BenchDatabase> {
  const name = `engage_bench_${Date.now()}`;
  let embedded: EmbeddedDatabase | null = null;
  let dir: string | null = null;
  let serverUrl = testEnv.benchDatabaseUrl;
  if (!serverUrl) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-bench-'));
    log(`starting an embedded PostgreSQL in ${dir}`);
    embedded = await startEmbeddedPostgres({
      dataDir: dir,
      database: 'postgres',
      log,
      settings: ['-c', 'shared_buffers=512MB', '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=30min'],
    });
    serverUrl = embedded.url;
  }
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await runMigrations(client, databaseRoutines);
  await client.end();
  const postmasterPid = dir
    ? Number(fs.readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0])
    : null;
  return {
    url,
    cpuSeconds: () => (postmasterPid ? processCpuSeconds(postmasterPid, true) : null),
    async close() {
      if (embedded) {
        await embedded.stop();
      } else {
        const a = new pg.Client({ connectionString: serverUrl });
        await a.connect();
        await a.query(`drop database if exists ${name} with (force)`);
        await a.end();
      }
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const ZONES = [
  'Europe/London',
  'Europe/Dublin',
  'America/New_York',
  'America/Chicago',
  'Australia/Sydney',
  'Asia/Kolkata',
];

/** Loads `count` donors with COPY, in one list, connected to one whole-day campaign. */
export async function loadDonors(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = (function* () {
      const batch: string[] = [];
      for (let i = 1; i <= count; i++) {
        const phone = `+4477${String(i).padStart(8, '0')}`;
        batch.push(`B-${i}\tFirst${i}\tLast${i}\t${phone}\t${ZONES[i % ZONES.length]}\n`);
        if (batch.length === 10_000) yield batch.splice(0).join('');
      }
      if (batch.length) yield batch.join('');
    })();
    await pipeline(
      Readable.from(rows),
      client.query(copyFrom('COPY donors (reference, first_name, last_name, phone, time_zone) FROM STDIN')),
    );
  } finally {
    await client.end();
  }
}

export interface BenchSetup {
  campaignId: number;
  teamId: number;
  jobRoleId: number;
  endReasons: { id: number; outcome: string }[];
  skipReasonId: number;
  agents: { id: number; email: string }[];
  password: string;
}

export async function setUpCampaign(url: string, agents: number): Promise<BenchSetup> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const password = 'bench-password-1';
    const hash = await hashPassword(password);
    const one = async <T>(text: string, values: unknown[] = []) => (await c.query(text, values)).rows[0] as T;
    const jobRoleId = (
      await one<{ id: number }>(
        `insert into job_roles (name, outbound, inbound) values ('Agent', true, true) returning id`,
      )
    ).id;
    const endReasons = (
      await c.query<{ id: number; outcome: string }>(
        `insert into end_reasons (name, outcome, retry_minutes, counts_as_contact) values
           ('Concluded', 'final', null, true), ('Donation made', 'final', null, true),
           ('No answer', 'retry', 1, false), ('Busy', 'retry', 1, false)
         returning id, outcome`,
      )
    ).rows;
    const skipReasonId = (
      await one<{ id: number }>(`insert into skip_reasons (name, outcome) values ('Not now', 'requeue') returning id`)
    ).id;
    const teamId = (await one<{ id: number }>(`insert into teams (name) values ('Bench team') returning id`)).id;
    const agentRows = (
      await c.query<{ id: number; email: string }>(
        `insert into users (email, name, role, password_hash)
         select 'agent' || g || '@bench.test', 'Agent ' || g, 'agent', $1 from generate_series(1, $2) g
         returning id, email`,
        [hash, agents],
      )
    ).rows;
    await c.query(
      `insert into team_members (team_id, user_id) select $1, id from users where email like '%@bench.test'`,
      [teamId],
    );
    const campaignId = (
      await one<{ id: number }>(
        `insert into campaigns (name, purpose, status, calling_hours_start, calling_hours_end, max_attempts)
         values ('Bench campaign', 'thank_you', 'active', '00:00', '24:00', 20) returning id`,
      )
    ).id;
    await c.query('insert into campaign_teams (campaign_id, team_id) values ($1, $2)', [campaignId, teamId]);
    const listId = (await one<{ id: number }>(`insert into lists (name) values ('Bench list') returning id`)).id;
    await c.query('insert into list_members (list_id, donor_id) select $1, id from donors', [listId]);
    await c.query('insert into campaign_lists (campaign_id, list_id, priority) values ($1, $2, 100)', [
      campaignId,
      listId,
    ]);
    await c.query(
      `insert into campaign_donors (campaign_id, donor_id, priority, time_zone, blocked, next_attempt_at)
       select $1, id, 100, time_zone, false, now() - (id % 1000) * interval '1 second' from donors`,
      [campaignId],
    );
    // The bench measures the dialer at any hour of the day: a legal window as wide as the campaign's.
    await c.query(`update organisation_settings set legal_hours_start = '00:00', legal_hours_end = '24:00'`);
    await c.query('vacuum analyze');
    return { campaignId, teamId, jobRoleId, endReasons, skipReasonId, agents: agentRows, password };
  } finally {
    await c.end();
  }
}
