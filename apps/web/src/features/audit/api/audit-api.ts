import { useQuery } from '@tanstack/react-query';
import { apiCall } from '../../../lib/api';

export const auditKeys = {
  trail: (entityType: string, entityId: number) => ['audit', entityType, entityId] as const,
};

/** The audit trail of one record (newest first); `entityId` null: nothing to load yet. */
export function useAuditTrail(entityType: string, entityId: number | null) {
  return useQuery({
    queryKey: auditKeys.trail(entityType, entityId ?? 0),
    queryFn: ({ signal }) => apiCall('getAuditTrail', { query: { entityType, entityId: entityId ?? 0 } }, { signal }),
    enabled: entityId !== null,
    staleTime: 0,
  });
}
