import { Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';

/** The title of a page in the app shell; also sets the browser tab's title. */
export function PageHeader({ title, description }: { title: string; description?: string }) {
  useDocumentTitle(`${title} · Engage Call Center`);
  return (
    <Stack gap={4} mb="lg">
      <Title order={1} size="h2" data-testid="page-title">
        {title}
      </Title>
      {description !== undefined && (
        <Text c="dimmed" data-testid="page-description">
          {description}
        </Text>
      )}
    </Stack>
  );
}
