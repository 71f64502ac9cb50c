import {
  isoCurrencyCodes,
  legalWindowSchema,
  MAX_DONATION_GRACE_MINUTES,
  MAX_ORGANISATION_CURRENCIES,
  updateOrganisationSettingsBodySchema,
  WEEKDAYS,
} from '@engage/contracts';
import type { OrganisationSettings, UpdateOrganisationSettingsBody } from '@engage/contracts';
import {
  ActionIcon,
  Alert,
  Button,
  Checkbox,
  Group,
  Loader,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { TimeInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { IconDeviceFloppy, IconPlus, IconTrash } from '@tabler/icons-react';
import { MultiSelectField } from '../../../components/multi-select-field';
import { PageHeader } from '../../../components/page-header';
import { schemaMessage, validateWithSchema } from '../../../lib/form-validation';
import { formatDateTime } from '../../../lib/time';
import { showServerError } from '../../../lib/form-errors';
import { AuditTrail } from '../../audit/components/audit-trail';
import {
  ORGANISATION_SETTINGS_ENTITY,
  useOrganisationSettings,
  useUpdateOrganisationSettings,
} from '../api/organisation-api';

interface WindowValues {
  start: string;
  end: string;
  /** ISO weekdays as strings ("7" is Sunday), for the checkbox group. */
  closed: string[];
}

interface Values {
  currencies: string[];
  defaultCurrency: string;
  donationGraceMinutes: number | string;
  legal: WindowValues;
  countries: (WindowValues & { country: string })[];
}

const FIELDS = ['currencies', 'defaultCurrency', 'donationGraceMinutes', 'legalWindow', 'countryWindows'];

/** The API's 24:00 (midnight) shows as 00:00 in a time picker, and back. */
const endToPicker = (end: string) => (end === '24:00' ? '00:00' : end);
const endFromPicker = (end: string) => (end === '00:00' ? '24:00' : end);
const toWindow = (w: WindowValues) => ({
  start: w.start,
  end: endFromPicker(w.end),
  closedWeekdays: w.closed.map(Number).sort(),
});

/** What the window's times are missing, as the contracts' schema says it (shown under "Until" as one types). */
const windowError = (w: WindowValues) => schemaMessage(legalWindowSchema, toWindow(w));

/** The request the form sends, and that its schema checks before it is sent. */
function toRequest(v: Values): UpdateOrganisationSettingsBody {
  return {
    currencies: v.currencies,
    defaultCurrency: v.defaultCurrency,
    donationGraceMinutes: Number(v.donationGraceMinutes),
    legalWindow: toWindow(v.legal),
    countryWindows: v.countries.map((w) => ({ country: w.country, ...toWindow(w) })),
  };
}

/** An issue of the request shows under its form field: a window's under the window, a country's under the list. */
function fieldOf(path: string): string {
  if (path.startsWith('legalWindow')) return 'legal';
  if (path.startsWith('countryWindows')) return 'countries';
  return path;
}

/** From, until and closed weekdays of one window. Test ids `<prefix>-start`, `-end`, `-closed`. */
function WindowFields({
  value,
  onChange,
  prefix,
  label,
}: {
  value: WindowValues;
  onChange: (w: WindowValues) => void;
  prefix: string;
  label?: string;
}) {
  return (
    <Group gap="xs" align="end" wrap="wrap">
      <TimeInput
        label={label ? `${label} from` : 'From'}
        value={value.start}
        onChange={(e) => onChange({ ...value, start: e.currentTarget.value })}
        w={120}
        data-testid={`${prefix}-start`}
      />
      <TimeInput
        label="Until"
        value={value.end}
        onChange={(e) => onChange({ ...value, end: e.currentTarget.value })}
        error={windowError(value) ?? undefined}
        w={120}
        data-testid={`${prefix}-end`}
      />
      <Checkbox.Group
        label="Closed on"
        value={value.closed}
        onChange={(closed) => onChange({ ...value, closed })}
        data-testid={`${prefix}-closed`}
      >
        <Group gap={6} mt={6}>
          {WEEKDAYS.map((d, i) => (
            <Checkbox key={d} value={String(i + 1)} label={d.slice(0, 3)} size="xs" />
          ))}
        </Group>
      </Checkbox.Group>
    </Group>
  );
}

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });
const CURRENCY_OPTIONS = isoCurrencyCodes.map((code) => ({
  value: code,
  label: `${code} · ${currencyNames.of(code) ?? code}`,
}));

/**
 * The organisation's settings: the currencies donations are taken in, the grace after End Call, and
 * the legal calling window (default and per country).
 */
export function OrganisationPage() {
  const settings = useOrganisationSettings();
  return (
    <>
      <PageHeader
        title="Organisation"
        description="Settings of the whole organisation. Every change is kept in the history below."
      />
      {settings.isPending && <Loader />}
      {settings.isError && (
        <Alert color="red" title="The organisation's settings could not be loaded">
          {settings.error.message}
        </Alert>
      )}
      {settings.data && (
        <Stack gap="lg">
          <SettingsForm key={settings.data.updatedAt} settings={settings.data} />
          <Paper withBorder p="md" radius="md">
            <Title order={2} size="h4" mb="sm">
              History
            </Title>
            <AuditTrail {...ORGANISATION_SETTINGS_ENTITY} />
          </Paper>
        </Stack>
      )}
    </>
  );
}

