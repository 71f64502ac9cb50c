import { createInboundLineBodySchema, inboundActions, updateInboundLineBodySchema } from '@engage/contracts';
import type { CreateInboundLineBody, InboundAction, InboundLine, UpdateInboundLineBody } from '@engage/contracts';
import { Alert, Button, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { MultiSelectField } from '../../../components/multi-select-field';
import {
  dayError,
  toDayRows,
  toWeekdayHours,
  WeekdayHoursGrid,
  type DayRow,
} from '../../../components/weekday-hours-grid';
import { isApiError } from '../../../lib/api-error';
import { countryOptions, timeZoneOptions } from '../../../lib/countries';
import { errorTitle } from '../../../lib/error-title';
import { showServerError } from '../../../lib/form-errors';
import { validateWithSchema } from '../../../lib/form-validation';
import { agentTimeZone } from '../../../lib/time';
import { useCampaigns } from '../../campaigns/api/campaigns-api';
import { useTeams } from '../../teams/api/teams-api';
import { useSaveInboundLine } from '../api/inbound-api';
import { inboundActionHelp, inboundActionLabels } from '../utils/labels';
import { defaultPhoneCountry, phoneCountry } from '../../../lib/phone-format';

interface Values {
  name: string;
  number: string;
  country: string;
  teamIds: string[];
  /** '' : the "General enquiries" campaign (made on first need). */
  campaignId: string;
  timeZone: string;
  days: DayRow[];
  closedDates: string[];
  ringSeconds: number | string;
  maxWaitSeconds: number | string;
  closedAction: InboundAction;
  overflowAction: InboundAction;
}

/** The form fields a server issue ("body.teamIds") may name. */
const FIELDS = [
  'name',
  'number',
  'country',
  'teamIds',
  'campaignId',
  'timeZone',
  'closedDates',
  'ringSeconds',
  'maxWaitSeconds',
  'closedAction',
  'overflowAction',
];

const OPEN_DAY = { start: '09:00', end: '17:00' };

/** The request the form makes, and that its schema checks before it is sent. */
function toRequest(v: Values): CreateInboundLineBody {
  return {
    name: v.name,
    number: v.number,
    country: v.country,
    teamIds: v.teamIds.map(Number),
    ...(v.campaignId === '' ? {} : { campaignId: Number(v.campaignId) }),
    timeZone: v.timeZone,
    weekdayHours: toWeekdayHours(v.days),
    closedDates: v.closedDates,
    ringSeconds: Number(v.ringSeconds),
    maxWaitSeconds: Number(v.maxWaitSeconds),
    closedAction: v.closedAction,
    overflowAction: v.overflowAction,
  };
}

/**
 * A change sends only what changed (a PATCH): an unchanged campaign is not checked again, and the
 * number goes with its country when either changed.
 */
function toChanges(before: Values, after: Values): UpdateInboundLineBody {
  const a = toRequest(before) as Record<string, unknown>;
  const b = toRequest(after) as Record<string, unknown>;
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(b)) if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes[key] = b[key];
  if ('country' in changes) changes.number = b.number;
  if ('number' in changes) changes.country = b.country;
  return changes;
}

/** A day's issue shows under its row (dayError); a team's under the teams. */
const fieldOf = (path: string) =>
  path.startsWith('weekdayHours') ? 'days' : path.startsWith('teamIds') ? 'teamIds' : path;

/** An empty number box is the form's own state (the request would carry 0): say what to enter. */
const emptyNumber = (v: number | string, what: string) => (v === '' ? `Enter ${what}` : null);

function valuesOf(line: InboundLine | null): Values {
  if (line === null) {
    return {
      name: '',
      number: '',
      country: defaultPhoneCountry(),
      teamIds: [],
      campaignId: '',
      timeZone: agentTimeZone(),
      days: toDayRows(
        Array.from({ length: 7 }, (_, i) => (i < 5 ? OPEN_DAY : null)),
        OPEN_DAY,
      ),
      closedDates: [],
      ringSeconds: 20,
      maxWaitSeconds: 300,
      closedAction: 'voicemail',
      overflowAction: 'voicemail',
    };
  }
  return {
    name: line.name,
    number: line.number,
    country: phoneCountry(line.number) ?? defaultPhoneCountry(),
    teamIds: line.teams.map((t) => String(t.id)),
    campaignId: String(line.campaign.id),
    timeZone: line.timeZone,
    days: toDayRows(line.weekdayHours, OPEN_DAY),
    closedDates: line.closedDates,
    ringSeconds: line.ringSeconds,
    maxWaitSeconds: line.maxWaitSeconds,
    closedAction: line.closedAction,
    overflowAction: line.overflowAction,
  };
}

/** Create an inbound line or change one, in a modal. */
export function InboundLineModal({
  line,
  opened,
  onClose,
}: {
  line: InboundLine | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>{line ? `Edit ${line.name}` : 'New inbound line'}</Text>}
      centered
      size={1040}
    >
      {/* Mounted per opening, so the form starts from the line shown. */}
      {opened && <InboundLineForm line={line} onDone={onClose} />}
    </Modal>
  );
}

