/**
 * Creates an administrator account, for a production database without demo data:
 *   DATABASE_URL=postgres://... npm run create-admin -- --email it@charity.org --name "IT Desk"
 * The password is asked for twice on a terminal, or read from standard input
 * (echo "$PW" | npm run create-admin -- --email ... --name ...).
 */
import { parseArgs } from 'node:util';
import readline from 'node:readline';
import { bootDatabase } from '../db/bootstrap';
import { databaseRoutines } from '../services';
import { loadConfig } from '../env';
import { createDialerService } from '../features/dialer/dialer.service';
import { createUsersService } from '../features/users/users.service';

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let muted = false;
  out._writeToOutput = (s: string) => {
    if (!muted) process.stdout.write(s);
  };
  const answer = await new Promise<string>((resolve) => {
    rl.question(prompt, resolve);
    muted = true;
  });
  rl.close();
  process.stdout.write('\n');
  return answer;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' } },
  });
  if (!values.email || !values.name) {
    throw new Error(
      'Give the new administrator\'s --email and --name, e.g. npm run create-admin -- --email it@charity.org --name "IT Desk"',
    );
  }
  const password = await readPassword('Password (at least 10 characters, not a commonly used one): ');
  if (process.stdin.isTTY) {
    const again = await readPassword('Same password again: ');
    if (again !== password) throw new Error('The two passwords differ. Run the command again.');
  }
  const config = loadConfig();
  const database = await bootDatabase(config, {
    routines: databaseRoutines,
    seed: null,
    log: (m) => process.stdout.write(`${m}\n`),
  });
  try {
    const user = await // No running server's cache to tell: instances hear of changed users from PostgreSQL.
    createUsersService({
      db: database.db,
      sessions: { forget: () => {} },
      shifts: createDialerService({ db: database.db, events: { send: () => {} } }),
    }).create({
      email: values.email,
      name: values.name,
      role: 'admin',
      password,
    });
    process.stdout.write(`Administrator ${user.email} created (id ${user.id}). Sign in at the app's address.\n`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`create-admin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
