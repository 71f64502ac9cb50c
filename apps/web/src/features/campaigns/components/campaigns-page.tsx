import { campaignPurposeLabels, campaignPurposes, createCampaignBodySchema } from '@engage/contracts';
import type { CampaignPurpose, CampaignStatus } from '@engage/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconFileTypeCsv, IconPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { PageHeader } from '../../../components/page-header';
import { validateWithSchema } from '../../../lib/form-validation';
import { formatDate } from '../../../lib/time';
import { useCurrentUser } from '../../../lib/session';
import { showServerError } from '../../../lib/form-errors';
import { useTeams } from '../../teams/api/teams-api';
import { useCampaigns, useCreateCampaign } from '../api/campaigns-api';
import { statusColors, statusLabels } from '../utils/labels';
import { CampaignFromFileWizard } from './campaign-from-file-wizard';
import { MultiSelectField } from '../../../components/multi-select-field';

/** Campaigns of the teams the manager leads (an admin: all), with their status; create one. */
export function CampaignsPage() {
  const campaigns = useCampaigns();
  const [status, setStatus] = useState<'all' | CampaignStatus>('all');
  const [creating, setCreating] = useState(false);
  const [fromFile, setFromFile] = useState(false);
  const shown = useMemo(
    () => (campaigns.data ?? []).filter((c) => status === 'all' || c.status === status),
    [campaigns.data, status],
  );

  return (
    <>
      <PageHeader
        title="Campaigns"
        description="What agents call for: the teams that work each campaign, its lists and its status."
      />
      <Paper withBorder p="md" radius="md">
        <Group justify="space-between" mb="md">
          <SegmentedControl
            value={status}
            onChange={(v) => setStatus(v)}
            data={[
              { value: 'all', label: 'All' },
              ...(['active', 'paused', 'draft', 'finished'] as const).map((s) => ({
                value: s,
                label: statusLabels[s],
              })),
            ]}
            data-testid="campaign-status-filter"
          />
          <Group gap="sm">
            <Button
              variant="light"
              leftSection={<IconFileTypeCsv size={16} />}
              onClick={() => setFromFile(true)}
              data-testid="campaign-from-file"
            >
              New campaign from a file
            </Button>
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setCreating(true)}
              data-testid="campaign-create"
            >
              New campaign
            </Button>
          </Group>
        </Group>
        {campaigns.isPending && <Loader />}
        {campaigns.isError && (
          <Alert color="red" title="The campaigns could not be loaded">
            {campaigns.error.message}
          </Alert>
        )}
        {campaigns.data && shown.length === 0 && (
          <Text c="dimmed" data-testid="campaigns-empty">
            {campaigns.data.length === 0 ? 'No campaign yet: create the first one.' : 'No campaign with this status.'}
          </Text>
        )}
        {shown.length > 0 && (
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="campaigns-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Purpose</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Teams</Table.Th>
                <Table.Th>Lists</Table.Th>
                <Table.Th>Donors</Table.Th>
                <Table.Th>Dates</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((c) => (
                <Table.Tr key={c.id} data-testid="campaign-row" data-name={c.name} data-status={c.status}>
                  <Table.Td>
                    <Anchor component={Link} to={`/manager/campaigns/${c.id}`} fw={500} data-testid="campaign-link">
                      {c.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{campaignPurposeLabels[c.purpose]}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColors[c.status]} variant="light" data-testid="campaign-status">
                      {statusLabels[c.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{c.teams.map((t) => t.name).join(', ') || '—'}</Table.Td>
                  <Table.Td>{c.listCount}</Table.Td>
                  <Table.Td>{c.donorCount.toLocaleString()}</Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {c.startsOn ? formatDate(c.startsOn) : 'From now'} – {c.endsOn ? formatDate(c.endsOn) : 'no end'}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={650}>New campaign</Text>} centered>
        {creating && <CreateCampaignForm onDone={() => setCreating(false)} />}
      </Modal>
      <CampaignFromFileWizard opened={fromFile} onClose={() => setFromFile(false)} />
    </>
  );
}

interface Values {
  name: string;
  purpose: CampaignPurpose | null;
  teamIds: string[];
}

function CreateCampaignForm({ onDone }: { onDone: () => void }) {
  const me = useCurrentUser();
  const teams = useTeams();
  const create = useCreateCampaign();
  const navigate = useNavigate();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { name: '', purpose: null, teamIds: [] },
    validate: validateWithSchema(createCampaignBodySchema.pick({ name: true, purpose: true }), {
      // A manager's campaign needs one of their teams, an admin's none: the server decides by role.
      extra: (values: Values) => ({
        teamIds: me.role !== 'admin' && values.teamIds.length === 0 ? 'Choose at least one of your teams' : null,
      }),
    }),
  });
  const submit = form.onSubmit((v) => {
    if (v.purpose === null) return;
    create.mutate(
      { name: v.name.trim(), purpose: v.purpose, teamIds: v.teamIds.map(Number) },
      {
        onSuccess: (campaign) => {
          onDone();
          void navigate(`/manager/campaigns/${campaign.id}`);
        },
        onError: (error) => showServerError(form, ['name', 'purpose', 'teamIds'], error),
      },
    );
  });
  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <TextInput
          {...form.getInputProps('name')}
          label="Name"
          placeholder="e.g. Spring thank-you calls"
          withAsterisk
          data-autofocus
          data-testid="campaign-name"
        />
        <Select
          {...form.getInputProps('purpose')}
          label="Purpose"
          placeholder="Choose a purpose"
          data={campaignPurposes.map((p) => ({ value: p, label: campaignPurposeLabels[p] }))}
          withAsterisk
          allowDeselect={false}
          data-testid="campaign-purpose"
        />
        <MultiSelectField
          {...form.getInputProps('teamIds')}
          label="Teams"
          placeholder={teams.isPending ? 'Loading teams…' : 'Who works this campaign'}
          description={me.role === 'admin' ? undefined : 'Teams you lead.'}
          data={(teams.data ?? []).map((t) => ({ value: String(t.id), label: t.name }))}
          withAsterisk={me.role !== 'admin'}
          searchable
          nothingFoundMessage={teams.data?.length === 0 ? 'Create a team first (Teams page)' : 'No team by that name'}
          data-testid="campaign-team-select"
        />
        <Text size="sm" c="dimmed">
          The campaign starts as a draft. On its page, set its dates, calling hours and script, connect lists, then
          activate it.
        </Text>
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" loading={create.isPending} data-testid="campaign-save">
            Create campaign
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
