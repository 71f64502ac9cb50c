import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';

import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { queryClient } from '../lib/query-client';
import { theme } from './theme';

/**
 * The nonce the server gave this page (`<meta property="csp-nonce">`): its Content-Security-Policy
 * allows <style> tags only with it, and Mantine writes its CSS variables into such tags.
 */
const styleNonce = document.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]')?.nonce ?? '';

declare global {
  // Read by get-nonce, through which react-remove-scroll (Mantine's Modal and Drawer) writes its <style> tag.
  var __webpack_nonce__: string | undefined;
}
globalThis.__webpack_nonce__ = styleNonce || undefined;

export function Providers({ children }: { children: ReactNode }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" getStyleNonce={() => styleNonce}>
      {/* Product requirement: every popup appears at the bottom right. */}
      <Notifications position="bottom-right" limit={4} />
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  );
}
