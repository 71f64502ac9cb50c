import { Alert, Button, Card, Group, Select, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertCircle, IconHeadset, IconLogin2 } from '@tabler/icons-react';
import { useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { useCurrentUser } from '../../../lib/session';
import { useJobRoles } from '../hooks/use-reference-data';
import { useOpenShift } from '../hooks/use-shift';

function workLabel(role: { outbound: boolean; inbound: boolean }): string {
  if (role.outbound && role.inbound) return 'Outbound and inbound calls';
  if (role.outbound) return 'Outbound calls';
  if (role.inbound) return 'Inbound calls';
  return 'No calls';
}

/** No shift open: choose a job role and Sign In. */
export function SignInCard() {
  const user = useCurrentUser();
  const jobRoles = useJobRoles();
  const openShift = useOpenShift();
  const [chosen, setChosen] = useState<string | null>(null);
  const roles = jobRoles.data ?? [];
  const value = chosen ?? (roles[0] ? String(roles[0].id) : null);
  const selected = roles.find((role) => String(role.id) === value);

  return (
    <Card withBorder padding="xl" radius="md" maw={560} data-testid="sign-in-card">
      <Stack gap="lg">
        <Group gap="md" wrap="nowrap" align="flex-start">
          <ThemeIcon size={48} radius="xl" variant="light">
            <IconHeadset size={26} />
          </ThemeIcon>
          <div>
            <Text fw={600} size="lg">
              Hello, {user.name.split(' ')[0]}
            </Text>
            <Text c="dimmed" size="sm">
              Sign in under the job role you are working as today. You then choose a team and a campaign, and the dialer
              gives you one donor at a time.
            </Text>
          </div>
        </Group>
        {jobRoles.isError ? (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} title="Job roles could not be loaded">
            {isApiError(jobRoles.error) ? jobRoles.error.message : 'Reload the page and try again.'}
          </Alert>
        ) : (
          <form
            onSubmit={(event) => {
              event.preventDefault();
              if (selected) openShift.mutate(selected.id);
            }}
          >
            <Group align="flex-end" gap="sm" wrap="nowrap">
              <Select
                label="Job role"
                data={roles.map((role) => ({ value: String(role.id), label: role.name }))}
                value={value}
                onChange={setChosen}
                allowDeselect={false}
                disabled={jobRoles.isPending}
                placeholder={jobRoles.isPending ? 'Loading…' : 'Choose a job role'}
                description={selected ? workLabel(selected) : ' '}
                nothingFoundMessage="No job roles: ask your administrator to add one"
                style={{ flex: 1 }}
                data-testid="job-role-select"
              />
              <Button
                type="submit"
                size="sm"
                leftSection={<IconLogin2 size={18} />}
                loading={openShift.isPending}
                disabled={!selected}
                data-testid="sign-in"
              >
                Sign In
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Card>
  );
}
