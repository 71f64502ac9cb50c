import {
  donationFrequencyLabels,
  donationMethodLabels,
  formatMoney,
  updateDonorBodySchema,
  type DonorDetails,
  type UpdateDonorBody,
} from '@engage/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Loader,
  Modal,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Select,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconArrowLeft, IconHistory } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { DonorTimelineItems, type TimelineChange } from '../../../components/donor-timeline';
import { PageHeader } from '../../../components/page-header';
import { validateWithSchema } from '../../../lib/form-validation';
import { notifySuccess } from '../../../lib/notify';
import { agentTimeZone, formatDate } from '../../../lib/time';
import { useAuditTrail } from '../../audit/api/audit-api';
import { AuditChanges, AuditDrawer } from '../../audit/components/audit-trail';
import { actionLabel } from '../../../lib/audit-changes';
import { countryOptions, timeZoneOptions } from '../../../lib/countries';
import { showServerError } from '../../../lib/form-errors';
import { useDonorDetails, useUpdateDonor } from '../api/donors-api';

/** The editable text fields of a donor, as the form holds them ('' for nothing). */
const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'phone',
  'altPhone',
  'email',
  'addressLine1',
  'addressLine2',
  'city',
  'postcode',
  'language',
  'notes',
] as const;
type TextField = (typeof TEXT_FIELDS)[number];
type Values = Record<TextField, string> & { country: string | null; timeZone: string };
const FORM_FIELDS = [...TEXT_FIELDS, 'country', 'timeZone'];

function valuesOf(d: DonorDetails): Values {
  return {
    firstName: d.firstName,
    lastName: d.lastName,
    phone: d.phone ?? '',
    altPhone: d.altPhone ?? '',
    email: d.email ?? '',
    addressLine1: d.addressLine1 ?? '',
    addressLine2: d.addressLine2 ?? '',
    city: d.city ?? '',
    postcode: d.postcode ?? '',
    language: d.language ?? '',
    notes: d.notes,
    country: d.country,
    timeZone: d.timeZone,
  };
}

/** Only what changed, so an edit never overwrites a field someone else just saved. */
function changesOf(before: Values, after: Values): UpdateDonorBody {
  const body: UpdateDonorBody = {};
  for (const f of TEXT_FIELDS) {
    if (after[f].trim() !== before[f].trim()) (body as Record<string, string>)[f] = after[f].trim();
  }
  if (after.country !== before.country) body.country = after.country;
  if (after.timeZone !== before.timeZone) body.timeZone = after.timeZone;
  return body;
}

const phoneHint = (v: string) =>
  v.trim() === '' || /\d{5,}/.test(v.replace(/\D/g, '')) ? null : 'Enter a phone number, e.g. +44 20 7946 0000';

function DetailsForm({ donor }: { donor: DonorDetails }) {
  const update = useUpdateDonor(donor.id);
  const initial = useMemo(() => valuesOf(donor), [donor]);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initial,
    // The schema checks what is sent (lengths, no card numbers). The email, the phones (read in
    // the donor's country) and the time zone are parsed by the server (donor-fields.ts, shared with
    // the CSV import; its answer shows next to the field): these three are quick hints before that.
    validate: validateWithSchema(updateDonorBodySchema, {
      request: (values: Values) => changesOf(initial, values),
      extra: (values: Values) => ({
        email:
          values.email.trim() === '' || /^\S+@\S+\.\S+$/.test(values.email.trim())
            ? null
            : 'Enter an email like name@example.org',
        phone: phoneHint(values.phone),
        altPhone: phoneHint(values.altPhone),
        timeZone: values.timeZone ? null : 'Choose a time zone',
      }),
    }),
  });
  const zones = useMemo(() => timeZoneOptions(donor.timeZone), [donor.timeZone]);

  const submit = form.onSubmit((values) => {
    const body = changesOf(initial, values);
    if (Object.keys(body).length === 0) {
      notifySuccess('Nothing to save: no field changed');
      return;
    }
    update.mutate(body, {
      onSuccess: (saved) => {
        form.setValues(valuesOf(saved));
        form.resetDirty(valuesOf(saved));
        notifySuccess(`${saved.name || saved.reference} saved`);
      },
      onError: (error) => showServerError(form, FORM_FIELDS, error),
    });
  });

  return (
    <form onSubmit={submit} noValidate>
      <Card withBorder radius="md" padding="md" data-testid="donor-form">
        <Title order={2} size="h5" mb="sm">
          Details
        </Title>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput {...form.getInputProps('firstName')} label="First name" data-testid="donor-first-name" />
            <TextInput {...form.getInputProps('lastName')} label="Last name" data-testid="donor-last-name" />
            <TextInput
              {...form.getInputProps('phone')}
              label="Phone"
              description="Any format; without +country code it is read in the donor's country"
              data-testid="donor-phone"
            />
            <TextInput {...form.getInputProps('altPhone')} label="Other phone" data-testid="donor-alt-phone" />
            <TextInput {...form.getInputProps('email')} label="Email" type="email" data-testid="donor-email" />
            <TextInput
              {...form.getInputProps('language')}
              label="Language"
              placeholder="e.g. en, fr, es-MX"
              data-testid="donor-language"
            />
            <TextInput {...form.getInputProps('addressLine1')} label="Address line 1" />
            <TextInput {...form.getInputProps('addressLine2')} label="Address line 2" />
            <TextInput {...form.getInputProps('city')} label="City" />
            <TextInput {...form.getInputProps('postcode')} label="Postcode" />
            <Select
              {...form.getInputProps('country')}
              label="Country"
              data={countryOptions()}
              searchable
              clearable
              data-testid="donor-country"
            />
            <Select
              {...form.getInputProps('timeZone')}
              label="Time zone"
              description="Calling hours are read in this zone"
              data={zones}
              searchable
              allowDeselect={false}
              data-testid="donor-time-zone"
            />
          </SimpleGrid>
          <Textarea {...form.getInputProps('notes')} label="Notes" autosize minRows={2} maxRows={8} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => form.setValues(initial)} disabled={!form.isDirty()}>
              Undo changes
            </Button>
            <Button type="submit" loading={update.isPending} data-testid="donor-save">
              Save
            </Button>
          </Group>
        </Stack>
      </Card>
    </form>
  );
}

