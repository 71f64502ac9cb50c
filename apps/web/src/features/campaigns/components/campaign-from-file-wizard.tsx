import { campaignPurposeLabels, campaignPurposes, WEEKDAYS } from '@engage/contracts';
import type { CampaignPurpose, StartImportBody, UploadedImport } from '@engage/contracts';
import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconExternalLink, IconPlayerPlay, IconPoint } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { apiCall } from '../../../lib/api';
import { isApiError } from '../../../lib/api-error';
import { notifySuccess } from '../../../lib/notify';
import { useCurrentUser } from '../../../lib/session';
import { MappingStep, UploadStep } from '../../lists/components/import-wizard';
import { listsKeys, uploadImport } from '../../lists/api/lists-api';
import { useOrganisationSettings } from '../../organisation/api/organisation-api';
import { useTeams } from '../../teams/api/teams-api';
import { campaignsQueryKey } from '../api/campaigns-api';
import { dayError, toWeekdayHours, WeekdayHoursGrid, type DayRow } from '../../../components/weekday-hours-grid';

/** New campaigns call Monday to Friday 09:00-20:00 and Saturday 10:00-16:00 (as the demo's do). */
const DEFAULT_DAYS: DayRow[] = [
  ...Array.from({ length: 5 }, () => ({ open: true, start: '09:00', end: '20:00' })),
  { open: true, start: '10:00', end: '16:00' },
  { open: false, start: '09:00', end: '20:00' },
];

/**
 * What launching has done so far. Launch runs the existing operations in order (start the import,
 * create the campaign with its team and hours, connect the list, activate it), each with the
 * server's own checks; a failure stops it, says what exists and what to do, and Launch again goes
 * on from the step that failed: nothing is made twice.
 */
interface Made {
  importStarted: boolean;
  campaign: { id: number; name: string } | null;
  connected: boolean;
  active: boolean;
}

const agentCount = (n: number) => `${n} ${n === 1 ? 'agent' : 'agents'}`;

const NOTHING_MADE: Made = { importStarted: false, campaign: null, connected: false, active: false };

/** "New campaign from a file" on the Campaigns page: upload, columns, team, name and hours, launch. */
export function CampaignFromFileWizard({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={650}>New campaign from a file</Text>}
      size="xl"
      centered
      closeOnClickOutside={false}
      closeOnEscape={false}
      withCloseButton={false}
    >
      {opened && <FromFile onClose={onClose} />}
    </Modal>
  );
}

