import { isoCurrencyCodes, MAX_DONATION_GRACE_MINUTES, MAX_ORGANISATION_CURRENCIES } from '@engage/contracts';
import type { OrganisationSettings } from '@engage/contracts';
import { Alert, Button, Group, Loader, NumberInput, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconDeviceFloppy } from '@tabler/icons-react';
import { MultiSelectField } from '../../../components/multi-select-field';
import { PageHeader } from '../../../components/page-header';
import { formatDateTime } from '../../../lib/time';
import { showServerError } from '../../admin/utils/form-errors';
import { AuditTrail } from '../../audit/components/audit-trail';
import {
  ORGANISATION_SETTINGS_ENTITY,
  useOrganisationSettings,
  useUpdateOrganisationSettings,
} from '../api/organisation-api';

interface Values {
  currencies: string[];
  defaultCurrency: string;
  donationGraceMinutes: number | string;
}

const FIELDS = ['currencies', 'defaultCurrency', 'donationGraceMinutes'];

const currencyNames = new Intl.DisplayNames(['en'], { type: 'currency' });
const CURRENCY_OPTIONS = isoCurrencyCodes.map((code) => ({
  value: code,
  label: `${code} · ${currencyNames.of(code) ?? code}`,
}));

/** The organisation's settings: the currencies donations are taken in, and the grace after End Call. */
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
    },
    validate: {
      currencies: (v) => (v.length === 0 ? 'Accept at least one currency' : null),
      defaultCurrency: (v, values) =>
        values.currencies.includes(v) ? null : 'Choose the default among the accepted currencies',
      donationGraceMinutes: (v) => {
        const n = Number(v);
        return v === '' || !Number.isInteger(n) || n < 0 || n > MAX_DONATION_GRACE_MINUTES
          ? `Whole minutes from 0 to ${MAX_DONATION_GRACE_MINUTES}`
          : null;
      },
    },
  });
  const { currencies, defaultCurrency } = form.values;

  return (
    <Paper withBorder p="md" radius="md" data-testid="organisation-settings">
      <form
        noValidate
        onSubmit={form.onSubmit((v) =>
          save.mutate(
            {
              currencies: v.currencies,
              defaultCurrency: v.defaultCurrency,
              donationGraceMinutes: Number(v.donationGraceMinutes),
            },
            { onError: (error) => showServerError(form, FIELDS, error) },
          ),
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
