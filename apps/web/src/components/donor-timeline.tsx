import type { DonorProfile } from '@engage/contracts';
import { Text, Timeline } from '@mantine/core';
import { IconCalendarEvent, IconCash, IconHistory, IconNote, IconPhoneCall } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { formatDateTime } from '../lib/time';

type TimelineItem = DonorProfile['timeline'][number];

/** A change to the donor's details, from the audit trail (the manager's page): `body` shows what changed. */
export interface TimelineChange {
  kind: 'change';
  id: number;
  at: string;
  title: string;
  body: ReactNode;
}

const ICONS = {
  call: <IconPhoneCall size={12} />,
  appointment: <IconCalendarEvent size={12} />,
  note: <IconNote size={12} />,
  donation: <IconCash size={12} />,
  change: <IconHistory size={12} />,
} as const;

/**
 * A donor's calls, call-backs, notes and gifts (and, on the manager's page, changes to their
 * details), in the order given: the agent's card and the manager's page.
 */
export function DonorTimelineItems({ items }: { items: readonly (TimelineItem | TimelineChange)[] }) {
  return (
    <Timeline bulletSize={22} lineWidth={2}>
      {items.map((item, index) => (
        <Timeline.Item
          key={item.kind === 'change' ? `change-${item.id}` : `${item.at}-${index}`}
          bullet={ICONS[item.kind]}
          title={item.title}
          data-testid={item.kind === 'change' ? 'donor-timeline-change' : undefined}
        >
          <Text size="xs" c="dimmed">
            {formatDateTime(item.at)}
          </Text>
          {item.kind === 'change' ? (
            <div style={{ marginTop: 2 }}>{item.body}</div>
          ) : (
            item.detail !== '' && (
              <Text size="sm" mt={2}>
                {item.detail}
              </Text>
            )
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