function FromFile({ onClose }: { onClose: () => void }) {
  const me = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const teams = useTeams();
  const settings = useOrganisationSettings();
  const [step, setStep] = useState(0);
  const list = useRef<{ id: number; name: string } | null>(null);
  const [madeList, setMadeList] = useState<{ id: number; name: string } | null>(null);
  const [uploaded, setUploaded] = useState<UploadedImport | null>(null);
  const [mapped, setMapped] = useState<StartImportBody | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState<CampaignPurpose | null>(null);
  const [days, setDays] = useState<DayRow[]>(DEFAULT_DAYS);
  const [detailsError, setDetailsError] = useState<{ name?: string; purpose?: string; days?: string }>({});
  const [made, setMade] = useState<Made>(NOTHING_MADE);
  const [launching, setLaunching] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [closing, setClosing] = useState(false);

  const teamList = teams.data ?? [];
  const team = teamList.find((t) => String(t.id) === teamId) ?? (teamList.length === 1 ? teamList[0] : undefined);
  const agents = team?.members.filter((m) => !m.isLeader) ?? [];

  /** The list the file goes into: made at the first upload, named after the file. */
  const ensureList = async (file: File): Promise<number> => {
    if (list.current) return list.current.id;
    const base = file.name.replace(/\.(csv|txt)$/i, '').slice(0, 70);
    const stamp = new Date().toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
    const created = await apiCall('createList', {
      body: { name: `${base} (${stamp})`, description: `Made by "New campaign from a file" for ${file.name}.` },
    });
    list.current = { id: created.id, name: created.name };
    setMadeList(list.current);
    void queryClient.invalidateQueries({ queryKey: listsKeys.all, exact: true });
    return created.id;
  };

  const checkDetails = (): boolean => {
    const errors = {
      name: name.trim() === '' ? 'Enter a name' : undefined,
      purpose: purpose === null ? 'Choose a purpose' : undefined,
      days: days.some((d) => dayError(d) !== null) ? 'Correct the calling hours' : undefined,
    };
    setDetailsError(errors);
    return !errors.name && !errors.purpose && !errors.days;
  };

  const launch = async () => {
    if (!uploaded || !mapped || !team || purpose === null || !list.current) return;
    setLaunching(true);
    setFailure(null);
    let now = made;
    const done = (patch: Partial<Made>) => {
      now = { ...now, ...patch };
      setMade(now);
    };
    try {
      if (!now.importStarted) {
        await apiCall('startImport', { params: { importId: uploaded.import.id }, body: mapped });
        done({ importStarted: true });
      }
      if (!now.campaign) {
        const c = await apiCall('createCampaign', {
          body: { name: name.trim(), purpose, teamIds: [team.id], weekdayHours: toWeekdayHours(days) },
        });
        done({ campaign: { id: c.id, name: c.name } });
      }
      const campaignId = now.campaign!.id;
      if (!now.connected) {
        await apiCall('connectList', { params: { campaignId }, body: { listId: list.current.id } });
        done({ connected: true });
      }
      if (!now.active) {
        await apiCall('updateCampaign', { params: { campaignId }, body: { status: 'active' } });
        done({ active: true });
      }
      notifySuccess(`${now.campaign!.name} is active: agents of ${team.name} can call as soon as donors are imported`);
      onClose();
      void navigate(`/manager/campaigns/${campaignId}?import=${uploaded.import.id}`);
    } catch (err) {
      setFailure(isApiError(err) ? err.message : 'Something went wrong. Try again.');
    } finally {
      setLaunching(false);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: campaignsQueryKey }),
        queryClient.invalidateQueries({ queryKey: ['teams'] }),
        queryClient.invalidateQueries({ queryKey: ['lists'] }),
      ]);
    }
  };

  const legal = settings.data?.legalWindow;
  const madeSoFar = (
    <CreatedSoFar
      listId={madeList?.id ?? null}
      listName={madeList?.name ?? null}
      made={made}
      fileName={uploaded?.import.fileName}
    />
  );

  if (closing) {
    return (
      <Stack gap="md" data-testid="from-file-closing">
        <Text size="sm">Close the new campaign? What was made so far stays:</Text>
        {madeSoFar}
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setClosing(false)} data-testid="from-file-keep">
            Keep working
          </Button>
          <Button color="red" onClick={onClose} data-testid="from-file-close-confirm">
            Close
          </Button>
        </Group>
      </Stack>
    );
  }

  const cancel = (
    <Button
      variant="subtle"
      color="gray"
      onClick={() => (madeList ? setClosing(true) : onClose())}
      disabled={launching}
      data-testid="from-file-cancel"
    >
      Cancel
    </Button>
  );

  return (
    <Stack gap="md" data-testid="from-file-wizard">
      <Stepper active={step} size="sm" allowNextStepsSelect={false} onStepClick={launching ? undefined : setStep}>
        <Stepper.Step label="File" allowStepSelect={!made.importStarted}>
          <Stack gap="md" mt="md">
            <UploadStep
              upload={async (file, progress, signal) => uploadImport(await ensureList(file), file, progress, signal)}
              onUploaded={(u) => {
                setUploaded(u);
                setMapped(null);
                setStep(1);
              }}
            />
            <Group>{cancel}</Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Columns" allowStepSelect={!made.importStarted && uploaded !== null}>
          {uploaded && (
            <Stack gap="md" mt="md">
              <MappingStep
                uploaded={uploaded}
                listId={uploaded.import.listId}
                initial={mapped}
                onMapped={(body) => {
                  setMapped(body);
                  setStep(2);
                }}
                onBack={() => setStep(0)}
              />
              <Group>{cancel}</Group>
            </Stack>
          )}
        </Stepper.Step>
        <Stepper.Step label="Team" allowStepSelect={mapped !== null && !made.campaign}>
          <Stack gap="md" mt="md" data-testid="from-file-team-step">
            {teams.data && teamList.length === 0 ? (
              <Alert color="yellow" title={me.role === 'admin' ? 'There is no team yet' : 'You lead no team yet'}>
                <Stack gap="xs">
                  <Text size="sm">
                    A campaign is called by a team. Make one with its agents on the{' '}
                    <Anchor component={Link} to="/manager/teams" target="_blank">
                      Teams page <IconExternalLink size={12} />
                    </Anchor>{' '}
                    (it opens beside this one), then come back: nothing here is lost.
                  </Text>
                  <Group>
                    <Button variant="default" size="xs" onClick={() => void teams.refetch()} loading={teams.isFetching}>
                      Look again
                    </Button>
                  </Group>
                </Stack>
              </Alert>
            ) : (
              <Select
                label="Team that calls"
                description={me.role === 'admin' ? undefined : 'One of the teams you lead'}
                placeholder={teams.isPending ? 'Loading teams…' : 'Choose a team'}
                data={teamList.map((t) => ({
                  value: String(t.id),
                  label: `${t.name} (${agentCount(t.members.filter((m) => !m.isLeader).length)})`,
                }))}
                value={team ? String(team.id) : null}
                onChange={setTeamId}
                searchable
                allowDeselect={false}
                maw={420}
                data-testid="from-file-team"
              />
            )}
            {team && (
              <Text size="sm" c="dimmed" data-testid="from-file-team-agents">
                {agents.length === 0
                  ? `${team.name} has no agents yet: add them on the Teams page before agents can call.`
                  : `Agents: ${agents.map((a) => a.name).join(', ')}`}
              </Text>
            )}
            <Group justify="space-between">
              {cancel}
              <Group gap="sm">
                <Button variant="default" onClick={() => setStep(1)} disabled={made.importStarted}>
                  Back
                </Button>
                <Button onClick={() => setStep(3)} disabled={!team} data-testid="from-file-team-next">
                  Next
                </Button>
              </Group>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Name and hours" allowStepSelect={mapped !== null && team !== undefined && !made.campaign}>
          <Stack gap="md" mt="md">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label="Campaign name"
                placeholder="e.g. Spring thank-you calls"
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={detailsError.name}
                withAsterisk
                data-testid="from-file-name"
              />
              <Select
                label="Purpose"
                placeholder="Choose a purpose"
                data={campaignPurposes.map((p) => ({ value: p, label: campaignPurposeLabels[p] }))}
                value={purpose}
                onChange={(v) => setPurpose(v)}
                error={detailsError.purpose}
                withAsterisk
                allowDeselect={false}
                data-testid="from-file-purpose"
              />
            </SimpleGrid>
            <WeekdayHoursGrid days={days} onChange={setDays} errors={days.map(dayError)} />
            {detailsError.days && (
              <Text size="sm" c="red">
                {detailsError.days}
              </Text>
            )}
            {legal && (
              <Text size="sm" c="dimmed" data-testid="from-file-legal-window">
                The legal calling window is {legal.start}–{legal.end === '24:00' ? '00:00' : legal.end} donor time
                {legal.closedWeekdays.length > 0
                  ? `, with no calls on ${legal.closedWeekdays.map((d) => `${WEEKDAYS[d - 1]}s`).join(' and ')}`
                  : ''}
                : hours beyond it are clipped, and the campaign page says so.
              </Text>
            )}
            <Group justify="space-between">
              {cancel}
              <Group gap="sm">
                <Button variant="default" onClick={() => setStep(2)}>
                  Back
                </Button>
                <Button onClick={() => checkDetails() && setStep(4)} data-testid="from-file-details-next">
                  Next
                </Button>
              </Group>
            </Group>
          </Stack>
        </Stepper.Step>
        <Stepper.Step label="Launch">
          <Stack gap="md" mt="md" data-testid="from-file-review">
            <List size="sm" spacing={4}>
              <List.Item>
                File <b>{uploaded?.import.fileName}</b>
                {uploaded?.import.totalRows != null &&
                  ` (${uploaded.import.totalRows.toLocaleString()} ${uploaded.import.totalRows === 1 ? 'row' : 'rows'})`}{' '}
                into a new list <b>{madeList?.name}</b>
              </List.Item>
              <List.Item>
                Called by <b>{team?.name}</b>
                {agents.length > 0 && ` (${agentCount(agents.length)})`}
              </List.Item>
              <List.Item>
                Campaign <b>{name.trim()}</b>
                {purpose && `, ${campaignPurposeLabels[purpose]}`}
              </List.Item>
              <List.Item>
                Calls{' '}
                {days
                  .map((d, i) =>
                    d.open
                      ? `${WEEKDAYS[i]!.slice(0, 3)} ${d.start === '00:00' && d.end === '00:00' ? 'all day' : `${d.start}–${d.end}`}`
                      : null,
                  )
                  .filter(Boolean)
                  .join(', ') || 'on no day'}
              </List.Item>
            </List>
            <Text size="sm" c="dimmed">
              Launch starts the import, creates the campaign with the team and the list connected, and activates it.
              Agents are offered donors as they are imported.
            </Text>
            {(made.importStarted || failure) && madeSoFar}
            {failure && (
              <Alert
                color="red"
                icon={<IconAlertTriangle size={18} />}
                title="Launch stopped"
                data-testid="from-file-failure"
              >
                <Text size="sm">{failure}</Text>
                <Text size="sm" mt="xs">
                  {made.campaign
                    ? 'Correct it and press Launch again: it goes on from here. Or close: the campaign stays as a draft on the Campaigns page.'
                    : 'Correct it (Back changes the name, hours or team) and press Launch again: what is done above is not done twice.'}
                </Text>
              </Alert>
            )}
            <Group justify="space-between">
              {cancel}
              <Group gap="sm">
                <Button variant="default" onClick={() => setStep(3)} disabled={launching || made.campaign !== null}>
                  Back
                </Button>
                <Button
                  leftSection={<IconPlayerPlay size={16} />}
                  onClick={() => void launch()}
                  loading={launching}
                  data-testid="from-file-launch"
                >
                  {failure ? 'Launch again' : 'Launch'}
                </Button>
              </Group>
            </Group>
          </Stack>
        </Stepper.Step>
      </Stepper>
    </Stack>
  );
}

