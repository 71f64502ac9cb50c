import { Alert, Anchor, Badge, Button, Group, Loader, Paper, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { formatDate } from '../../../lib/time';
import { useLists } from '../api/lists-api';
import { ListFormModal } from './list-form-modal';

/** Managers' lists: each with its donor count and the campaigns it feeds; create one, open one. */
export function ListsPage() {
  const lists = useLists();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return (lists.data ?? []).filter((l) => f === '' || l.name.toLowerCase().includes(f));
  }, [lists.data, filter]);

  return (
    <>
      <PageHeader
        title="Lists"
        description="Named sets of donors. Fill a list by importing a CSV file or from a donor search, then connect it to campaigns."
      />
      <Group justify="space-between" mb="md">
        <TextInput
          placeholder="Filter by name"
          leftSection={<IconSearch size={16} />}
          value={filter}
          onChange={(e) => setFilter(e.currentTarget.value)}
          w={280}
          aria-label="Filter lists by name"
        />
        <Group gap="sm">
          <Button variant="default" component={Link} to="/manager/donors">
            Make a list from a search
          </Button>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="list-create">
            New list
          </Button>
        </Group>
      </Group>
      {lists.isPending && <Loader />}
      {lists.isError && (
        <Alert color="red" title="The lists could not be loaded">
          {lists.error.message}
        </Alert>
      )}
      {lists.data && (
        <Paper withBorder radius="md" p="md">
          {shown.length === 0 ? (
            <Text c="dimmed" data-testid="lists-empty">
              {lists.data.length === 0 ? 'No list yet. Create one with New list.' : 'No list has this name.'}
            </Text>
          ) : (
            <Table striped highlightOnHover verticalSpacing="sm" data-testid="lists-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th ta="right">Donors</Table.Th>
                  <Table.Th>Campaigns</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((l) => (
                  <Table.Tr
                    key={l.id}
                    data-testid="list-row"
                    data-list-name={l.name}
                    data-list-id={l.id}
                    style={{ cursor: 'pointer' }}
                    onClick={() => void navigate(`/manager/lists/${l.id}`)}
                  >
                    <Table.Td>
                      <Anchor
                        component={Link}
                        to={`/manager/lists/${l.id}`}
                        fw={600}
                        onClick={(e) => e.stopPropagation()}
                      >
                        {l.name}
                      </Anchor>
                      {l.description !== '' && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {l.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right" data-testid="list-donor-count">
                      {l.donorCount.toLocaleString()}
                    </Table.Td>
                    <Table.Td>
                      {l.campaigns.length === 0 ? (
                        <Text size="sm" c="dimmed">
                          None
                        </Text>
                      ) : (
                        <Group gap={4}>
                          {l.campaigns.map((c) => (
                            <Badge key={c.id} variant="light" title={`Priority ${c.priority}`}>
                              {c.name}
                            </Badge>
                          ))}
                        </Group>
                      )}
                    </Table.Td>
                    <Table.Td>{formatDate(l.createdAt)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Paper>
      )}
      <ListFormModal list={null} opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
