import type { InboundLine } from '@engage/contracts';
import { ActionIcon, Alert, Badge, Button, Group, Loader, Paper, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconHistory, IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { weekSummary } from '../../../components/calling-hours-display';
import { PageHeader } from '../../../components/page-header';
import { formatDate } from '../../../lib/time';
import { AuditDrawer } from '../../audit/components/audit-trail';
import { useInboundLines } from '../api/inbound-api';
import { inboundActionLabels, secondsWords } from '../utils/labels';
import { formatPhoneNumber } from '../../../lib/phone-format';
import { InboundLineModal } from './inbound-line-modal';

function HoursCell({ line }: { line: InboundLine }) {
  const closed = line.closedDates;
  return (
    <Stack gap={0}>
      <Text size="sm" data-testid="inbound-line-hours">
        {weekSummary(line.weekdayHours)}
      </Text>
      <Text size="xs" c="dimmed">
        {line.timeZone}
        {closed.length > 0 && ` · closed ${closed.length === 1 ? formatDate(closed[0]!) : `on ${closed.length} dates`}`}
      </Text>
    </Stack>
  );
}

/** The lines donors dial: who answers, when, and what callers get when nobody can. */
export function InboundLinesPage() {
  const lines = useInboundLines();
  const [editing, setEditing] = useState<InboundLine | null>(null);
  const [formOpen, setFormOpen] = useState(false);
  const [history, setHistory] = useState<InboundLine | null>(null);

  function openForm(line: InboundLine | null) {
    setEditing(line);
    setFormOpen(true);
  }

  return (
    <>
      <PageHeader
        title="Inbound lines"
        description="The numbers donors call: the teams whose agents answer, the opening hours, how long each agent's phone rings and what callers get when the line is closed or the wait runs out. Managers see the lines of the teams they lead."
      />
      <Paper withBorder p="md" radius="md">
        <Group justify="flex-end" mb="md">
          <Button leftSection={<IconPlus size={16} />} onClick={() => openForm(null)} data-testid="inbound-line-create">
            New line
          </Button>
        </Group>
        {lines.isPending && <Loader />}
        {lines.isError && (
          <Alert color="red" title="The inbound lines could not be loaded">
            {lines.error.message}
          </Alert>
        )}
        {lines.data?.length === 0 && (
          <Text c="dimmed" data-testid="inbound-lines-empty">
            No inbound line yet: add the number donors call.
          </Text>
        )}
        {lines.data && lines.data.length > 0 && (
          <Table.ScrollContainer minWidth={960}>
            <Table striped highlightOnHover verticalSpacing="sm" data-testid="inbound-lines-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Number</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Teams</Table.Th>
                  <Table.Th>Campaign</Table.Th>
                  <Table.Th>Open</Table.Th>
                  <Table.Th>Rings</Table.Th>
                  <Table.Th>Longest wait</Table.Th>
                  <Table.Th>Closed / overflow</Table.Th>
                  <Table.Th w={90} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {lines.data.map((line) => (
                  <Table.Tr
                    key={line.id}
                    data-testid="inbound-line-row"
                    data-name={line.name}
                    data-number={line.number}
                  >
                    <Table.Td>
                      <Text size="sm" fw={500} style={{ whiteSpace: 'nowrap' }} data-testid="inbound-line-number-shown">
                        {formatPhoneNumber(line.number)}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace" data-testid="inbound-line-e164">
                        {line.number}
                      </Text>
                    </Table.Td>
                    <Table.Td fw={500}>{line.name}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {line.teams.length === 0 && (
                          <Text size="sm" c="orange" data-testid="inbound-line-no-team">
                            No team: nobody answers
                          </Text>
                        )}
                        {line.teams.map((t) => (
                          <Badge key={t.id} variant="outline" color="gray" size="sm">
                            {t.name}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>{line.campaign.name}</Table.Td>
                    <Table.Td>
                      <HoursCell line={line} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{secondsWords(line.ringSeconds)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{secondsWords(line.maxWaitSeconds)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" data-testid="inbound-line-actions">
                        {inboundActionLabels[line.closedAction]} / {inboundActionLabels[line.overflowAction]}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Tooltip
                          label={
                            line.editable
                              ? 'Edit'
                              : 'Also answered by a team you do not lead: ask an administrator to change this line'
                          }
                        >
                          <ActionIcon
                            variant="subtle"
                            // data-disabled, not disabled: the tooltip saying why still shows on hover.
                            onClick={() => line.editable && openForm(line)}
                            data-disabled={!line.editable || undefined}
                            aria-label={
                              line.editable ? `Edit ${line.name}` : `${line.name} is shared with a team you do not lead`
                            }
                            data-testid="inbound-line-edit"
                          >
                            <IconPencil size={18} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="History">
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            onClick={() => setHistory(line)}
                            aria-label={`History of ${line.name}`}
                            data-testid="inbound-line-history"
                          >
                            <IconHistory size={18} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
      <InboundLineModal line={editing} opened={formOpen} onClose={() => setFormOpen(false)} />
      <AuditDrawer
        entityType="inbound_line"
        entityId={history?.id ?? null}
        title={history ? `History of ${history.name}` : 'History'}
        onClose={() => setHistory(null)}
      />
    </>
  );
}
