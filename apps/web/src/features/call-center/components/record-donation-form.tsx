import {
  CARD_NUMBER_MESSAGE,
  containsCardNumber,
  currencyExponent,
  donationFrequencies,
  donationFrequencyLabels,
  donationMethodLabels,
  donationMethods,
  parseMajorAmount,
} from '@engage/contracts';
import type { Donation, DonorProfile, OrganisationSettings, RecordDonationBody } from '@engage/contracts';
import {
  Alert,
  Autocomplete,
  Button,
  Card,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCash } from '@tabler/icons-react';
import { useRef, useState } from 'react';
import { isApiError } from '../../../lib/api-error';
import { notifyError } from '../../../lib/notify';
import { useOrganisationSettings } from '../../organisation/api/organisation-api';
import { useRecordDonation } from '../hooks/use-donor';

const COMMON_PURPOSES = [
  'General fund',
  'Where most needed',
  'Clean water',
  'Education fund',
  'Emergency relief',
  'Healthcare',
];

type Field = 'amount' | 'currency' | 'purpose' | 'paymentReference';

/** The donor's latest currency when the organisation still takes it, else the organisation's default. */
function startingCurrency(donations: readonly Donation[], settings: OrganisationSettings): string {
  let latest: Donation | undefined;
  for (const d of donations) if (!latest || d.donatedAt > latest.donatedAt) latest = d;
  return latest && settings.currencies.includes(latest.currency) ? latest.currency : settings.defaultCurrency;
}

