import { donationFrequencyLabels, donationMethodLabels, formatMoney, type DonorProfile } from '@engage/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconAlertCircle, IconNote } from '@tabler/icons-react';
import { useState } from 'react';
import type { ReactNode } from 'react';
import { DonorTimelineItems } from '../../../components/donor-timeline';
import { isApiError } from '../../../lib/api-error';
import { useDonor } from '../hooks/use-donor';
import { formatDate } from '../../../lib/time';

function Section({
  title,
  count,
  children,
  testId,
}: {
  title: string;
  count?: number;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder radius="md" padding="md" data-testid={testId}>
      <Group gap="xs" mb="sm">
        <Title order={3} size="h5">
          {title}
        </Title>
        {count !== undefined && (
          <Badge variant="light" color="gray" size="sm" circle={count < 10}>
            {count}
          </Badge>
        )}
      </Group>
      {children}
    </Card>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return (
    <Text size="sm" c="dimmed">
      {children}
    </Text>
  );
}

/** Shows the first `initial` items, and a button for the rest. */
function useShowMore<T>(items: readonly T[], initial: number) {
  const [all, setAll] = useState(false);
  const shown = all ? items : items.slice(0, initial);
  const more =
    items.length > initial ? (
      <Button variant="subtle" size="compact-sm" mt="xs" onClick={() => setAll((v) => !v)}>
        {all ? 'Show fewer' : `Show all ${items.length}`}
      </Button>
    ) : null;
  return [shown, more] as const;
}

function Detail({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

function Details({ donor }: { donor: DonorProfile }) {
  return (
    <Section title="Details" testId="donor-details">
      <Stack gap="sm">
        {(donor.doNotCall || donor.deceased) && (
          <Group gap="xs">
            {donor.doNotCall && (
              <Badge color="red" variant="filled">
                Do not call
              </Badge>
            )}
            {donor.deceased && (
              <Badge color="dark" variant="filled">
                Deceased
              </Badge>
            )}
          </Group>
        )}
        <SimpleGrid cols={3} spacing="md" verticalSpacing="sm">
          <Detail label="Phone">
            {donor.phone ? <Anchor href={`tel:${donor.phone}`}>{donor.phone}</Anchor> : '—'}
          </Detail>
          <Detail label="Other phone">
            {donor.altPhone ? <Anchor href={`tel:${donor.altPhone}`}>{donor.altPhone}</Anchor> : '—'}
          </Detail>
          <Detail label="Email">
            {donor.email ? <Anchor href={`mailto:${donor.email}`}>{donor.email}</Anchor> : '—'}
          </Detail>
          <Detail label="Address">{donor.address || '—'}</Detail>
          <Detail label="Country">{donor.country ?? '—'}</Detail>
          <Detail label="Time zone · Language">
            {donor.timeZone}
            {donor.language ? ` · ${donor.language}` : ''}
          </Detail>
        </SimpleGrid>
        {donor.notes !== '' && (
          <Alert variant="light" color="blue" icon={<IconNote size={18} />} p="xs">
            <Text size="sm">{donor.notes}</Text>
          </Alert>
        )}
      </Stack>
    </Section>
  );
}

function Donations({ donor }: { donor: DonorProfile }) {
  const sorted = [...donor.donations].sort((a, b) => b.donatedAt.localeCompare(a.donatedAt));
  const [shown, more] = useShowMore(sorted, 6);
  return (
    <Section title="Donations" count={donor.donations.length}>
      {sorted.length === 0 ? (
        <Empty>No donations yet.</Empty>
      ) : (
        <>
          <Table fz="sm" verticalSpacing={6} striped highlightOnHover data-testid="donations-table">
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
              {shown.map((donation) => (
                <Table.Tr key={donation.id} data-testid="donation-row" data-donation-id={donation.id}>
                  <Table.Td>{formatDate(donation.donatedAt)}</Table.Td>
                  <Table.Td ta="right" ff="monospace">
                    {formatMoney(donation.amountMinor, donation.currency)}
                  </Table.Td>
                  <Table.Td>{donation.purpose}</Table.Td>
                  <Table.Td>{donationMethodLabels[donation.method]}</Table.Td>
                  <Table.Td>{donationFrequencyLabels[donation.frequency]}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {more}
        </>
      )}
    </Section>
  );
}

const SPONSORSHIP_COLORS = { active: 'teal', paused: 'yellow', lapsed: 'orange', cancelled: 'gray' } as const;

function Sponsorships({ donor }: { donor: DonorProfile }) {
  return (
    <Section title="Sponsorships" count={donor.sponsorships.length} testId="sponsorships">
      {donor.sponsorships.length === 0 ? (
        <Empty>No sponsorships.</Empty>
      ) : (
        <Stack gap="xs">
          {donor.sponsorships.map((s) => (
            <Group key={s.id} justify="space-between" wrap="nowrap" gap="sm">
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={500}>
                  {s.subject}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatMoney(s.amountMinor, s.currency)} {donationFrequencyLabels[s.frequency].toLowerCase()} · since{' '}
                  {formatDate(s.startedOn)}
                </Text>
              </div>
              <Badge variant="light" color={SPONSORSHIP_COLORS[s.status]}>
                {s.status}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
    </Section>
  );
}

function Payments({ donor }: { donor: DonorProfile }) {
  const failed = donor.payments.filter((p) => p.status === 'failed').length;
  const [shown, more] = useShowMore(donor.payments, 6);
  return (
    <Section
      title={failed > 0 ? `Payments · ${failed} failed` : 'Payments'}
      count={donor.payments.length}
      testId="payments"
    >
      {donor.payments.length === 0 ? (
        <Empty>No payments.</Empty>
      ) : (
        <>
          <Table fz="sm" verticalSpacing={6} data-testid="payments-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Due</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Method</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((payment) => {
                const isFailed = payment.status === 'failed';
                return (
                  <Table.Tr
                    key={payment.id}
                    bg={isFailed ? 'var(--mantine-color-red-0)' : undefined}
                    data-testid="payment-row"
                    data-status={payment.status}
                  >
                    <Table.Td>{formatDate(payment.dueOn)}</Table.Td>
                    <Table.Td ta="right" ff="monospace">
                      {formatMoney(payment.amountMinor, payment.currency)}
                    </Table.Td>
                    <Table.Td>{donationMethodLabels[payment.method]}</Table.Td>
                    <Table.Td>
                      {isFailed ? (
                        <Stack gap={2}>
                          <Text size="sm" c="red.8" fw={600}>
                            Failed{payment.failureReason ? `: ${payment.failureReason}` : ''}
                          </Text>
                          <Text size="xs" c={payment.resolution ? 'teal.8' : 'dimmed'}>
                            {payment.resolution ?? 'Not resolved yet'}
                          </Text>
                        </Stack>
                      ) : (
                        <Text size="sm" c="dimmed">
                          Paid
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
          {more}
        </>
      )}
    </Section>
  );
}

function DonorTimeline({ donor }: { donor: DonorProfile }) {
  const sorted = [...donor.timeline].sort((a, b) => b.at.localeCompare(a.at));
  const [shown, more] = useShowMore(sorted, 6);
  return (
    <Section title="Timeline" count={donor.timeline.length} testId="donor-timeline">
      {sorted.length === 0 ? (
        <Empty>Nothing yet.</Empty>
      ) : (
        <>
          <DonorTimelineItems items={shown} />
          {more}
        </>
      )}
    </Section>
  );
}

/** The donor's profile during a call: details, donations, sponsorships, payments, timeline. */
export function DonorProfileView({ donorId, actions }: { donorId: number; actions?: ReactNode }) {
  const donor = useDonor(donorId);
  if (donor.isPending) {
    return (
      <Card withBorder radius="md" padding="xl" data-testid="donor-profile" data-loading>
        <Group justify="center" gap="sm">
          <Loader size="sm" />
          <Text c="dimmed">Loading the donor’s profile…</Text>
        </Group>
      </Card>
    );
  }
  if (donor.isError) {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconAlertCircle size={18} />}
        title="The profile could not be loaded"
        data-testid="donor-profile"
      >
        <Stack gap="xs" align="flex-start">
          {isApiError(donor.error) ? donor.error.message : 'Reload the page and try again.'}
          <Button size="xs" variant="light" color="red" onClick={() => void donor.refetch()}>
            Try again
          </Button>
        </Stack>
      </Alert>
    );
  }
  const profile = donor.data;
  return (
    <Stack gap="md" data-testid="donor-profile" data-donor-id={profile.id}>
      {actions && (
        <Card withBorder radius="md" padding="sm" data-testid="donor-profile-actions">
          {actions}
        </Card>
      )}
      <Details donor={profile} />
      <Donations donor={profile} />
      <Payments donor={profile} />
      <Sponsorships donor={profile} />
      <DonorTimeline donor={profile} />
    </Stack>
  );
}
