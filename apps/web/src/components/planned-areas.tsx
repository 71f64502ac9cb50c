import { Badge, Card, Group, SimpleGrid, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';

export interface PlannedArea {
  title: string;
  description: string;
  icon: ReactNode;
}

/** Cards naming the work that will live on a landing page, marked as not yet available. */
export function PlannedAreas({ areas }: { areas: readonly PlannedArea[] }) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" data-testid="planned-areas">
      {areas.map((area) => (
        <Card key={area.title} withBorder padding="lg">
          <Group gap="sm" mb="xs" wrap="nowrap">
            <ThemeIcon variant="light" size="lg">
              {area.icon}
            </ThemeIcon>
            <Text fw={600}>{area.title}</Text>
            <Badge ml="auto" variant="outline" color="gray" size="sm">
              Coming soon
            </Badge>
          </Group>
          <Text size="sm" c="dimmed">
            {area.description}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
