import { IconClockHour4, IconId, IconListCheck, IconUsers } from '@tabler/icons-react';
import { PageHeader } from '../../../components/page-header';
import { PlannedAreas } from '../../../components/planned-areas';
import type { PlannedArea } from '../../../components/planned-areas';

const AREAS: readonly PlannedArea[] = [
  {
    title: 'Users',
    description: 'Invite staff, give each one a role (admin, manager or agent) and disable accounts.',
    icon: <IconUsers size={20} />,
  },
  {
    title: 'Job roles',
    description: 'Name the roles agents sign in under and whether they take outbound, inbound or both.',
    icon: <IconId size={20} />,
  },
  {
    title: 'Reasons',
    description: 'Edit, reorder and retire the skip, end and break reasons agents choose from.',
    icon: <IconListCheck size={20} />,
  },
  {
    title: 'Calling rules',
    description: 'Set how long an offered donor is held and the defaults new campaigns start from.',
    icon: <IconClockHour4 size={20} />,
  },
];

export function AdminSettingsPage() {
  return (
    <>
      <PageHeader
        title="Admin settings"
        description="Where administrators will keep the settings the whole call center works with."
      />
      <PlannedAreas areas={AREAS} />
    </>
  );
}
