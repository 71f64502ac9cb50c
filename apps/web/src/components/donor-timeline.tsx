import type { DonorProfile } from '@engage/contracts';
import { Text, Timeline } from '@mantine/core';
import { IconCalendarEvent, IconCash, IconNote, IconPhoneCall } from '@tabler/icons-react';
import { formatDateTime } from '../lib/time';

type TimelineItem = DonorProfile['timeline'][number];

const ICONS = {
  call: <IconPhoneCall size={12} />,
  appointment: <IconCalendarEvent size={12} />,
  note: <IconNote size={12} />,
  donation: <IconCash size={12} />,
} as const;

/** A donor's calls, call-backs, notes and gifts, in the order given: the agent's card and the manager's page. */
export function DonorTimelineItems({ items }: { items: readonly TimelineItem[] }) {
  return (
    <Timeline bulletSize={22} lineWidth={2}>
      {items.map((item, index) => (
        <Timeline.Item key={`${item.at}-${index}`} bullet={ICONS[item.kind]} title={item.title}>
          <Text size="xs" c="dimmed">
            {formatDateTime(item.at)}
          </Text>
          {item.detail !== '' && (
            <Text size="sm" mt={2}>
              {item.detail}
            </Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