function InboundLineForm({ line, onDone }: { line: InboundLine | null; onDone: () => void }) {
  const teams = useTeams();
  const campaigns = useCampaigns();
  const save = useSaveInboundLine();
  const [refusal, setRefusal] = useState<unknown>(null);
  const initial = valuesOf(line);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initial,
    validate: validateWithSchema(line === null ? createInboundLineBodySchema : updateInboundLineBodySchema, {
      request: toRequest,
      field: fieldOf,
      extra: (v: Values) => ({
        ringSeconds: emptyNumber(v.ringSeconds, 'the seconds, 5 to 120'),
        maxWaitSeconds: emptyNumber(v.maxWaitSeconds, 'the seconds, 10 to 3,600'),
      }),
    }),
  });

  const submit = form.onSubmit((values) => {
    setRefusal(null);
    const onError = (error: unknown) => showServerError(form, FIELDS, error, setRefusal);
    if (line === null) {
      save.mutate({ id: null, body: toRequest(values) }, { onSuccess: onDone, onError });
      return;
    }
    const changes = toChanges(initial, values);
    if (Object.keys(changes).length === 0) {
      onDone();
      return;
    }
    save.mutate({ id: line.id, body: changes }, { onSuccess: onDone, onError });
  });

  // The line's own teams and campaign stay choosable even when out of the lists (not loaded, not in scope).
  const teamOptions = new Map<string, string>();
  for (const t of line?.teams ?? []) teamOptions.set(String(t.id), t.name);
  for (const t of teams.data ?? []) teamOptions.set(String(t.id), t.name);
  const campaignOptions = new Map<string, string>();
  if (line) campaignOptions.set(String(line.campaign.id), line.campaign.name);
  for (const c of campaigns.data ?? []) campaignOptions.set(String(c.id), c.name);
  const actionOptions = inboundActions.map((a) => ({ value: a, label: inboundActionLabels[a] }));
  const values = form.getValues();

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" data-testid="inbound-line-form">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            {...form.getInputProps('name')}
            label="Name"
            placeholder="Donor care"
            withAsterisk
            data-autofocus
            data-testid="inbound-line-name"
          />
          <Group gap="xs" align="flex-start" wrap="nowrap" grow preventGrowOverflow={false}>
            <TextInput
              {...form.getInputProps('number')}
              label="Number callers dial"
              description="Any format: 020 7946 0321, +44 20 7946 0321"
              withAsterisk
              data-testid="inbound-line-number"
            />
            <Select
              {...form.getInputProps('country')}
              label="Country"
              description="For a number without +code"
              data={countryOptions()}
              searchable
              allowDeselect={false}
              nothingFoundMessage="No country by that name"
              data-testid="inbound-line-country"
            />
          </Group>
          <MultiSelectField
            {...form.getInputProps('teamIds')}
            label="Teams that answer"
            placeholder={teams.isPending ? 'Loading teams…' : 'Choose teams'}
            description="Their agents signed in under an inbound job role take the calls"
            data={[...teamOptions].map(([value, label]) => ({ value, label }))}
            searchable
            clearable
            nothingFoundMessage="No team by that name"
            data-testid="inbound-line-teams"
          />
          <Select
            {...form.getInputProps('campaignId')}
            label="Campaign its calls are recorded under"
            placeholder="General enquiries (made when first needed)"
            description={line === null ? 'Leave empty for General enquiries' : undefined}
            data={[...campaignOptions]
              .map(([value, label]) => ({ value, label }))
              .sort((a, b) => a.label.localeCompare(b.label))}
            searchable
            clearable={line === null}
            nothingFoundMessage="No campaign by that name"
            onChange={(v: string | null) => form.setFieldValue('campaignId', v ?? '')}
            value={values.campaignId === '' ? null : values.campaignId}
            data-testid="inbound-line-campaign"
          />
          <Select
            {...form.getInputProps('timeZone')}
            label="Time zone of the opening hours"
            data={timeZoneOptions(values.timeZone)}
            searchable
            allowDeselect={false}
            nothingFoundMessage="No time zone by that name"
            data-testid="inbound-line-time-zone"
          />
          <Group gap="xs" grow align="flex-start">
            <NumberInput
              {...form.getInputProps('ringSeconds')}
              label="Ring each agent (seconds)"
              description="Then the next agent is rung"
              min={5}
              max={120}
              allowDecimal={false}
              data-testid="inbound-line-ring-seconds"
            />
            <NumberInput
              {...form.getInputProps('maxWaitSeconds')}
              label="Longest wait (seconds)"
              description="In the queue, then the overflow action"
              min={10}
              max={3600}
              allowDecimal={false}
              data-testid="inbound-line-max-wait"
            />
          </Group>
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <WeekdayHoursGrid
            days={values.days}
            onChange={(days) => form.setFieldValue('days', days)}
            errors={values.days.map(dayError)}
            title="Opening hours, in the line's time zone"
            hint="Until 00:00 means until midnight. Outside these hours callers get the closed action."
            closedText="Closed"
            testId="inbound-line"
          />
          <Stack gap="md">
            <DatePickerInput
              type="multiple"
              {...form.getInputProps('closedDates')}
              label="Closed days"
              description="Public holidays: dates the line is closed all day"
              placeholder="No closed days"
              valueFormat="D MMM YYYY"
              clearable
              data-testid="inbound-line-closed-dates"
            />
            <Select
              {...form.getInputProps('closedAction')}
              label="When the line is closed"
              description={inboundActionHelp[values.closedAction]}
              data={actionOptions}
              allowDeselect={false}
              data-testid="inbound-line-closed-action"
            />
            <Select
              {...form.getInputProps('overflowAction')}
              label="When the longest wait runs out"
              description={inboundActionHelp[values.overflowAction]}
              data={actionOptions}
              allowDeselect={false}
              data-testid="inbound-line-overflow-action"
            />
          </Stack>
        </SimpleGrid>
        {/* Beside the buttons, where the person who pressed Save is looking. */}
        {refusal !== null && (
          <Alert
            color="red"
            title={isApiError(refusal) ? errorTitle(refusal.code) : 'The line was not saved'}
            withCloseButton
            onClose={() => setRefusal(null)}
            data-testid="inbound-line-error"
          >
            {refusal instanceof Error ? refusal.message : 'Something went wrong. Try again.'}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="inbound-line-save">
            {line ? 'Save' : 'Create line'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
