import { describe, expect, it } from 'vitest';
import { actionLabel, changesOf, labelOf, subjectOf, valueText } from './audit-changes';

const text = (entry: { before: unknown; after: unknown }) =>
  changesOf(entry).map(
    (c) =>
      `${labelOf(c.field)}: ${c.added ? '' : `${valueText(c.field, c.before, 'UTC')} → `}${valueText(c.field, c.after, 'UTC')}`,
  );

describe('how an audit entry reads', () => {
  it('a donor edit (column names): field labels, yes/no for flags, before → after', () => {
    expect(
      text({
        before: { phone: '+442079460018', alt_phone: null, do_not_call: false },
        after: { phone: '+442079460019', alt_phone: '+442079460020', do_not_call: true },
      }),
    ).toEqual(['Phone: +442079460018 → +442079460019', 'Other phone: (none) → +442079460020', 'Do not call: No → Yes']);
  });

  it('a campaign: team names instead of ids, words for codes, unchanged fields left out', () => {
    expect(
      text({
        before: { id: 9, status: 'active', maxAttempts: 5, teamIds: [1], teamNames: ['North'], name: 'Spring' },
        after: { status: 'paused', maxAttempts: 3, teamIds: [1, 2], teamNames: ['North', 'South'], name: 'Spring' },
      }),
    ).toEqual(['Status: Active → Paused', 'Most attempts: 5 → 3', 'Teams: North → North, South']);
    expect(text({ before: null, after: { id: 9, name: 'Spring', teamIds: [1], teamNames: ['North'] } })).toEqual([
      'Name: Spring',
      'Teams: North',
    ]);
    expect(actionLabel('campaign', 'status_paused')).toBe('Paused');
    expect(actionLabel('campaign', 'some_new_action')).toBe('Some new action');
  });

  it('a correction of a call: the end reason by name, and what its outcome did, without a before', () => {
    expect(
      text({
        before: { endReasonId: 1, endReasonName: 'No answer', notes: '' },
        after: {
          endReasonId: 2,
          endReasonName: 'Do not call',
          notes: '',
          outcomeApplied: true,
          outcome: 'Outcome applied. Ann is now marked do not call.',
        },
      }),
    ).toEqual([
      'End reason: No answer → Do not call',
      'Outcome applied: Yes',
      'Outcome: Outcome applied. Ann is now marked do not call.',
    ]);
    expect(actionLabel('call', 'update')).toBe('Corrected');
  });

  it('names the list an entry is about when the list itself did not change', () => {
    const entry = {
      before: { listId: 4, listName: 'Lapsed', priority: 1 },
      after: { listId: 4, listName: 'Lapsed', priority: 2 },
    };
    expect(subjectOf(entry)).toBe('List: Lapsed');
    expect(text(entry)).toEqual(['Priority: 1 → 2']);
  });
});
