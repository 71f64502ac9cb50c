import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UpdateOrganisationSettingsBody } from '@engage/contracts';
import { apiCall } from '../../../lib/api';
import { notifySuccess } from '../../../lib/notify';
import { auditKeys } from '../../audit/api/audit-api';

/** The audit trail's name for the one settings record. */
export const ORGANISATION_SETTINGS_ENTITY = { entityType: 'organisation_settings', entityId: 1 } as const;

export const organisationSettingsKey = ['organisation', 'settings'] as const;

/** The organisation's settings (currencies, donation grace): every signed-in user reads them. */
export function useOrganisationSettings() {
  return useQuery({
    queryKey: organisationSettingsKey,
    queryFn: ({ signal }) => apiCall('getOrganisationSettings', {}, { signal }),
    staleTime: 5 * 60_000,
  });
}

/** An administrator's change; the form shows refusals next to its fields. */
export function useUpdateOrganisationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateOrganisationSettingsBody) => apiCall('updateOrganisationSettings', { body }),
    meta: { handlesErrors: true },
    onSuccess: async (settings) => {
      queryClient.setQueryData(organisationSettingsKey, settings);
      notifySuccess('Organisation settings saved');
      const { entityType, entityId } = ORGANISATION_SETTINGS_ENTITY;
      await queryClient.invalidateQueries({ queryKey: auditKeys.trail(entityType, entityId) });
    },
  });
}
