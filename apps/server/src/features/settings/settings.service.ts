import type { BreakReason, EndReason, JobRole, SkipReason } from '@engage/contracts';
import type { Db } from '../../db/client';
import * as repo from './settings.repository';

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService(deps: { db: Db }) {
  const { db } = deps;
  return {
    jobRoles: (): Promise<JobRole[]> => repo.activeJobRoles(db),
    skipReasons: (): Promise<SkipReason[]> => repo.activeSkipReasons(db),
    endReasons: (): Promise<EndReason[]> => repo.activeEndReasons(db),
    breakReasons: (): Promise<BreakReason[]> => repo.activeBreakReasons(db),
  };
}
