import type { Call, ManagerAppointment, Offer } from '@engage/contracts';
import { Badge, Button, Card, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useDonor } from '../hooks/use-donor';
import { useNow } from '../../../lib/use-now';
import { formatDuration, secondsSince } from '../../../lib/time';
import { isWithheld } from '../../../lib/phone-format';
import { BookAppointmentButton } from './book-appointment-modal';
import { CallerPanel } from './caller-panel';
import { CampaignScript, DonorLocalTime, PhoneLink } from './donor-bits';
import { DonorProfileView } from './donor-profile';
import { EndCallPanel } from './end-call-panel';
import { RecordDonationForm } from './record-donation-form';
import { SoftphonePanel } from '../softphone/softphone-panel';

function CallTimer({ startedAt }: { startedAt: string }) {
  const now = useNow(1000);
  return (
    <Text size="sm" c="green.8" fw={600} ff="monospace" data-testid="call-timer">
      On call {formatDuration(secondsSince(startedAt, now))}
    </Text>
  );
}

/** On call: who the agent is talking to, the donor's profile, Record donation and End Call. */
export function CallWorkspace({ call, offer }: { call: Call; offer: Offer | null }) {
  const donor = useDonor(call.donorId);
  // A withheld caller's "number" ("anonymous") is nothing to dial: the header says it is withheld.
  const withheld = call.direction === 'inbound' && call.phoneDialled !== null && isWithheld(call.phoneDialled);
  const phone = (withheld ? null : call.phoneDialled) ?? donor.data?.phone ?? offer?.donor.phone ?? null;
  const timeZone = donor.data?.timeZone ?? offer?.donor.timeZone ?? null;
  const country = donor.data ? donor.data.country : (offer?.donor.country ?? null);
  // A call-back booked during this call (Book appointment): End Call then keeps it.
  const [booked, setBooked] = useState<{ callId: number; appointment: ManagerAppointment } | null>(null);
  const bookedHere = booked?.callId === call.id ? booked.appointment : null;
  // An inbound caller linked to the wrong donor (a shared number): the agent chooses again.
  const [relinking, setRelinking] = useState<{ callId: number; donorId: number | null } | null>(null);
  const showRelink = relinking?.callId === call.id && relinking.donorId === call.donorId;

  return (
    <Stack gap="md" data-testid="call-workspace" data-call-id={call.id}>
      <Card withBorder radius="md" padding="lg">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={6} style={{ minWidth: 0 }}>
            <Group gap="sm">
              {call.campaignName && (
                <Badge variant="light" color="gray">
                  {call.campaignName}
                </Badge>
              )}
              {call.direction === 'inbound' && (
                <Badge variant="light" color="violet">
                  Inbound
                </Badge>
              )}
              {call.direction === 'inbound' && call.donorId !== null && (
                <Button
                  variant="subtle"
                  size="compact-xs"
                  onClick={() => setRelinking(showRelink ? null : { callId: call.id, donorId: call.donorId })}
                  data-testid="caller-relink"
                >
                  {showRelink ? 'Keep this donor' : 'Not the caller?'}
                </Button>
              )}
            </Group>
            <Title order={2} fz={30} lh={1.15} data-testid="donor-name">
              {call.donorName ?? 'New caller'}
            </Title>
            <Group gap="lg">
              <Text c="dimmed" ff="monospace" data-testid="donor-reference">
                {call.donorReference}
              </Text>
              {phone ? (
                <PhoneLink phone={phone} size="md" />
              ) : withheld ? (
                <Text fw={600} data-testid="caller-withheld">
                  Number withheld
                </Text>
              ) : null}
              {timeZone && <DonorLocalTime timeZone={timeZone} />}
            </Group>
            {offer && (
              <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="donor-why">
                <IconInfoCircle size={18} color="var(--mantine-color-blue-7)" style={{ flexShrink: 0, marginTop: 2 }} />
                <Text size="sm" fw={500}>
                  {offer.why}
                </Text>
              </Group>
            )}
          </Stack>
          <CallTimer startedAt={call.startedAt} />
        </Group>
      </Card>

      <SoftphonePanel call={call} phone={phone} />

      {/* Actions on the left: popups appear at the bottom right and must never cover End Call. */}
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <EndCallPanel
              call={call}
              donorTimeZone={timeZone ?? 'UTC'}
              donorCountry={country}
              bookedAt={bookedHere?.scheduledAt ?? null}
            />
            {donor.data && <RecordDonationForm key={donor.data.id} donor={donor.data} callId={call.id} />}
            {offer && <CampaignScript script={offer.campaign.script} defaultOpen />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          {call.donorId === null || showRelink ? (
            // An inbound caller not linked to a donor yet (several matches, a new or withheld
            // caller), or linked to the wrong one.
            <CallerPanel call={call} />
          ) : (
            <DonorProfileView
              donorId={call.donorId}
              actions={
                call.campaignId !== null ? (
                  <BookAppointmentButton
                    target={{
                      donorId: call.donorId,
                      donorName: call.donorName ?? '',
                      donorTimeZone: timeZone ?? 'UTC',
                      donorCountry: country,
                      campaignId: call.campaignId,
                    }}
                    booked={bookedHere}
                    onBooked={(appointment) => setBooked({ callId: call.id, appointment })}
                  />
                ) : undefined
              }
            />
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
