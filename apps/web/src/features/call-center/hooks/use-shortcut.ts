import { useHotkeys } from '@mantine/hooks';

/**
 * One-key shortcuts for the main actions (S, K, E). Ignored while typing in an input, textarea or
 * select (useHotkeys' default) and when `enabled` is false: the caller turns them off while one of
 * its modals, or the page's (dialer, break, calls), is open.
 */
export function useShortcuts(shortcuts: readonly (readonly [key: string, action: () => void])[], enabled: boolean) {
  useHotkeys(
    shortcuts.map(([key, action]) => [
      key,
      (event: KeyboardEvent) => {
        if (!enabled || event.repeat) return;
        if (event.target instanceof HTMLElement && event.target.isContentEditable) return;
        event.preventDefault();
        action();
      },
    ]),
  );
}