function currencySymbol(currency: string): string {
  try {
    const parts = new Intl.NumberFormat('en-GB', { style: 'currency', currency }).formatToParts(0);
    return parts.find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

function fieldOf(path: string): Field | undefined {
  const name = path.replace(/^body\./, '');
  return (['amount', 'currency', 'purpose', 'paymentReference'] as const).find((f) => f === name);
}

/**
 * Record a donation taken on this call, in one of the organisation's currencies. The agent types
 * major units (25.00); the API takes minor units.
 */
export function RecordDonationForm({ donor, callId }: { donor: DonorProfile; callId: number }) {
  const settings = useOrganisationSettings();
  if (settings.isError) {
    return (
      <Alert color="red" title="The donation form could not be loaded" data-testid="record-donation-form">
        {settings.error.message}
      </Alert>
    );
  }
  if (!settings.data) return <Loader size="sm" />;
  return <DonationForm donor={donor} callId={callId} settings={settings.data} />;
}

function DonationForm({
  donor,
  callId,
  settings,
}: {
  donor: DonorProfile;
  callId: number;
  settings: OrganisationSettings;
}) {
  const record = useRecordDonation(donor.id);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(() => startingCurrency(donor.donations, settings));
  const [purpose, setPurpose] = useState('General fund');
  const [method, setMethod] = useState<Donation['method']>('card');
  const [frequency, setFrequency] = useState<Donation['frequency']>('one_off');
  const [paymentReference, setPaymentReference] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  // One Idempotency-Key per submission, reused when the very same submission is retried.
  const attempt = useRef<{ fingerprint: string; key: string } | null>(null);

  const currencies = settings.currencies;
  const purposes = [...new Set([...COMMON_PURPOSES, ...donor.donations.map((d) => d.purpose)])];
  const exponent = currencyExponent(currency);

  function setField(field: Field) {
    setErrors((e) => ({ ...e, [field]: undefined }));
  }

  function submit() {
    const next: Partial<Record<Field, string>> = {};
    const parsed = parseMajorAmount(amount, currency);
    if (!parsed.ok) next.amount = parsed.message;
    if (purpose.trim() === '') next.purpose = 'Enter what the gift is for';
    else if (containsCardNumber(purpose)) next.purpose = CARD_NUMBER_MESSAGE;
    const reference = paymentReference.trim();
    if (containsCardNumber(reference)) next.paymentReference = CARD_NUMBER_MESSAGE;
    setErrors(next);
    if (!parsed.ok || Object.keys(next).length > 0) return;

    const body: RecordDonationBody = {
      amount: parsed.minor,
      currency,
      purpose: purpose.trim(),
      method,
      frequency,
      paymentReference: reference === '' ? undefined : reference,
      callId,
    };
    const fingerprint = JSON.stringify(body);
    if (attempt.current?.fingerprint !== fingerprint) attempt.current = { fingerprint, key: crypto.randomUUID() };
    record.mutate(
      { body, idempotencyKey: attempt.current.key },
      {
        onSuccess: () => {
          attempt.current = null;
          setAmount('');
          setPaymentReference('');
        },
        onError: (error) => {
          const inline: Partial<Record<Field, string>> = {};
          if (isApiError(error)) {
            for (const issue of error.issues) {
              const field = fieldOf(issue.path);
              if (field) inline[field] = issue.message;
            }
          }
          if (Object.keys(inline).length > 0) setErrors(inline);
          else notifyError(error);
        },
      },
    );
  }

  return (
    <Card withBorder radius="md" padding="md" data-testid="record-donation-form">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          <Title order={3} size="h5">
            Record donation
          </Title>
          <Group gap="sm" align="flex-start" wrap="nowrap">
            <TextInput
              label="Amount"
              placeholder={exponent === 0 ? '3000' : '25.00'}
              inputMode="decimal"
              autoComplete="off"
              leftSectionWidth={48}
              leftSection={
                <Text size="sm" c="dimmed">
                  {currencySymbol(currency)}
                </Text>
              }
              value={amount}
              onChange={(event) => {
                setAmount(event.currentTarget.value);
                setField('amount');
              }}
              error={errors.amount}
              style={{ flex: 1 }}
              data-testid="donation-amount"
            />
            <Select
              label="Currency"
              data={currencies}
              value={currency}
              onChange={(value) => {
                if (value) setCurrency(value);
                setField('amount');
              }}
              allowDeselect={false}
              searchable
              w={110}
              error={errors.currency}
              data-testid="donation-currency"
            />
          </Group>
          <Autocomplete
            label="Purpose"
            data={purposes}
            value={purpose}
            onChange={(value) => {
              setPurpose(value);
              setField('purpose');
            }}
            limit={6}
            error={errors.purpose}
            data-testid="donation-purpose"
          />
          <Group gap="sm" align="flex-end" wrap="nowrap">
            <Select
              label="Method"
              data={donationMethods.map((m) => ({ value: m, label: donationMethodLabels[m] }))}
              value={method}
              onChange={(value) => {
                const found = donationMethods.find((m) => m === value);
                if (found) setMethod(found);
              }}
              allowDeselect={false}
              w={150}
              data-testid="donation-method"
            />
            <Stack gap={4} style={{ flex: 1 }}>
              <Text size="sm" fw={500}>
                Frequency
              </Text>
              <SegmentedControl
                fullWidth
                size="sm"
                data={donationFrequencies.map((f) => ({ value: f, label: donationFrequencyLabels[f] }))}
                value={frequency}
                onChange={(value) => {
                  const found = donationFrequencies.find((f) => f === value);
                  if (found) setFrequency(found);
                }}
                data-testid="donation-frequency"
              />
            </Stack>
          </Group>
          <TextInput
            label="Payment reference"
            description="The reference from the payment system. Never a card number."
            placeholder="Optional"
            autoComplete="off"
            value={paymentReference}
            onChange={(event) => {
              setPaymentReference(event.currentTarget.value);
              setField('paymentReference');
            }}
            error={errors.paymentReference}
            data-testid="donation-reference"
          />
          <Group justify="flex-end">
            <Button
              type="submit"
              variant="light"
              leftSection={<IconCash size={18} />}
              loading={record.isPending}
              data-testid="record-donation"
            >
              Record donation
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
