import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testClock, type TestApp } from './app';
import { signedIn, type Agent, type ApiAnswer } from './agent';
import { createCampaign, createDonors, createSettings, createTeam } from './dialer-factories';
import { uniqueSuffix } from './factories';
import { addToList, apiUser, parseCsv } from './lists-factories';

/**
 * Card numbers are never stored: every free-text field the API keeps refuses one, however it is
 * written (dots, slashes, full-width digits), with a message that says what to do; a 16-digit
 * number that fails the Luhn check (an order number) is kept.
 */

const CARDS: Record<string, string> = {
  dots: '4111.1111.1111.1111',
  slashes: '4111/1111/1111/1111',
  'full-width digits': '４１１１ １１１１ １１１１ １１１１',
};
const ORDER_NUMBER = 'Order 1234 5678 1234 5678';
const CARD_ANSWER = /Card numbers are never stored: take the payment on the payment line and record only its reference/;

const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engage-cards-'));
const clock = testClock(new Date('2026-06-10T12:00:00Z'));
let t: TestApp;
let s: Awaited<ReturnType<typeof createSettings>>;
let admin: Agent;

beforeAll(async () => {
  t = await createTestApp({
    now: clock.now,
    env: { UPLOAD_DIR: uploadDir, SESSION_IDLE_MINUTES: '1000000', SESSION_ABSOLUTE_HOURS: '100000' },
  });
  s = await createSettings(t.database.db);
  admin = await signedIn(t.app, t.database, 'admin');
  return () => fs.rmSync(uploadDir, { recursive: true, force: true });
});

/**
 * Sends `send(text)` with a card number written each way, in a sentence (or `bare`, for short
 * fields): each is refused with card_number_refused on `field`.
 */
async function refusesCards(field: string, send: (text: string) => Promise<ApiAnswer>, opts: { bare?: boolean } = {}) {
  for (const [how, card] of Object.entries(CARDS)) {
    const res = await send(opts.bare ? card : `Donor gave card ${card} exp 12/28`);
    expect(res.status, `${field} with ${how}: ${JSON.stringify(res.body)}`).toBe(400);
    expect(res.body.code, `${field} with ${how}`).toBe('card_number_refused');
    expect(res.body.message).toMatch(CARD_ANSWER);
    expect(res.body.issues, `${field} with ${how}`).toEqual([
      { path: field, message: expect.stringMatching(CARD_ANSWER) },
    ]);
  }
}

/** Nothing anywhere in these tables holds the test card's digits. */
async function noCardStored() {
  const r = await t.database.db.execute(sql`
    select (select count(*) from calls where notes ~ '4111|４１１１')
         + (select count(*) from donors where concat_ws(' ', first_name, last_name, address_line1, address_line2, city, postcode, email, notes, reference) ~ '4111|４１１１')
         + (select count(*) from appointments where notes ~ '4111|４１１１')
         + (select count(*) from donations where concat_ws(' ', purpose, payment_reference) ~ '4111|４１１１')
         + (select count(*) from lists where concat_ws(' ', name, description) ~ '4111|４１１１')
         + (select count(*) from import_errors where concat_ws(' ', reference, message) ~ '4111|４１１１') as n`);
  expect(Number((r.rows[0] as { n: number | string }).n)).toBe(0);
}

