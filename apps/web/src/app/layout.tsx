import { AppShell, Container } from '@mantine/core';
import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import { useLiveEvents } from '../lib/live-events';
import { AppHeader } from './app-header';

/** The signed-in shell: top menu bar and the page below it. */
export function AppLayout({ children }: { children?: ReactNode }) {
  useLiveEvents();
  return (
    <AppShell header={{ height: 60 }} padding="xl">
      <AppShell.Header>
        <AppHeader />
      </AppShell.Header>
      <AppShell.Main bg="gray.0">
        <Container fluid px={0}>
          {children ?? <Outlet />}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