type Flag = 'doNotCall' | 'deceased' | 'suppressed';
const FLAG_TEXT: Record<Flag, { label: string; on: string; off: string; testId: string; description: string }> = {
  doNotCall: {
    label: 'Do not call',
    on: 'will not be offered to agents in any campaign from now on.',
    off: 'can be offered to agents again in the campaigns that hold them.',
    testId: 'donor-dnc-switch',
    description: 'Never offered by the dialer',
  },
  deceased: {
    label: 'Deceased',
    on: 'is marked deceased and will not be called again in any campaign.',
    off: 'is no longer marked deceased and can be called again.',
    testId: 'donor-deceased-switch',
    description: 'Never offered by the dialer',
  },
  suppressed: {
    label: 'Suppressed',
    on: 'is suppressed: no campaign will offer them.',
    off: 'is no longer suppressed.',
    testId: 'donor-suppressed-switch',
    description: 'Held back from every campaign',
  },
};

function FlagsCard({ donor }: { donor: DonorDetails }) {
  const update = useUpdateDonor(donor.id);
  const [asking, setAsking] = useState<{ flag: Flag; value: boolean } | null>(null);
  const who = donor.name || donor.reference;
  const confirm = () => {
    if (!asking) return;
    const { flag, value } = asking;
    update.mutate(
      { [flag]: value },
      {
        onSuccess: () => {
          notifySuccess(`${who} ${FLAG_TEXT[flag][value ? 'on' : 'off']}`);
          setAsking(null);
        },
        onError: (error) => showServerError({ setFieldError: () => undefined }, [], error),
      },
    );
  };
  return (
    <Card withBorder radius="md" padding="md" data-testid="donor-flags">
      <Title order={2} size="h5" mb="sm">
        Calling
      </Title>
      <Stack gap="sm">
        {(Object.keys(FLAG_TEXT) as Flag[]).map((flag) => (
          <Switch
            key={flag}
            label={FLAG_TEXT[flag].label}
            description={FLAG_TEXT[flag].description}
            checked={donor[flag]}
            onChange={(e) => setAsking({ flag, value: e.currentTarget.checked })}
            color="red"
            data-testid={FLAG_TEXT[flag].testId}
          />
        ))}
      </Stack>
      <Modal
        opened={asking !== null}
        onClose={() => (update.isPending ? undefined : setAsking(null))}
        title={
          <Text fw={650}>
            {asking
              ? `${asking.value ? 'Mark' : 'Unmark'} ${who} as ${FLAG_TEXT[asking.flag].label.toLowerCase()}?`
              : ''}
          </Text>
        }
        centered
      >
        {asking && (
          <Stack gap="lg" data-testid="donor-flag-modal">
            <Text size="sm">
              {who} {FLAG_TEXT[asking.flag][asking.value ? 'on' : 'off']}
            </Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setAsking(null)} disabled={update.isPending}>
                Cancel
              </Button>
              <Button
                color={asking.value ? 'red' : 'blue'}
                onClick={confirm}
                loading={update.isPending}
                data-testid="donor-flag-confirm"
              >
                {asking.value ? `Mark ${FLAG_TEXT[asking.flag].label.toLowerCase()}` : 'Unmark'}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Card>
  );
}

function Section({
  title,
  count,
  children,
  testId,
}: {
  title: string;
  count: number;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Group gap="xs" mb="sm">
        <Title order={2} size="h5">
          {title}
        </Title>
        <Badge variant="light" color="gray" size="sm">
          {count}
        </Badge>
      </Group>
      {count === 0 ? (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      ) : (
        children
      )}
    </Card>
  );
}

/** What happened with the donor, read-only: gifts, sponsorships, payments, calls, notes and changes. */
function History({ donor }: { donor: DonorDetails }) {
  return (
    <Stack gap="md" data-testid="donor-history">
      <Section title="Donations" count={donor.donations.length} testId="donor-donations">
        <Table fz="sm" verticalSpacing={6} striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Date</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Purpose</Table.Th>
              <Table.Th>Method</Table.Th>
              <Table.Th>Frequency</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {donor.donations.map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{formatDate(d.donatedAt)}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatMoney(d.amountMinor, d.currency)}
                </Table.Td>
                <Table.Td>{d.purpose}</Table.Td>
                <Table.Td>{donationMethodLabels[d.method]}</Table.Td>
                <Table.Td>{donationFrequencyLabels[d.frequency]}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <Section title="Sponsorships" count={donor.sponsorships.length} testId="donor-sponsorships">
        <Stack gap="xs">
          {donor.sponsorships.map((s) => (
            <Group key={s.id} justify="space-between">
              <Text size="sm">
                {s.subject} · {formatMoney(s.amountMinor, s.currency)}{' '}
                {donationFrequencyLabels[s.frequency].toLowerCase()} · since {formatDate(s.startedOn)}
              </Text>
              <Badge variant="light">{s.status}</Badge>
            </Group>
          ))}
        </Stack>
      </Section>
      <Section title="Payments" count={donor.payments.length} testId="donor-payments">
        <Table fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Due</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
              <Table.Th>Status</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {donor.payments.map((p) => (
              <Table.Tr key={p.id}>
                <Table.Td>{formatDate(p.dueOn)}</Table.Td>
                <Table.Td ta="right" ff="monospace">
                  {formatMoney(p.amountMinor, p.currency)}
                </Table.Td>
                <Table.Td>
                  {p.status === 'failed'
                    ? `Failed${p.failureReason ? `: ${p.failureReason}` : ''} · ${p.resolution ?? 'not resolved'}`
                    : 'Paid'}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Section>
      <DonorTimeline donor={donor} />
    </Stack>
  );
}

/**
 * Calls, call-backs and notes, with the changes made to the donor's details (the audit trail:
 * who, when, each field before → after), newest first.
 */
function DonorTimeline({ donor }: { donor: DonorDetails }) {
  const trail = useAuditTrail('donor', donor.id);
  const timeZone = agentTimeZone();
  const changes: TimelineChange[] = (trail.data?.entries ?? []).map((e) => ({
    kind: 'change',
    id: e.id,
    at: e.at,
    title: `${actionLabel('donor', e.action)} by ${e.actor?.name ?? 'the system'}`,
    body: <AuditChanges entry={e} timeZone={timeZone} />,
  }));
  const items = [...donor.timeline, ...changes].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
  return (
    <Section title="Timeline" count={items.length} testId="donor-timeline">
      {trail.isError && (
        <Text size="xs" c="dimmed" mb="xs">
          Changes to the donor&apos;s details could not be loaded. Reload the page to try again.
        </Text>
      )}
      <DonorTimelineItems items={items} />
    </Section>
  );
}

/** A donor as managers see it: editable details, calling flags, lists, and the history. */
export function DonorPage() {
  const donorId = Number(useParams().donorId);
  const donor = useDonorDetails(donorId);
  const [changesOpen, setChangesOpen] = useState(false);
  if (donor.isPending) return <Loader />;
  if (donor.isError) {
    return (
      <>
        <PageHeader title="Donor" />
        <Alert color="red" title="The donor could not be loaded">
          {donor.error.message}{' '}
          <Anchor component={Link} to="/manager/donors">
            Back to the search
          </Anchor>
        </Alert>
      </>
    );
  }
  const d = donor.data;
  return (
    <>
      <Anchor component={Link} to="/manager/donors" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Donors
        </Group>
      </Anchor>
      <PageHeader title={d.name || d.reference} description={`Reference ${d.reference}`} />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="md">
            <DetailsForm donor={d} />
            <History donor={d} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Button
              variant="default"
              leftSection={<IconHistory size={16} />}
              onClick={() => setChangesOpen(true)}
              data-testid="donor-changes"
            >
              Changes to this donor
            </Button>
            <FlagsCard donor={d} />
            <Card withBorder radius="md" padding="md" data-testid="donor-lists">
              <Title order={2} size="h5" mb="sm">
                Lists
              </Title>
              {d.lists.length === 0 ? (
                <Text size="sm" c="dimmed">
                  On no list.
                </Text>
              ) : (
                <Stack gap={4}>
                  {d.lists.map((l) => (
                    <Anchor key={l.id} component={Link} to={`/manager/lists/${l.id}`} size="sm">
                      {l.name}
                    </Anchor>
                  ))}
                </Stack>
              )}
            </Card>
          </Stack>
        </Grid.Col>
      </Grid>
      <AuditDrawer
        entityType="donor"
        entityId={changesOpen ? d.id : null}
        title={`Changes to ${d.name || d.reference}`}
        onClose={() => setChangesOpen(false)}
      />
    </>
  );
}
