import { campaignPurposes } from '@engage/contracts';
import type { Campaign, CampaignPurpose } from '@engage/contracts';
import {
  Button,
  Group,
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
import { showServerError } from '../../admin/utils/form-errors';
import { useUpdateCampaign } from '../api/campaigns-api';
import { purposeLabels } from '../utils/labels';

interface Values {
  name: string;
  purpose: CampaignPurpose;
  startsOn: string | null;
  endsOn: string | null;
  callingHoursStart: string;
  callingHoursEnd: string;
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
  'callingHoursStart',
  'callingHoursEnd',
  'maxAttempts',
  'holdSeconds',
  'appointmentGraceMinutes',
  'script',
];

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

function valuesOf(c: Campaign): Values {
  return {
    name: c.name,
    purpose: c.purpose,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    callingHoursStart: c.callingHoursStart,
    callingHoursEnd: c.callingHoursEnd,
    maxAttempts: c.maxAttempts,
    holdSeconds: c.holdSeconds,
    appointmentGraceMinutes: c.appointmentGraceMinutes,
    script: c.script,
  };
}

function intIn(v: number | string, min: number, max: number, what: string): string | null {
  const n = Number(v);
  return v === '' || !Number.isInteger(n) || n < min || n > max
    ? `${what}: a whole number from ${min} to ${max}`
    : null;
}

/** Every field of a campaign: name, purpose, dates, calling hours, attempts, holds, script. */
export function CampaignSettingsForm({ campaign }: { campaign: Campaign }) {
  const update = useUpdateCampaign(campaign.id);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: valuesOf(campaign),
    validate: {
      name: (v) => (v.trim() === '' ? 'Enter a name' : null),
      endsOn: (v, all) => (v !== null && all.startsOn !== null && v < all.startsOn ? 'Before the start date' : null),
      callingHoursStart: (v) => (START.test(v) ? null : 'Use HH:MM, e.g. 09:00'),
      callingHoursEnd: (v, all) =>
        !END.test(v)
          ? 'Use HH:MM, e.g. 21:00 (24:00 for midnight)'
          : v === all.callingHoursStart
            ? 'Ends when it starts'
            : null,
      maxAttempts: (v) => intIn(v, 1, 100, 'Attempts'),
      holdSeconds: (v) => intIn(v, 30, 3600, 'Seconds'),
      appointmentGraceMinutes: (v) => intIn(v, 0, 1440, 'Minutes'),
    },
  });

  const submit = form.onSubmit((v) => {
    update.mutate(
      {
        body: {
          name: v.name.trim(),
          purpose: v.purpose,
          startsOn: v.startsOn,
          endsOn: v.endsOn,
          callingHoursStart: v.callingHoursStart,
          callingHoursEnd: v.callingHoursEnd,
          maxAttempts: Number(v.maxAttempts),
          holdSeconds: Number(v.holdSeconds),
          appointmentGraceMinutes: Number(v.appointmentGraceMinutes),
          script: v.script,
        },
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
              data={campaignPurposes.map((p) => ({ value: p, label: purposeLabels[p] }))}
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
            <TextInput
              {...form.getInputProps('callingHoursStart')}
              label="Calling hours from"
              description="HH:MM in the donor's own time zone"
              placeholder="09:00"
              data-testid="campaign-hours-start"
            />
            <TextInput
              {...form.getInputProps('callingHoursEnd')}
              label="Calling hours until"
              description="HH:MM; 24:00 is midnight"
              placeholder="21:00"
              data-testid="campaign-hours-end"
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
