import { useHotkeys } from '@mantine/hooks';

/** Inputs whose keys are not typing: a shortcut still fires while one has the focus. */
const NOT_TYPING_INPUTS = new Set(['radio', 'checkbox', 'button', 'submit', 'reset']);

/** True while the key goes into something the agent types in (a text field, textarea, select, editable). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLInputElement) return !NOT_TYPING_INPUTS.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

/**
 * One-key shortcuts for the main actions (S, K, E; A and D on an incoming call). Ignored while
 * typing in a text field, textarea, select or editable element (a focused radio or checkbox, such
 * as the incoming call's donor choice, does not count as typing), for held keys, with a modifier
 * (Ctrl+A still selects all), and when `enabled` is false: the caller turns them off while one of
 * its modals, or the page's (dialer, break, calls), is open.
 */
export function useShortcuts(shortcuts: readonly (readonly [key: string, action: () => void])[], enabled: boolean) {
  useHotkeys(
    shortcuts.map(([key, action]) => [
      key,
      (event: KeyboardEvent) => {
        if (!enabled || event.repeat || isTypingTarget(event.target)) return;
        event.preventDefault();
        action();
      },
      // Only a shortcut that fires keeps its key from the page (decided above, not by useHotkeys).
      { preventDefault: false },
    ]),
    // Which targets count as typing is decided above (useHotkeys' default would ignore every input).
    [],
  );
}
