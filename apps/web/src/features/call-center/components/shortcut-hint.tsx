import { Kbd } from '@mantine/core';

/** The key of a shortcut, shown on its button (the button itself carries `aria-keyshortcuts`). */
export function ShortcutHint({ keyLabel }: { keyLabel: string }) {
  return (
    <Kbd size="xs" aria-hidden>
      {keyLabel}
    </Kbd>
  );
}
