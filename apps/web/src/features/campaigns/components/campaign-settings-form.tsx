import { campaignPurposeLabels, campaignPurposes, updateCampaignBodySchema } from '@engage/contracts';
import type { Campaign, CampaignPurpose, UpdateCampaignBody } from '@engage/contracts';
import {
  Alert,
  Button,
  Group,
  List,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { validateWithSchema } from '../../../lib/form-validation';
import { showServerError } from '../../../lib/form-errors';
import { useUpdateCampaign } from '../api/campaigns-api';
import {
  dayError,
  toDayRows,
  toWeekdayHours,
  WeekdayHoursGrid,
  type DayRow,
} from '../../../components/weekday-hours-grid';

interface Values {
  name: string;
  purpose: CampaignPurpose;
  startsOn: string | null;
  endsOn: string | null;
  days: DayRow[];
  closedDates: string[];
  maxAttempts: number | string;
  holdSeconds: number | string;
  appointmentGraceMinutes: number | string;
  script: string;
}

const FIELDS = [
  'name',
  'purpose',
  'startsOn',
  'endsOn',
  'weekdayHours',
  'closedDates',
  'maxAttempts',
  'holdSeconds',
  'appointmentGraceMinutes',
  'script',
];

/** The request the form sends, and that its schema checks before it is sent. */
function toRequest(v: Values): UpdateCampaignBody {
  return {
    name: v.name,
    purpose: v.purpose,
    startsOn: v.startsOn,
    endsOn: v.endsOn,
    weekdayHours: toWeekdayHours(v.days),
    closedDates: v.closedDates,
    maxAttempts: Number(v.maxAttempts),
    holdSeconds: Number(v.holdSeconds),
    appointmentGraceMinutes: Number(v.appointmentGraceMinutes),
    script: v.script,
  };
}

/** A day's issue shows under its row (see dayError); the form keeps one error for all the days. */
const fieldOf = (path: string) => (path.startsWith('weekdayHours') ? 'days' : path);

/** An empty number box is the form's own state (the request would carry 0): say what to enter. */
const emptyNumber = (v: number | string, what: string) => (v === '' ? `Enter ${what}` : null);

function valuesOf(c: Campaign): Values {
  return {
    name: c.name,
    purpose: c.purpose,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    days: toDayRows(c.weekdayHours),
    closedDates: c.closedDates,
    maxAttempts: c.maxAttempts,
    holdSeconds: c.holdSeconds,
    appointmentGraceMinutes: c.appointmentGraceMinutes,
    script: c.script,
  };
}

/** Every field of a campaign: name, purpose, dates, calling hours, attempts, holds, script. */
export function CampaignSettingsForm({ campaign }: { campaign: Campaign }) {
  const update = useUpdateCampaign(campaign.id);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(campaign),
    validate: validateWithSchema(updateCampaignBodySchema, {
      request: toRequest,
      field: fieldOf,
      // The end date's order is checked by the server on the stored dates merged with the change
      // (a PATCH may send one date), so the request schema cannot say it.
      extra: (v: Values) => ({
        endsOn:
          v.endsOn !== null && v.startsOn !== null && v.endsOn < v.startsOn
            ? 'Choose an end on or after the start'
            : null,
        maxAttempts: emptyNumber(v.maxAttempts, 'the attempts, 1 to 100'),
        holdSeconds: emptyNumber(v.holdSeconds, 'the seconds, 30 to 3,600'),
        appointmentGraceMinutes: emptyNumber(v.appointmentGraceMinutes, 'the minutes, 0 to 1,440'),
      }),
    }),
  });

  const submit = form.onSubmit((v) => {
    update.mutate(
      {
        body: toRequest(v),
        message: 'Campaign saved',
      },
      {
        onSuccess: (saved) => {
          const next = valuesOf(saved);
          form.setInitialValues(next);
          form.setValues(next);
          form.resetDirty(next);
        },
        onError: (error) => showServerError(form, FIELDS, error),
      },
    );
  });

  return (
    <Paper withBorder p="md" radius="md" data-testid="campaign-form">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Title order={2} size="h4">
            Settings
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput {...form.getInputProps('name')} label="Name" withAsterisk data-testid="campaign-name" />
            <Select
              {...form.getInputProps('purpose')}
              label="Purpose"
              allowDeselect={false}
              data={campaignPurposes.map((p) => ({ value: p, label: campaignPurposeLabels[p] }))}
              data-testid="campaign-purpose"
            />
            <DatePickerInput
              {...form.getInputProps('startsOn')}
              label="First calling day"
              placeholder="From now"
              valueFormat="D MMM YYYY"
              clearable
              data-testid="campaign-starts-on"
            />
            <DatePickerInput
              {...form.getInputProps('endsOn')}
              label="Last calling day"
              placeholder="No end date"
              valueFormat="D MMM YYYY"
              clearable
              data-testid="campaign-ends-on"
            />
            <NumberInput
              {...form.getInputProps('maxAttempts')}
              label="Maximum attempts per donor"
              min={1}
              max={100}
              allowDecimal={false}
              data-testid="campaign-max-attempts"
            />
            <NumberInput
              {...form.getInputProps('holdSeconds')}
              label="Hold an offered donor for (seconds)"
              description="Then the donor goes back to the pool"
              min={30}
              max={3600}
              allowDecimal={false}
              data-testid="campaign-hold-seconds"
            />
            <NumberInput
              {...form.getInputProps('appointmentGraceMinutes')}
              label="Personal call-back waits (minutes)"
              description="Before anyone in the campaign may take it"
              min={0}
              max={1440}
              allowDecimal={false}
              data-testid="campaign-grace-minutes"
            />
          </SimpleGrid>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <WeekdayHoursGrid
              days={form.values.days}
              onChange={(days) => form.setFieldValue('days', days)}
              errors={form.values.days.map(dayError)}
            />
            <DatePickerInput
              type="multiple"
              {...form.getInputProps('closedDates')}
              label="Closed days"
              description="Public holidays: dates on which the campaign calls nobody (the donor's date)"
              placeholder="No closed days"
              valueFormat="D MMM YYYY"
              clearable
              data-testid="campaign-closed-dates"
            />
          </SimpleGrid>
          {campaign.legalWarnings.length > 0 && (
            <Alert color="yellow" title="Clipped to the legal calling window" data-testid="campaign-legal-warnings">
              <List size="sm">
                {campaign.legalWarnings.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
            </Alert>
          )}
          <Textarea
            {...form.getInputProps('script')}
            label="Script for agents"
            description="Shown to the agent with each donor"
            autosize
            minRows={4}
            maxRows={14}
            maxLength={20000}
            data-testid="campaign-script"
          />
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {form.isDirty() ? 'Unsaved changes' : ' '}
            </Text>
            <Group gap="sm">
              <Button variant="default" disabled={!form.isDirty() || update.isPending} onClick={() => form.reset()}>
                Undo changes
              </Button>
              <Button type="submit" loading={update.isPending} disabled={!form.isDirty()} data-testid="campaign-save">
                Save
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
