import type { BreakReason, EndReason, JobRole, SkipReason } from '@engage/contracts';
import { apiCall } from '../../../lib/api';

export function getJobRoles(signal?: AbortSignal): Promise<JobRole[]> {
  return apiCall('listJobRoles', {}, { signal });
}

export function getSkipReasons(signal?: AbortSignal): Promise<SkipReason[]> {
  return apiCall('listSkipReasons', {}, { signal });
}

export function getEndReasons(signal?: AbortSignal): Promise<EndReason[]> {
  return apiCall('listEndReasons', {}, { signal });
}

export function getBreakReasons(signal?: AbortSignal): Promise<BreakReason[]> {
  return apiCall('listBreakReasons', {}, { signal });
}
