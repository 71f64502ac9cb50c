import { createPhoneSystemTokenBodySchema } from '@engage/contracts';
import type { PhoneSystemToken } from '@engage/contracts';
import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  List,
  Loader,
  Modal,
  Paper,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck, IconCopy, IconKey, IconPlugConnectedX } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmModal, useConfirmTarget } from '../../../components/confirm-modal';
import { PageHeader } from '../../../components/page-header';
import { showServerError } from '../../../lib/form-errors';
import { validateWithSchema } from '../../../lib/form-validation';
import { agentTimeZone, formatDateTime } from '../../../lib/time';
import { useCreatePhoneSystemToken, usePhoneSystemTokens, useRevokePhoneSystemToken } from '../api/inbound-api';

/** How a phone system signs each request: what the token modal and the page both say. */
function SigningHelp() {
  const origin = window.location.origin;
  return (
    <Stack gap="xs" data-testid="phone-system-signing">
      <Text size="sm">
        The phone system sends each call to <Code>POST {origin}/api/phone-system/calls</Code> and what happens to it to{' '}
        <Code>POST {origin}/api/phone-system/calls/events</Code>, with two headers:
      </Text>
      <List size="sm" spacing={4}>
        <List.Item>
          <Code>Authorization: Bearer &lt;token&gt;</Code>
        </List.Item>
        <List.Item>
          <Code>X-Engage-Signature: t=&lt;unix seconds&gt;,v1=&lt;signature&gt;</Code>, where the signature is the hex
          HMAC-SHA256, keyed with the token, of <Code>t + &quot;.&quot; + the raw request body</Code>.
        </List.Item>
      </List>
      <Text size="sm" c="dimmed">
        A request whose <Code>t</Code> is more than 5 minutes from the server&apos;s clock is refused, so a captured
        request cannot be replayed. Every field is in the{' '}
        <Anchor href="/api/docs" target="_blank" rel="noreferrer">
          API reference
        </Anchor>{' '}
        (operations offerInboundCall and inboundCallEvent).
      </Text>
    </Stack>
  );
}

/** Name a new phone system, then show its token this once. */
function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const create = useCreatePhoneSystemToken();
  const form = useForm<{ name: string }>({
    mode: 'controlled',
    initialValues: { name: '' },
    validate: validateWithSchema(createPhoneSystemTokenBodySchema),
  });
  const created = create.data;

  function close() {
    // The token is forgotten as the modal closes: it is never shown again.
    create.reset();
    form.reset();
    onClose();
  }

  return (
    <Modal
      opened={opened}
      onClose={create.isPending ? () => undefined : close}
      title={<Text fw={650}>{created ? `Token for ${created.name}` : 'New phone-system token'}</Text>}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <Stack gap="md" data-testid="phone-system-token-created">
          <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Copy it now: it will not be shown again">
            Engage keeps only a hash of the token. If it is lost, create a new one and revoke this one.
          </Alert>
          <Group gap="xs" wrap="nowrap" align="center">
            <Code block style={{ flex: 1, wordBreak: 'break-all' }} data-testid="phone-system-token-value">
              {created.token}
            </Code>
            <CopyButton value={created.token}>
              {({ copied, copy }) => (
                <Button
                  variant={copied ? 'light' : 'filled'}
                  color={copied ? 'teal' : undefined}
                  leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  onClick={copy}
                  data-testid="phone-system-token-copy"
                >
                  {copied ? 'Copied' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Group>
          <SigningHelp />
          <Group justify="flex-end">
            <Button onClick={close} data-testid="phone-system-token-done">
              I have copied it
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit((v) =>
            create.mutate(v.name.trim(), { onError: (error) => showServerError(form, ['name'], error) }),
          )}
        >
          <Stack gap="md">
            <TextInput
              {...form.getInputProps('name')}
              label="Phone system"
              description="Which PBX or carrier will use the token"
              placeholder="Head office PBX"
              withAsterisk
              data-autofocus
              data-testid="phone-system-token-name"
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={create.isPending}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} data-testid="phone-system-token-submit">
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

/** Administrators' list of the phone systems' API tokens: create (shown once) and revoke. */
export function PhoneSystemsPage() {
  const tokens = usePhoneSystemTokens();
  const revoke = useRevokePhoneSystemToken();
  const [creating, setCreating] = useState(false);
  const revoking = useConfirmTarget<PhoneSystemToken>();
  const timeZone = agentTimeZone();

  return (
    <>
      <PageHeader
        title="Phone systems"
        description={`The PBXs and carriers that tell Engage about inbound calls, each with its own API token. Times are in your time zone (${timeZone}).`}
      />
      <Stack gap="md">
        <Paper withBorder p="md" radius="md">
          <Group justify="flex-end" mb="md">
            <Button
              leftSection={<IconKey size={16} />}
              onClick={() => setCreating(true)}
              data-testid="phone-system-token-create"
            >
              Create token
            </Button>
          </Group>
          {tokens.isPending && <Loader />}
          {tokens.isError && (
            <Alert color="red" title="The phone systems could not be loaded">
              {tokens.error.message}
            </Alert>
          )}
          {tokens.data?.length === 0 && (
            <Text c="dimmed" data-testid="phone-system-tokens-empty">
              No phone system yet: create a token for yours.
            </Text>
          )}
          {tokens.data && tokens.data.length > 0 && (
            <Table striped highlightOnHover verticalSpacing="sm" data-testid="phone-system-tokens-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th w={60} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.data.map((t) => (
                  <Table.Tr
                    key={t.id}
                    data-testid="phone-system-token-row"
                    data-name={t.name}
                    data-revoked={t.revokedAt !== null}
                    c={t.revokedAt ? 'dimmed' : undefined}
                  >
                    <Table.Td fw={500}>{t.name}</Table.Td>
                    <Table.Td>{formatDateTime(t.createdAt, timeZone)}</Table.Td>
                    <Table.Td>
                      {t.revokedAt ? (
                        <Badge color="gray" variant="light" data-testid="phone-system-token-status">
                          Revoked {formatDateTime(t.revokedAt, timeZone)}
                        </Badge>
                      ) : (
                        <Badge color="teal" variant="light" data-testid="phone-system-token-status">
                          Active
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {t.revokedAt === null && (
                        <Tooltip label="Revoke: refuse its requests from now on">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            onClick={() => revoking.ask(t)}
                            aria-label={`Revoke ${t.name}`}
                            data-testid="phone-system-token-revoke"
                          >
                            <IconPlugConnectedX size={18} />
                          </ActionIcon>
                        </Tooltip>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
        <Paper withBorder p="md" radius="md">
          <SigningHelp />
        </Paper>
      </Stack>
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} />
      <ConfirmModal
        opened={revoking.opened}
        title={`Revoke ${revoking.target?.name ?? ''}?`}
        confirmLabel="Revoke token"
        loading={revoke.isPending}
        onClose={revoking.close}
        onConfirm={() => {
          const t = revoking.target;
          if (t) revoke.mutate({ id: t.id, name: t.name }, { onSuccess: revoking.close });
        }}
        testId="phone-system-token-revoke"
      >
        Engage refuses every request signed with this token from now on: calls from {revoking.target?.name} no longer
        reach your agents until the phone system has a new token. This cannot be undone.
      </ConfirmModal>
    </>
  );
}
