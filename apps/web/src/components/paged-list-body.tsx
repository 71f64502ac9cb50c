import { Alert, Center, Loader, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { isApiError } from '../lib/api-error';
import { LoadMoreFooter } from './load-more-footer';

/** An infinite query, as the body of a paged list reads it. */
interface PagedQuery {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/**
 * The body of a paged list (the Calls list, the Inbound calls view): a loader while the first page
 * loads, the server's error (else `loadFailed`), `empty` when nothing matches the filters, else
 * the table (`children`) with "N <noun>s shown" and Load more. Test ids: `<testId>-error`,
 * `<testId>-empty`, `<testId>-count`, `<testId>-more`.
 */
export function PagedListBody(props: {
  query: PagedQuery;
  shown: number;
  noun: string;
  testId: string;
  /** Shown when the error is not the server's (a network failure): say what to do. */
  loadFailed: string;
  empty: string;
  children: ReactNode;
}) {
  const { query, shown, noun, testId, loadFailed, empty, children } = props;
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} data-testid={`${testId}-error`}>
        {isApiError(query.error) ? query.error.message : loadFailed}
      </Alert>
    );
  }
  if (shown === 0) {
    return (
      <Text c="dimmed" data-testid={`${testId}-empty`}>
        {empty}
      </Text>
    );
  }
  return (
    <>
      {children}
      <LoadMoreFooter shown={shown} noun={noun} pages={query} testId={testId} />
    </>
  );
}
