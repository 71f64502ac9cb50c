import { Button, Group, Text } from '@mantine/core';

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** "N calls shown" and, while the server has more, a Load more button (an infinite query's). */
export function LoadMoreFooter(props: { shown: number; noun: string; pages: Pages; testId: string }) {
  const { shown, noun, pages, testId } = props;
  return (
    <Group justify="space-between" mt="sm">
      <Text size="sm" c="dimmed" data-testid={`${testId}-count`}>
        {shown} {noun}
        {shown === 1 ? '' : 's'} shown
      </Text>
      {pages.hasNextPage && (
        <Button
          variant="default"
          onClick={() => void pages.fetchNextPage()}
          loading={pages.isFetchingNextPage}
          data-testid={`${testId}-more`}
        >
          Load more
        </Button>
      )}
    </Group>
  );
}