describe('card numbers in free text', () => {
  it('an agent’s notes and donations: skip notes, call notes, call-back notes, donation purpose and reference', async () => {
    clock.set(new Date('2026-06-10T12:00:00Z'));
    const agent = await signedIn(t.app, t.database);
    const manager = await signedIn(t.app, t.database, 'manager');
    const team = await createTeam(t.database.db, [agent.user.id]);
    await t.database.db.execute(
      sql`insert into team_members (team_id, user_id, is_leader) values (${team.id}, ${manager.user.id}, true)`,
    );
    const donors = await createDonors(t.database.db, [{}, {}]);
    const campaign = await createCampaign(t.database, {
      teamIds: [team.id],
      lists: [{ donorIds: donors.map((d) => d.id) }],
    });
    expect((await agent.openShift(s.jobRoleId)).status).toBe(201);
    expect((await agent.ready(team.id, campaign.id)).status).toBe(200);

    const first = await agent.next();
    await refusesCards('body.notes', (notes) => agent.skip(first.body.offer.id, s.skip.requeue, notes));
    expect((await agent.skip(first.body.offer.id, s.skip.requeue, ORDER_NUMBER)).status).toBe(204);

    const second = await agent.next();
    const started = await agent.start(second.body.offer.id);
    expect(started.status).toBe(200);
    const callId = started.body.call.id as number;
    const donorId = second.body.offer.donor.id as number;

    const donate = (body: object) =>
      agent.call('POST', `/api/donors/${donorId}/donations`, { amount: 2500, currency: 'GBP', callId, ...body });
    await refusesCards('body.purpose', (purpose) => donate({ purpose }));
    await refusesCards('body.paymentReference', (paymentReference) => donate({ paymentReference }));
    const gift = await donate({ purpose: ORDER_NUMBER, paymentReference: ORDER_NUMBER });
    expect(gift.status).toBe(201);
    expect(gift.body).toMatchObject({ purpose: ORDER_NUMBER, paymentReference: ORDER_NUMBER });

    await refusesCards('body.notes', (notes) => agent.end(callId, { endReasonId: s.end.final, notes }));
    await refusesCards('body.appointment.notes', (notes) =>
      agent.end(callId, {
        endReasonId: s.end.appointment,
        appointment: { scheduledAt: '2026-06-11T10:00:00Z', notes },
      }),
    );
    const ended = await agent.end(callId, { endReasonId: s.end.final, notes: ORDER_NUMBER });
    expect(ended.status).toBe(200);
    expect(ended.body.notes).toBe(ORDER_NUMBER);

    // A manager's correction of the call's notes, and call-backs booked or changed.
    await refusesCards('body.notes', (notes) => manager.call('PATCH', `/api/calls/${callId}`, { notes }));
    const corrected = await manager.call('PATCH', `/api/calls/${callId}`, { notes: `${ORDER_NUMBER} (checked)` });
    expect(corrected.status).toBe(200);
    // (The skipped donor: the one called is finished in the campaign.)
    const booking = {
      donorId: first.body.offer.donor.id,
      campaignId: campaign.id,
      scheduledAt: '2026-06-11T10:00:00Z',
    };
    await refusesCards('body.notes', (notes) => manager.call('POST', '/api/appointments', { ...booking, notes }));
    const booked = await manager.call('POST', '/api/appointments', { ...booking, notes: ORDER_NUMBER });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    await refusesCards('body.notes', (notes) =>
      manager.call('PATCH', `/api/appointments/${booked.body.id}`, { notes }),
    );

    await noCardStored();
  });

  it('a manager’s donor edits: notes, names, address and email', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const [donor] = await createDonors(t.database.db, [{}]);
    // On a list the manager made: within their reach (donor-reach.ts).
    const list = await manager.call('POST', '/api/lists', { name: `Edits ${uniqueSuffix()}` });
    await addToList(t.database, list.body.id, [donor!.id]);
    for (const field of [
      'notes',
      'firstName',
      'lastName',
      'addressLine1',
      'addressLine2',
      'city',
      'postcode',
      'email',
    ]) {
      await refusesCards(
        `body.${field}`,
        (text) => manager.call('PATCH', `/api/donors/${donor!.id}`, { [field]: text }),
        {
          bare: field === 'postcode',
        },
      );
    }
    const ok = await manager.call('PATCH', `/api/donors/${donor!.id}`, {
      notes: ORDER_NUMBER,
      city: '1234 5678 1234 5678',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ notes: ORDER_NUMBER, city: '1234 5678 1234 5678' });
    await noCardStored();
  });

  it('lists, teams, campaigns, users and reasons', async () => {
    const manager = await signedIn(t.app, t.database, 'manager');
    const list = await manager.call('POST', '/api/lists', { name: `List ${uniqueSuffix()}` });
    expect(list.status).toBe(201);
    await refusesCards('body.name', (name) => manager.call('POST', '/api/lists', { name }));
    await refusesCards('body.description', (description) =>
      manager.call('POST', '/api/lists', { name: `List ${uniqueSuffix()}`, description }),
    );
    await refusesCards('body.description', (description) =>
      manager.call('PATCH', `/api/lists/${list.body.id}`, { description }),
    );
    await refusesCards('body.name', (name) => manager.call('POST', '/api/lists/from-search', { name, q: 'x' }));
    await refusesCards('body.name', (name) => manager.call('POST', '/api/teams', { name }));
    await refusesCards('body.name', (name) => manager.call('POST', '/api/campaigns', { name, purpose: 'thank_you' }));
    await refusesCards('body.script', (script) =>
      manager.call('POST', '/api/campaigns', { name: `Campaign ${uniqueSuffix()}`, purpose: 'thank_you', script }),
    );
    await refusesCards('body.name', (name) =>
      admin.call('POST', '/api/users', {
        name,
        email: `u-${uniqueSuffix()}@test.org`,
        role: 'agent',
        password: 'a-long-password',
      }),
    );
    await refusesCards('body.name', (name) => admin.call('POST', '/api/settings/break-reasons', { name }));
    const kept = await manager.call('PATCH', `/api/lists/${list.body.id}`, { description: ORDER_NUMBER });
    expect(kept.status).toBe(200);
    await noCardStored();
  });

  it('CSV import cells: the row is refused, and the error report does not repeat the number', async () => {
    const manager = await apiUser(t.app, t.database, 'manager');
    const list = await manager.createList();
    const r = uniqueSuffix();
    const lines = [
      'Reference,First name,Last name,Phone,Email,Address,City',
      `A-${r},Ann,${CARDS.dots},07400 300001,,,`, // 2: last name
      `B-${r},${CARDS.slashes},Lee,07400 300002,,,`, // 3: first name
      `C-${r},Cy,Poe,07400 300003,,Flat ${CARDS['full-width digits']},`, // 4: address
      `D-${r},Di,Orr,${CARDS.dots},,,`, // 5: phone
      `E-${r},Ed,Ray,07400 300005,${CARDS.slashes}@example.org,,`, // 6: email
      `${CARDS['full-width digits']},Fay,Roe,07400 300006,,,`, // 7: reference
      `G-${r},Gus,Tan,07400 300007,,,${ORDER_NUMBER}`, // 8: an order number: imported
    ];
    const up = await manager.upload(list.id, 'cards.csv', `${lines.join('\r\n')}\r\n`);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const started = await manager.call('POST', `/api/imports/${up.body.import.id}/start`, {
      mapping: {
        reference: 'Reference',
        firstName: 'First name',
        lastName: 'Last name',
        phone: 'Phone',
        email: 'Email',
        addressLine1: 'Address',
        city: 'City',
      },
      defaultCountry: 'GB',
    });
    expect(started.status).toBe(202);
    const done = await manager.waitForImport(up.body.import.id);
    expect(done).toMatchObject({ status: 'done', created: 1, rejected: 6 });

    const report = await manager.raw(`/api/imports/${up.body.import.id}/errors`);
    const [, ...errors] = parseCsv(report.text);
    expect(errors.map((e) => [e[0], e[1], e[2]])).toEqual([
      ['2', `A-${r}`, 'lastName'],
      ['3', `B-${r}`, 'firstName'],
      ['4', `C-${r}`, 'addressLine1'],
      ['5', `D-${r}`, 'phone'],
      ['6', `E-${r}`, 'email'],
      ['7', '', 'reference'],
    ]);
    for (const e of errors) expect(e[3]).toMatch(CARD_ANSWER);
    const kept = await t.database.pool.query('SELECT city FROM donors WHERE reference = $1', [`G-${r}`]);
    expect(kept.rows).toEqual([{ city: ORDER_NUMBER }]);
    await noCardStored();
  });
});