function SettingsForm({ settings }: { settings: OrganisationSettings }) {
  const save = useUpdateOrganisationSettings();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: {
      currencies: settings.currencies,
      defaultCurrency: settings.defaultCurrency,
      donationGraceMinutes: settings.donationGraceMinutes,
      legal: {
        start: settings.legalWindow.start,
        end: endToPicker(settings.legalWindow.end),
        closed: settings.legalWindow.closedWeekdays.map(String),
      },
      countries: settings.countryWindows.map((w) => ({
        country: w.country,
        start: w.start,
        end: endToPicker(w.end),
        closed: w.closedWeekdays.map(String),
      })),
    },
    validate: validateWithSchema(updateOrganisationSettingsBodySchema, {
      request: toRequest,
      field: fieldOf,
      // The request's fields are each optional (a PATCH), so the default's being accepted is the
      // server's check on the stored settings merged with the change; an empty minutes box is
      // the form's own state (the request would carry 0).
      extra: (values: Values) => ({
        defaultCurrency: values.currencies.includes(values.defaultCurrency)
          ? null
          : 'Choose the default among the accepted currencies',
        donationGraceMinutes:
          values.donationGraceMinutes === '' ? `Enter whole minutes from 0 to ${MAX_DONATION_GRACE_MINUTES}` : null,
      }),
    }),
  });
  const { currencies, defaultCurrency } = form.values;

  return (
    <Paper withBorder p="md" radius="md" data-testid="organisation-settings">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          save.mutate(toRequest(v), { onError: (error) => showServerError(form, FIELDS, error) }),
        )}
      >
        <Stack gap="md" maw={640}>
          <Title order={2} size="h4">
            Donations
          </Title>
          <MultiSelectField
            label="Currencies accepted"
            description="Agents record donations in these currencies only, offered in this order."
            data={CURRENCY_OPTIONS}
            searchable
            hidePickedOptions
            maxValues={MAX_ORGANISATION_CURRENCIES}
            {...form.getInputProps('currencies')}
            data-testid="organisation-currencies"
          />
          <Select
            label="Default currency"
            description="The currency the donation form starts with."
            data={CURRENCY_OPTIONS.filter((o) => currencies.includes(o.value))}
            allowDeselect={false}
            searchable
            {...form.getInputProps('defaultCurrency')}
            value={currencies.includes(defaultCurrency) ? defaultCurrency : null}
            data-testid="organisation-default-currency"
          />
          <NumberInput
            label="Donations after End Call (minutes)"
            description="How long after a call ends a donation may still be recorded on it. 0: only while the call is open."
            min={0}
            max={MAX_DONATION_GRACE_MINUTES}
            allowDecimal={false}
            allowNegative={false}
            w={280}
            {...form.getInputProps('donationGraceMinutes')}
            data-testid="organisation-grace"
          />
          <Title order={2} size="h4" mt="sm">
            Legal calling window
          </Title>
          <Text size="sm" c="dimmed">
            In the donor&apos;s local time. No campaign calls outside it: a donor is called only when both the
            campaign&apos;s hours and this window allow. Until 00:00 means until midnight.
          </Text>
          <div data-testid="organisation-legal-window">
            <WindowFields
              value={form.values.legal}
              onChange={(w) => form.setFieldValue('legal', w)}
              prefix="organisation-legal"
              label="Calls"
            />
          </div>
          <Text size="sm" fw={500}>
            Countries with their own window
          </Text>
          {form.values.countries.length === 0 && (
            <Text size="sm" c="dimmed" data-testid="organisation-no-country-windows">
              None: every donor has the window above.
            </Text>
          )}
          {form.values.countries.map((w, i) => (
            <Group key={i} gap="xs" align="end" data-testid="organisation-country-window">
              <TextInput
                label="Country"
                placeholder="FR"
                maxLength={2}
                w={80}
                value={w.country}
                onChange={(e) => form.setFieldValue(`countries.${i}.country`, e.currentTarget.value.toUpperCase())}
                data-testid={`organisation-country-${i}`}
              />
              <WindowFields
                value={w}
                onChange={(next) => form.setFieldValue(`countries.${i}`, { ...next, country: w.country })}
                prefix={`organisation-country-${i}`}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={`Remove ${w.country || 'this country'}`}
                onClick={() => form.removeListItem('countries', i)}
                data-testid={`organisation-country-${i}-remove`}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          {form.errors.countries && (
            <Text size="sm" c="red">
              {form.errors.countries}
            </Text>
          )}
          <Group>
            <Button
              variant="default"
              leftSection={<IconPlus size={16} />}
              onClick={() =>
                form.insertListItem('countries', { country: '', start: '09:00', end: '20:00', closed: [] })
              }
              data-testid="organisation-country-add"
            >
              Add a country
            </Button>
          </Group>
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Last changed {formatDateTime(settings.updatedAt)}
            </Text>
            <Button
              type="submit"
              leftSection={<IconDeviceFloppy size={16} />}
              loading={save.isPending}
              disabled={!form.isDirty()}
              data-testid="organisation-save"
            >
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
