import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/db';
import { createCampaign, setLegalWindow } from '../../../test/dialer-factories';
import type { Database } from '../../db/client';
import { CALLING_HOURS_CASES, CASE_CAMPAIGNS, CASE_LEGAL } from '@engage/contracts/calling-hours.cases';

// The rule itself, in the database, against the cases its TypeScript display is held to
// (calling-window.test.ts).
let database: Database;
const campaignIds: Record<string, number> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  await setLegalWindow(database, CASE_LEGAL.legalWindow.start, CASE_LEGAL.legalWindow.end, {
    closedWeekdays: CASE_LEGAL.legalWindow.closedWeekdays,
    countries: CASE_LEGAL.countryWindows,
  });
  for (const [key, c] of Object.entries(CASE_CAMPAIGNS)) {
    const camp = await createCampaign(database, {
      teamIds: [],
      lists: [],
      weekdayHours: c.weekdayHours,
      closedDates: c.closedDates,
    });
    campaignIds[key] = camp.id;
  }
});

describe('engage_may_call_now, the one calling-hours rule', () => {
  it.each(CALLING_HOURS_CASES)('$name: callable $callable', async (c) => {
    const r = await database.pool.query<{ ok: boolean }>('SELECT engage_may_call_now($1, $2, $3, $4) AS ok', [
      c.timeZone,
      c.country,
      campaignIds[c.campaign],
      c.at,
    ]);
    expect(r.rows[0]!.ok).toBe(c.callable);
  });
});
