import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconBell, IconCheck, IconInfoCircle } from '@tabler/icons-react';
import { createElement } from 'react';
import { isApiError } from './api-error';
import { errorTitle } from './error-title';

const GENERIC_ERROR_MESSAGE = 'Something went wrong. Try again; if it keeps happening, reload the page.';

/** Green confirmation popup (bottom right, like every popup in the app). */
export function notifySuccess(message: string, title?: string): void {
  notifications.show({
    color: 'teal',
    title,
    message,
    icon: createElement(IconCheck, { size: 18 }),
    'data-testid': 'toast-success',
  });
}

/** Yellow popup: nothing failed, but the agent should know (e.g. "Out of Data"). */
export function notifyWarning(title: string, message: string): void {
  notifications.show({
    color: 'yellow',
    title,
    message,
    icon: createElement(IconInfoCircle, { size: 18 }),
    autoClose: 8000,
    'data-testid': 'toast-warning',
  });
}

/** Blue reminder popup that stays until closed (a call-back is due). */
export function notifyReminder(title: string, message: string): void {
  notifications.show({
    color: 'blue',
    title,
    message,
    icon: createElement(IconBell, { size: 18 }),
    autoClose: false,
    'data-testid': 'toast-reminder',
  });
}

/** Red error popup: the one place errors of actions are shown when no form shows them inline. */
export function notifyError(error: unknown): void {
  const apiError = isApiError(error) ? error : undefined;
  notifications.show({
    color: 'red',
    title: apiError ? errorTitle(apiError.code) : 'Something went wrong',
    message: apiError ? apiError.message : GENERIC_ERROR_MESSAGE,
    icon: createElement(IconAlertTriangle, { size: 18 }),
    autoClose: 8000,
    'data-testid': 'toast-error',
  });
}
