import { IconActivity, IconListDetails, IconSpeakerphone, IconUsersGroup } from '@tabler/icons-react';
import { PageHeader } from '../../../components/page-header';
import { PlannedAreas } from '../../../components/planned-areas';
import type { PlannedArea } from '../../../components/planned-areas';

const AREAS: readonly PlannedArea[] = [
  {
    title: 'Teams',
    description: 'Group agents into teams, name their leaders and choose the campaigns they work.',
    icon: <IconUsersGroup size={20} />,
  },
  {
    title: 'Campaigns',
    description: 'Set the purpose, dates, calling hours, maximum attempts and the script for agents.',
    icon: <IconSpeakerphone size={20} />,
  },
  {
    title: 'Lists',
    description: 'Build donor lists from a CSV import or a donor search, and connect them to campaigns.',
    icon: <IconListDetails size={20} />,
  },
  {
    title: 'Live floor',
    description: 'See who is on a shift, on a call or on a break, and how each campaign is going.',
    icon: <IconActivity size={20} />,
  },
];

export function ManagerOverviewPage() {
  return (
    <>
      <PageHeader
        title="Manager overview"
        description="Where managers will organise the call center and follow the work as it happens."
      />
      <PlannedAreas areas={AREAS} />
    </>
  );
}
