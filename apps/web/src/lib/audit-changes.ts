import type { AuditTrailEntry } from '@engage/contracts';
import { formatDateTime } from './time';

/**
 * How the fields kept in audit records read to a person; ids give way to their names. Calls and
 * appointments keep camelCase fields, donors their column names (snake_case), campaigns and the
 * organisation their settings; any other field reads as its words ("maxAttempts" → "Max attempts").
 */
const FIELD_LABELS: Record<string, string> = {
  endReasonName: 'End reason',
  notes: 'Notes',
  outcomeApplied: 'Outcome applied',
  outcome: 'Outcome',
  scheduledAt: 'Scheduled at',
  ownerName: 'Owner',
  status: 'Status',
  name: 'Name',
  why: 'Why',
  alt_phone: 'Other phone',
  altPhone: 'Other phone',
  address_line1: 'Address line 1',
  addressLine1: 'Address line 1',
  address_line2: 'Address line 2',
  addressLine2: 'Address line 2',
  startsOn: 'Starts on',
  endsOn: 'Ends on',
  callingHoursStart: 'Calling hours from',
  callingHoursEnd: 'Calling hours until',
  maxAttempts: 'Most attempts',
  holdSeconds: 'Hold (seconds)',
  appointmentGraceMinutes: 'Call-back grace (minutes)',
  time_zone: 'Time zone',
  teamNames: 'Teams',
  listName: 'List',
  currencies: 'Currencies',
  defaultCurrency: 'Default currency',
  donationGraceMinutes: 'Donations after End Call (minutes)',
};

const ACTION_LABELS: Record<string, string> = {
  update: 'Changed',
  reschedule: 'Rescheduled',
  reassign: 'Reassigned',
  cancel: 'Cancelled',
  create: 'Created',
  retire: 'Retired',
  disable: 'Disabled',
  import: 'Imported',
  import_started: 'Import started',
  export: 'Exported',
  rename: 'Renamed',
  add_donors: 'Donors added',
  status_draft: 'Back to draft',
  status_active: 'Activated',
  status_paused: 'Paused',
  status_finished: 'Finished',
  connect_list: 'List connected',
  disconnect_list: 'List disconnected',
  set_list_priority: 'List priority changed',
};

/** The badge of an entry: what was done ("Corrected" for a call). */
export function actionLabel(entityType: string, action: string): string {
  if (entityType === 'call' && action === 'update') return 'Corrected';
  return ACTION_LABELS[action] ?? words(action);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Fields whose values are codes (draft, thank_you) rather than words someone typed. */
const CODE_FIELDS = new Set(['status', 'purpose']);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "maxAttempts", "do_not_call" → "Max attempts", "Do not call". */
function words(key: string): string {
  const spaced = key
    .replace(/_/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

export function labelOf(field: string): string {
  return FIELD_LABELS[field] ?? words(field);
}

export function valueText(field: string, value: unknown, timeZone: string): string {
  if (value === null || value === undefined || value === '') {
    return field === 'ownerName' ? 'Anyone in the campaign' : '(none)';
  }
  if (typeof value === 'string') {
    if (ISO_INSTANT.test(value)) return formatDateTime(value, timeZone);
    return CODE_FIELDS.has(field) ? words(value) : value;
  }
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.length === 0 ? '(none)' : value.map((v) => valueText(field, v, timeZone)).join(', ');
  }
  return JSON.stringify(value);
}

export interface Change {
  field: string;
  before: unknown;
  after: unknown;
  /** The field was not there before (a new record, or a note such as what a correction did). */
  added: boolean;
}

/**
 * The fields an entry changed; the record's own id is left out, and so is an id when its name is
 * there too (endReasonId, ownerAgentId, listId; teamIds beside teamNames).
 */
export function changesOf(entry: Pick<AuditTrailEntry, 'before' | 'after'>): Change[] {
  const before = isRecord(entry.before) ? entry.before : {};
  const after = isRecord(entry.after) ? entry.after : {};
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const named = new Set(fields.filter((f) => f.endsWith('Name')).map((f) => f.slice(0, -4)));
  return fields
    .filter((f) => !(f.endsWith('Id') && (named.has(f.slice(0, -2)) || named.has(f.replace(/AgentId$/, '')))))
    .filter((f) => f !== 'id' && !(f.endsWith('Ids') && fields.includes(`${f.slice(0, -3)}Names`)))
    .filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]))
    .map((field) => ({ field, before: before[field], after: after[field], added: !(field in before) }));
}

/** What the entry is about when that did not change itself, e.g. the list whose priority changed. */
export function subjectOf(entry: Pick<AuditTrailEntry, 'before' | 'after'>): string | null {
  const before = isRecord(entry.before) ? entry.before : {};
  const after = isRecord(entry.after) ? entry.after : {};
  const list = after.listName ?? before.listName;
  return typeof list === 'string' && after.listName === before.listName ? `List: ${list}` : null;
}
