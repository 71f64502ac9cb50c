import type pg from 'pg';
import type { Db } from '../db/client';
import type { Config } from '../env';
import type { DialerService } from '../features/dialer/dialer.service';

/**
 * The infrastructure every feature's routes plugin receives from app.ts; each plugin builds its
 * own service from the pieces it uses. A feature reaches another feature through that feature's
 * service (here: the dialer's, which keeps the queue in step with lists, campaigns and donors).
 */
export interface FeatureDeps {
  db: Db;
  pool: pg.Pool;
  config: Config;
  now: () => Date;
  dialer: DialerService;
  /** This instance's cache of checked sessions (features/auth): drop a user's entries at once. */
  sessions: { forget(userIds: number[]): void };
}