/** What exists so far, each with where to find it: said on a failure and before closing. */
function CreatedSoFar({
  listId,
  listName,
  made,
  fileName,
}: {
  listId: number | null;
  listName: string | null;
  made: Made;
  fileName: string | undefined;
}) {
  const item = (ok: boolean, text: ReactNode) => (
    <List.Item
      icon={
        <ThemeIcon size={18} radius="xl" color={ok ? 'teal' : 'gray'} variant={ok ? 'filled' : 'light'}>
          {ok ? <IconCheck size={12} /> : <IconPoint size={12} />}
        </ThemeIcon>
      }
    >
      {text}
    </List.Item>
  );
  return (
    <List size="sm" spacing={4} data-testid="from-file-made">
      {item(
        listId !== null,
        listId !== null ? (
          <>
            List{' '}
            <Anchor component={Link} to={`/manager/lists/${listId}`} target="_blank">
              {listName}
            </Anchor>{' '}
            {made.importStarted
              ? 'made, its import running'
              : fileName
                ? `made, with ${fileName} uploaded but not imported (the upload is deleted after a day; import it from the list's page)`
                : "made, still empty: the upload did not finish (import a file from the list's page)"}
          </>
        ) : (
          'No list made yet'
        ),
      )}
      {item(
        made.campaign !== null,
        made.campaign ? (
          <>
            Campaign{' '}
            <Anchor component={Link} to={`/manager/campaigns/${made.campaign.id}`} target="_blank">
              {made.campaign.name}
            </Anchor>{' '}
            {made.active ? 'active' : 'made as a draft'}
          </>
        ) : (
          'Campaign not made yet'
        ),
      )}
      {item(made.connected, made.connected ? 'List connected to the campaign' : 'List not connected yet')}
      {item(made.active, made.active ? 'Campaign active' : 'Campaign not active yet')}
    </List>
  );
}
