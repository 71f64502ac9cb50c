/** The benches' HTTP side: a server instance on 127.0.0.1, a light keep-alive client, percentiles. */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { freePort } from '../src/db/embedded';

const root = path.resolve(import.meta.dirname, '../../..');

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
export const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

export async function startInstance(url: string, pool: number): Promise<{ proc: ChildProcess; base: string }> {
  const port = await freePort();
  const proc = spawn('node', ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: '127.0.0.1',
      DEMO: '0',
      LOG_LEVEL: 'error',
      DB_POOL_SIZE: String(pool),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}`);
    if (
      await fetch(`${base}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { proc, base };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('server did not start');
}

/**
 * The simulated agents' HTTP client: node:http on kept-alive connections. It shares the machine
 * with the server and the database, so it is the lightest client Node has (fetch cost twice the CPU
 * per cycle here); the bench prints what it still costs per cycle.
 */
const keepAlive = new Agent({ keepAlive: true, maxSockets: Infinity });

export function request(
  base: string,
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: unknown; headers: IncomingHttpHeaders }> {
  const payload = method === 'GET' ? undefined : JSON.stringify(body ?? {});
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${url}`,
      {
        method,
        agent: keepAlive,
        headers: {
          ...headers,
          ...(payload === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: text ? (JSON.parse(text) as unknown) : null,
              headers: res.headers,
            });
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
