import { breakReasonListSchema, endReasonListSchema, jobRoleListSchema, skipReasonListSchema } from '@engage/contracts';
import type { BreakReason, EndReason, JobRole, SkipReason } from '@engage/contracts';
import { api } from '../../../lib/api';

export function getJobRoles(signal?: AbortSignal): Promise<JobRole[]> {
  return api('GET', '/api/job-roles', undefined, jobRoleListSchema, { signal });
}

export function getSkipReasons(signal?: AbortSignal): Promise<SkipReason[]> {
  return api('GET', '/api/skip-reasons', undefined, skipReasonListSchema, { signal });
}

export function getEndReasons(signal?: AbortSignal): Promise<EndReason[]> {
  return api('GET', '/api/end-reasons', undefined, endReasonListSchema, { signal });
}

export function getBreakReasons(signal?: AbortSignal): Promise<BreakReason[]> {
  return api('GET', '/api/break-reasons', undefined, breakReasonListSchema, { signal });
}
