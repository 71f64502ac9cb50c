import {
  createBreakReasonBodySchema,
  createEndReasonBodySchema,
  createJobRoleBodySchema,
  createSkipReasonBodySchema,
  endOutcomeHelp,
  endOutcomeLabels,
  endReasonDirectionLabel,
  endReasonDirections,
  skipOutcomeLabels,
  type EndOutcome,
  type EndReasonDirection,
  type SkipOutcome,
} from '@engage/contracts';
import { Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { settingsNouns, useSaveSettingsItem, type AnySettingsItem, type SettingsKind } from '../api/settings-api';
import { validateWithSchema } from '../../../lib/form-validation';
import { showServerError } from '../../../lib/form-errors';

interface Values {
  name: string;
  outbound: boolean;
  inbound: boolean;
  skipOutcome: SkipOutcome;
  endOutcome: EndOutcome;
  retryMinutes: number | string;
  countsAsContact: boolean;
  countsAsSuccess: boolean;
  direction: EndReasonDirection;
}

const FIELDS = [
  'name',
  'outbound',
  'inbound',
  'outcome',
  'retryMinutes',
  'countsAsContact',
  'countsAsSuccess',
  'direction',
];

/** The name as each kind's request schema checks it; the other fields are named differently here. */
const nameSchemas = {
  'job-roles': createJobRoleBodySchema.pick({ name: true }),
  'skip-reasons': createSkipReasonBodySchema.pick({ name: true }),
  'end-reasons': createEndReasonBodySchema.pick({ name: true }),
  'break-reasons': createBreakReasonBodySchema.pick({ name: true }),
} satisfies Record<SettingsKind, unknown>;

function initialValues(item: AnySettingsItem | null): Values {
  return {
    name: item?.name ?? '',
    outbound: item && 'outbound' in item ? item.outbound : true,
    inbound: item && 'inbound' in item ? item.inbound : false,
    skipOutcome:
      item && 'outcome' in item && (item.outcome === 'requeue' || item.outcome === 'remove') ? item.outcome : 'requeue',
    endOutcome:
      item && 'outcome' in item && item.outcome !== 'requeue' && item.outcome !== 'remove' ? item.outcome : 'final',
    retryMinutes: item && 'retryMinutes' in item && item.retryMinutes !== null ? item.retryMinutes : 60,
    countsAsContact: item && 'countsAsContact' in item ? item.countsAsContact : false,
    countsAsSuccess: item && 'countsAsSuccess' in item ? item.countsAsSuccess : false,
    direction: item && 'direction' in item ? item.direction : 'both',
  };
}

/** Add or edit a job role or reason: its name and, per kind, its work or outcome. */
export function SettingsItemModal({
  kind,
  item,
  opened,
  onClose,
}: {
  kind: SettingsKind;
  item: AnySettingsItem | null;
  opened: boolean;
  onClose: () => void;
}) {
  const noun = settingsNouns[kind];
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>{item ? `Edit ${item.name}` : `Add ${noun.aOne}`}</Text>}
      centered
    >
      {opened && <ItemForm kind={kind} item={item} onDone={onClose} />}
    </Modal>
  );
}

function ItemForm({ kind, item, onDone }: { kind: SettingsKind; item: AnySettingsItem | null; onDone: () => void }) {
  const save = useSaveSettingsItem(kind);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: initialValues(item),
    // Two rules join fields, and the server decides them on the stored item merged with the
    // change (a PATCH may send one field), so the request schemas cannot say them: kept here too.
    validate: validateWithSchema(nameSchemas[kind], {
      extra: (values: Values) => ({
        inbound:
          kind === 'job-roles' && !values.inbound && !values.outbound ? 'Choose outbound, inbound or both' : null,
        retryMinutes:
          kind === 'end-reasons' && values.endOutcome === 'retry' && !(Number(values.retryMinutes) > 0)
            ? 'Enter the minutes until the next call'
            : null,
      }),
    }),
  });
  const values = form.values;

  function body(v: Values): Record<string, unknown> {
    const name = v.name.trim();
    switch (kind) {
      case 'job-roles':
        return { name, outbound: v.outbound, inbound: v.inbound };
      case 'skip-reasons':
        return { name, outcome: v.skipOutcome };
      case 'end-reasons':
        return {
          name,
          outcome: v.endOutcome,
          retryMinutes: v.endOutcome === 'retry' ? Number(v.retryMinutes) : null,
          countsAsContact: v.countsAsContact,
          countsAsSuccess: v.countsAsSuccess,
          direction: v.direction,
        };
      case 'break-reasons':
        return { name };
    }
  }

  const submit = form.onSubmit((v) =>
    save.mutate(
      { id: item?.id ?? null, body: body(v) },
      {
        onSuccess: onDone,
        onError: (error) =>
          showServerError(
            {
              setFieldError: (path, message) =>
                form.setFieldError(
                  path === 'outcome' ? (kind === 'skip-reasons' ? 'skipOutcome' : 'endOutcome') : path,
                  message,
                ),
            },
            FIELDS,
            error,
          ),
      },
    ),
  );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md" data-testid="item-form">
        <TextInput {...form.getInputProps('name')} label="Name" withAsterisk data-autofocus data-testid="item-name" />
        {kind === 'job-roles' && (
          <Stack gap={6}>
            <Text size="sm" fw={500}>
              Work this role takes
            </Text>
            <Checkbox
              {...form.getInputProps('outbound', { type: 'checkbox' })}
              label="Outbound: calls donors from campaigns"
              data-testid="item-outbound"
            />
            <Checkbox
              {...form.getInputProps('inbound', { type: 'checkbox' })}
              label="Inbound: takes calls from donors"
              data-testid="item-inbound"
            />
          </Stack>
        )}
        {kind === 'skip-reasons' && (
          <Select
            {...form.getInputProps('skipOutcome')}
            label="Outcome"
            allowDeselect={false}
            data={(['requeue', 'remove'] as const).map((o) => ({ value: o, label: skipOutcomeLabels[o] }))}
            data-testid="item-outcome"
          />
        )}
        {kind === 'end-reasons' && (
          <>
            <Select
              {...form.getInputProps('endOutcome')}
              label="Outcome"
              allowDeselect={false}
              data={(['final', 'retry', 'appointment', 'do_not_call'] as const).map((o) => ({
                value: o,
                label: endOutcomeLabels[o],
              }))}
              description={endOutcomeHelp[values.endOutcome]}
              data-testid="item-outcome"
            />
            <Select
              {...form.getInputProps('direction')}
              label="Applies to"
              allowDeselect={false}
              data={endReasonDirections.map((d) => ({ value: d, label: endReasonDirectionLabel[d] }))}
              description="Agents see it at End Call only for calls of this direction"
              data-testid="item-direction"
            />
            {values.endOutcome === 'retry' && (
              <NumberInput
                {...form.getInputProps('retryMinutes')}
                label="Call again after (minutes)"
                min={1}
                max={525600}
                allowDecimal={false}
                withAsterisk
                data-testid="item-retry-minutes"
              />
            )}
            <Stack gap={6}>
              <Text size="sm" fw={500}>
                In reports it counts as
              </Text>
              <Checkbox
                {...form.getInputProps('countsAsContact', { type: 'checkbox' })}
                label="Contact made (we spoke to the donor)"
                data-testid="item-counts-contact"
              />
              <Checkbox
                {...form.getInputProps('countsAsSuccess', { type: 'checkbox' })}
                label="Success (the call reached its goal)"
                data-testid="item-counts-success"
              />
            </Stack>
          </>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} data-testid="item-save">
            {item ? 'Save' : 'Add'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
