import { isApiError } from './api-error';
import { notifyError } from './notify';

/**
 * Shows a refusal from the server: each issue that names one of the form's fields ("body.phone"
 * → `phone`) next to that field; the message as a toast unless the fields already say it all, or
 * through `showMessage` when the form has a place for it (an alert inside a modal).
 */
export function showServerError(
  form: { setFieldError: (path: string, error: string) => void },
  fields: readonly string[],
  error: unknown,
  showMessage: (error: unknown) => void = notifyError,
): void {
  let shown = false;
  if (isApiError(error)) {
    for (const issue of error.issues) {
      const field = issue.path.replace(/^body\./, '');
      if (fields.includes(field)) {
        form.setFieldError(field, issue.message);
        shown = true;
      }
    }
    if (shown && error.code === 'validation_failed') return;
  }
  showMessage(error);
}
