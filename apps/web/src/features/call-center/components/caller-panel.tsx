import type { Call, DonorSummary } from '@engage/contracts';
import { Alert, Button, Card, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { showServerError } from '../../../lib/form-errors';
import { callerNumberLabel, isWithheld } from '../../../lib/phone-format';
import { useCallerDonors, useCreateCallDonor, useLinkCallDonor } from '../hooks/use-inbound';

function DonorChoices({
  donors,
  more,
  onChoose,
  pending,
}: {
  donors: DonorSummary[];
  more: boolean;
  onChoose: (d: DonorSummary) => void;
  pending: boolean;
}) {
  return (
    <Stack gap="xs">
      <Table verticalSpacing="xs" data-testid="caller-donors">
        <Table.Tbody>
          {donors.map((d) => (
            <Table.Tr key={d.id} data-testid="caller-donor" data-donor-id={d.id}>
              <Table.Td>
                <Text fw={600}>{d.name}</Text>
                <Text size="xs" c="dimmed" ff="monospace">
                  {d.reference}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{d.phone ? callerNumberLabel(d.phone) : ''}</Text>
                <Text size="xs" c="dimmed">
                  {d.email ?? ''}
                </Text>
              </Table.Td>
              <Table.Td align="right">
                <Button size="xs" onClick={() => onChoose(d)} disabled={pending} aria-label={`This is ${d.name}`}>
                  This is the caller
                </Button>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {more && (
        <Text size="xs" c="dimmed">
          More donors match than are listed: search more precisely (a reference finds one donor).
        </Text>
      )}
    </Stack>
  );
}

interface NewDonorValues {
  firstName: string;
  lastName: string;
  phone: string;
  email: string;
}
const NEW_DONOR_FIELDS = ['firstName', 'lastName', 'phone', 'email'] as const;

function NewDonorForm({ call, onCancel }: { call: Call; onCancel: () => void }) {
  const create = useCreateCallDonor(call.id);
  const form = useForm<NewDonorValues>({
    // A withheld number ("anonymous") is no phone: the agent types the one the caller gives.
    initialValues: {
      firstName: '',
      lastName: '',
      phone: isWithheld(call.phoneDialled ?? '') ? '' : (call.phoneDialled ?? ''),
      email: '',
    },
    validate: {
      lastName: (v, values) => (v.trim() === '' && values.firstName.trim() === '' ? "Enter the caller's name" : null),
    },
  });
  return (
    <form
      onSubmit={form.onSubmit((v) =>
        create.mutate(
          {
            firstName: v.firstName,
            lastName: v.lastName,
            phone: v.phone.trim() === '' ? null : v.phone,
            email: v.email.trim() === '' ? null : v.email,
          },
          { onError: (error) => showServerError(form, NEW_DONOR_FIELDS, error) },
        ),
      )}
      aria-label="New donor from this call"
    >
      <Stack gap="sm">
        <Group grow>
          <TextInput label="First name" {...form.getInputProps('firstName')} data-autofocus />
          <TextInput label="Last name" {...form.getInputProps('lastName')} />
        </Group>
        <Group grow>
          <TextInput label="Phone" description="The caller's number" {...form.getInputProps('phone')} />
          <TextInput label="Email" type="email" {...form.getInputProps('email')} />
        </Group>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onCancel} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" leftSection={<IconUserPlus size={16} />} loading={create.isPending}>
            Create donor
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * An inbound call whose caller is not linked to one donor: the donors with the caller's number
 * to choose from, a search of every donor, or a new donor made from the call.
 */
export function CallerPanel({ call }: { call: Call }) {
  const [typed, setTyped] = useState('');
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const donors = useCallerDonors(call.id, q);
  const link = useLinkCallDonor(call.id);
  const found = donors.data?.donors ?? [];
  const withheld = isWithheld(call.phoneDialled ?? '');

  return (
    <Card withBorder radius="md" padding="lg" data-testid="caller-panel">
      <Stack gap="md">
        <div>
          <Title order={3}>Who is calling?</Title>
          <Text c="dimmed" size="sm" data-testid="caller-number">
            {callerNumberLabel(call.phoneDialled ?? '')}:{' '}
            {call.donorId === null
              ? 'choose the donor, find them, or create a new donor.'
              : `linked to ${call.donorName ?? 'a donor'}; choose or find the right donor.`}
          </Text>
        </div>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setQ(typed.trim());
          }}
          role="search"
        >
          <Group gap="sm" align="flex-end">
            <TextInput
              style={{ flex: 1 }}
              label="Find the donor"
              placeholder="Name, reference, phone or email"
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
            />
            <Button type="submit" variant="light" leftSection={<IconSearch size={16} />}>
              Search
            </Button>
          </Group>
        </form>
        {donors.isPending ? (
          <Loader size="sm" aria-label="Finding donors" />
        ) : donors.isError ? (
          <Alert color="red" variant="light">
            The donors could not be loaded. Search again.
          </Alert>
        ) : found.length > 0 ? (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {q === '' ? 'Donors with this number' : `Donors matching "${q}"`}
            </Text>
            <DonorChoices
              donors={found}
              more={donors.data?.more ?? false}
              pending={link.isPending}
              onChoose={(d) => link.mutate({ donorId: d.id, name: d.name })}
            />
          </Stack>
        ) : (
          <Text size="sm" data-testid="caller-no-match">
            {q !== ''
              ? `No donor matches "${q}".`
              : withheld
                ? "The caller's number is withheld: ask their name, then find the donor or create a new one."
                : 'New caller: no donor has this number.'}
          </Text>
        )}
        {call.donorId !== null ? null : creating ? (
          <NewDonorForm call={call} onCancel={() => setCreating(false)} />
        ) : (
          <Group>
            <Button variant="default" leftSection={<IconUserPlus size={16} />} onClick={() => setCreating(true)}>
              New donor from this call
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}
