import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newPage, pageCall, screenshot, signIn, toast, watchCsp } from './browser';

/**
 * An agent takes inbound calls: the test plays the phone system (signed requests, with a token an
 * administrator made), the call pops on the agent's screen over the dialer, Answer (keyboard A)
 * opens the donor's workspace, a donation is recorded and the call ended; a second caller is
 * declined (and hangs up); a third, from an unknown number, is answered as a new caller and
 * linked to a donor found by search; a fourth's donor is created from the call; a desk-phone call
 * is logged, and relinked to the right donor. The server's records are checked through the API.
 */
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

interface PhoneSystem {
  token: string;
  base: string;
}

/** A signed phone-system request from the test itself (the header format of phone-system-auth.ts). */
async function phoneSystem(ps: PhoneSystem, path: string, payload: object): Promise<any> {
  const body = JSON.stringify(payload);
  const t = Math.floor(Date.now() / 1000);
  const v1 = createHmac('sha256', ps.token).update(`${t}.${body}`).digest('hex');
  const res = await fetch(new URL(path, ps.base), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${ps.token}`,
      'x-engage-signature': `t=${t},v1=${v1}`,
    },
    body,
  });
  const text = await res.text();
  expect(res.status, `${path}: ${text}`).toBe(200);
  return JSON.parse(text);
}

async function choose(page: Page, testId: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

interface DemoDonor {
  id: number;
  name: string;
  reference: string;
  phone: string | null;
  doNotCall: boolean;
  deceased: boolean;
}

/** A donor of the demo whose phone no other donor has (so it pops that donor alone). */
async function donorWithOwnNumber(admin: Page, page: number): Promise<DemoDonor> {
  const found = (await pageCall(admin, 'GET', `/api/donors?page=${page}`)) as { donors: DemoDonor[] };
  for (const d of found.donors) {
    if (!d.phone?.startsWith('+44') || d.doNotCall || d.deceased) continue;
    const same = await pageCall(admin, 'GET', `/api/donors?q=${encodeURIComponent(d.phone)}`);
    if (same.total === 1) return d;
  }
  throw new Error('no demo donor with a number of their own');
}

/**
 * The administrator's set-up of a test: a line open all day, answered by a new team whose only
 * member is agent4 (so no other test's agent is rung), and a phone system's token. `offer` plays
 * the phone system: Engage rings agent4 (or queues the caller for a moment when their shift row is
 * busy: the sweep rings them).
 */
async function lineForAgent4(v: { team: string; line: string; numberPrefix: string }) {
  const suffix = Date.now().toString(36);
  const admin = await newPage(browser);
  await signIn(admin, 'admin@demo.org', '**/manager/floor');
  const users = await pageCall(admin, 'GET', '/api/users');
  const agentId: number = users.users.find((u: { email: string }) => u.email === 'agent4@demo.org').id;
  const team = await pageCall(admin, 'POST', '/api/teams', { name: `${v.team} ${suffix}`, memberIds: [agentId] });
  const digits = String(100 + Math.floor(Math.random() * 800));
  const lineName = `${v.line} ${suffix}`;
  const line = await pageCall(admin, 'POST', '/api/inbound/lines', {
    number: `${v.numberPrefix}${digits}`,
    country: 'GB',
    name: lineName,
    timeZone: 'UTC',
    teamIds: [team.id],
    weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
    ringSeconds: 120,
  });
  const ps: PhoneSystem = {
    token: (await pageCall(admin, 'POST', '/api/phone-system-tokens', { name: `PBX ${suffix}` })).token,
    base: admin.url(),
  };
  const offer = async (callId: string, from: string) => {
    const answer = await phoneSystem(ps, '/api/phone-system/calls', { callId, from, to: line.number });
    if (answer.action === 'ring') expect(answer).toMatchObject({ agentId });
    else expect(answer).toMatchObject({ action: 'queue', position: 1 });
  };
  return { suffix, admin, ps, lineName, offer };
}

/** agent4 signs in under "Agent" (outbound and inbound) and is Ready on Donor Care's Sponsorship follow-up: a donor is offered. */
async function readyAgent4() {
  const page = await newPage(browser);
  const csp = watchCsp(page);
  await signIn(page, 'agent4@demo.org', '**/call-center');
  await choose(page, 'job-role-select', 'Agent');
  await page.getByTestId('sign-in').click();
  await toast(page, 'Success signed into shift').first().waitFor();
  await page.getByTestId('dialer-modal').waitFor();
  await choose(page, 'team-select', 'Donor Care');
  await choose(page, 'campaign-select', 'Sponsorship follow-up');
  await page.getByTestId('ready-for-call').click();
  await page.getByTestId('donor-card').waitFor();
  return { page, csp, pop: page.getByRole('alertdialog', { name: 'Incoming call' }) };
}

/** End Call with `reason`, waiting for the toast that says so. */
async function endCall(page: Page, reason: string, said: RegExp = /Call ended/) {
  await choose(page, 'end-reason-select', reason);
  await page.getByTestId('end-call').click();
  await toast(page, said).first().waitFor();
}

/** Signs the agent out of their shift (no CSP violation on the way) and closes both pages. */
async function signOut(page: Page, csp: unknown[], admin: Page) {
  await page.getByTestId('sign-out').click();
  await toast(page, 'Signed out of shift').first().waitFor();
  expect(csp).toEqual([]);
  await page.context().close();
  await admin.context().close();
}

describe('Inbound calls on the agent screen', () => {
  it('pops the call over the dialer; Answer opens the donor; donation and End Call; Decline; new callers linked by search or created; a desk-phone call logged', async () => {
    // The administrator: a line all day, answered by a team of one agent only, and a phone system's token.
    const { suffix, admin, ps, lineName, offer } = await lineForAgent4({
      team: 'Inbound e2e',
      line: 'Supporter line',
      numberPrefix: '020 7946 0',
    });
    const caller = await donorWithOwnNumber(admin, 3);
    const linked = await donorWithOwnNumber(admin, 4);

    // The agent signs in under "Agent" (outbound and inbound) and is Ready: a donor is offered.
    const { page, csp, pop } = await readyAgent4();

    // 1. The donor rings, from their number written nationally: Engage rings this agent, and the
    // call pops at once (a live event, not the 30 s poll).
    const national = `0${caller.phone!.slice(3)}`;
    const ownTitle = await page.evaluate(() => document.title);
    const offered = Date.now();
    await offer(`e2e-${suffix}-1`, national);
    await pop.waitFor();
    // A live event brings it (the shift's poll is every 30 s; a queued call is rung by the 5 s sweep).
    expect(Date.now() - offered).toBeLessThan(8_000);
    expect(await pop.getByTestId('incoming-line').textContent()).toBe(lineName);
    expect(await pop.getByTestId('incoming-from').textContent()).toBe(
      parsePhoneNumberFromString(caller.phone!)!.formatInternational(),
    );
    expect(await pop.getByTestId('incoming-donor-name').allTextContents()).toEqual([caller.name]);
    expect(await pop.getByTestId('incoming-answer').textContent()).toContain('A'); // the shortcut is shown
    expect(await pop.getByTestId('incoming-decline').textContent()).toContain('D');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('incoming-answer');
    await pop.getByText(/Waited 0:0[1-9]/).waitFor(); // it ticks
    // The tab's title flashes the call for an agent in another tab, and comes back after.
    await page.waitForFunction((line) => document.title === `Incoming call: ${line}`, lineName);
    await screenshot(page, 'inbound-agent-01-pop');

    await page.keyboard.press('a');
    await toast(page, `Call answered: ${caller.name}`).first().waitFor();
    await pop.waitFor({ state: 'hidden' });
    await page.waitForFunction((title) => document.title === title, ownTitle);
    const workspace = page.getByTestId('call-workspace');
    await workspace.waitFor();
    const callId = Number(await workspace.getAttribute('data-call-id'));
    expect(await workspace.getByTestId('donor-name').textContent()).toBe(caller.name);
    expect(await workspace.getByText('Inbound', { exact: true }).count()).toBe(1);
    // The shift bar names the line, not the outbound campaign the agent chose.
    expect(await page.getByTestId('shift-inbound-line').textContent()).toBe(lineName);
    expect(await page.getByTestId('shift-campaign').count()).toBe(0);
    await page.getByTestId('donor-profile').waitFor();
    await page.getByTestId('donation-amount').fill('15');
    await page.getByTestId('record-donation').click();
    await toast(page, /Donation recorded/)
      .first()
      .waitFor();
    await screenshot(page, 'inbound-agent-02-answered');
    await endCall(page, 'Concluded');
    await workspace.waitFor({ state: 'detached' });

    // What the server recorded: an inbound call with the donor, ended Concluded, the gift on it.
    const myCalls: any[] = await pageCall(page, 'GET', '/api/me/calls?scope=shift');
    expect(myCalls.find((c) => c.id === callId)).toMatchObject({
      direction: 'inbound',
      donorId: caller.id,
      endReason: { name: 'Concluded' },
    });
    const profile = await pageCall(admin, 'GET', `/api/donors/${caller.id}`);
    expect(profile.donations.find((d: { callId: number }) => d.callId === callId)).toMatchObject({ amountMinor: 1500 });

    // 2. A caller the agent declines (D): the pop goes with a confirmation; the caller hangs up.
    const declinedId = `e2e-${suffix}-2`;
    await offer(declinedId, 'anonymous');
    await pop.waitFor();
    expect(await pop.getByTestId('incoming-from').textContent()).toBe('Number withheld');
    await pop.getByTestId('incoming-new-caller').waitFor();
    await page.keyboard.press('d');
    await toast(page, 'Call declined: it passes to the next agent').first().waitFor();
    await pop.waitFor({ state: 'hidden' });
    await phoneSystem(ps, '/api/phone-system/calls/events', { callId: declinedId, type: 'abandoned' });

    // 3. An unknown number: New caller; answered by click, linked to a donor found by reference.
    const unknown = `+447400${String(Math.floor(100000 + Math.random() * 899999))}`;
    await offer(`e2e-${suffix}-3`, unknown);
    await pop.waitFor();
    await pop.getByTestId('incoming-new-caller').waitFor();
    await pop.getByTestId('incoming-answer').click();
    await toast(page, 'Call answered: new caller').first().waitFor();
    const panel = page.getByTestId('caller-panel');
    await panel.waitFor();
    expect(await workspace.getByTestId('donor-name').textContent()).toBe('New caller');
    await panel.getByTestId('caller-no-match').waitFor();
    await panel.getByLabel('Find the donor').fill(linked.reference);
    await panel.getByRole('button', { name: 'Search' }).click();
    await panel.getByRole('button', { name: `This is ${linked.name}` }).click();
    await toast(page, `Caller linked to ${linked.name}`).first().waitFor();
    await page.getByTestId('donor-profile').waitFor();
    expect(await workspace.getByTestId('donor-name').textContent()).toBe(linked.name);
    const thirdId = Number(await workspace.getAttribute('data-call-id'));
    await screenshot(page, 'inbound-agent-03-linked');
    await endCall(page, 'Concluded');
    const after: any[] = await pageCall(page, 'GET', '/api/me/calls?scope=shift');
    expect(after.find((c) => c.id === thirdId)).toMatchObject({
      direction: 'inbound',
      donorId: linked.id,
      phoneDialled: unknown,
    });

    // 4. Another unknown number: the agent creates the donor from the call, the number prefilled.
    const stranger = `+447400${String(Math.floor(100000 + Math.random() * 899999))}`;
    await page.getByTestId('donor-card').waitFor();
    await offer(`e2e-${suffix}-4`, stranger);
    await pop.waitFor();
    await page.keyboard.press('a');
    await toast(page, 'Call answered: new caller').first().waitFor();
    await panel.getByRole('button', { name: 'New donor from this call' }).click();
    expect(await panel.getByLabel('Phone').inputValue()).toBe(stranger);
    await panel.getByLabel('First name').fill('Noor');
    await panel.getByLabel('Last name').fill(`Haddad ${suffix}`);
    await panel.getByRole('button', { name: 'Create donor' }).click();
    await toast(page, new RegExp(`Donor created: .*Haddad ${suffix}`))
      .first()
      .waitFor();
    await page.getByTestId('donor-profile').waitFor();
    expect(await workspace.getByTestId('donor-name').textContent()).toMatch(
      new RegExp(`Noor.*Haddad ${suffix}|Haddad ${suffix}.*Noor`),
    );
    const newId = Number(await workspace.getAttribute('data-call-id'));
    expect(await workspace.getByTestId('donor-reference').textContent()).toBe(`IN-${newId}`);
    await screenshot(page, 'inbound-agent-04-new-donor');
    await endCall(page, 'Concluded');
    const made = await pageCall(admin, 'GET', `/api/donors?q=${encodeURIComponent(stranger)}`);
    expect(made.donors).toMatchObject([{ reference: `IN-${newId}`, phone: stranger, country: 'GB' }]);

    // 5. No phone system: the agent picks up a desk phone and logs the call on their line.
    await page.getByTestId('donor-card').waitFor();
    await page.getByTestId('log-inbound').click();
    const logModal = page.getByRole('dialog', { name: 'Log inbound call' });
    await logModal.waitFor();
    await page.getByTestId('log-inbound-from').fill(national);
    await logModal.getByRole('button', { name: 'Take the call' }).click();
    // The agent's teams answer several lines (the demo's too): the form asks which.
    await logModal.getByText('Choose the line').first().waitFor();
    await page.getByTestId('log-inbound-line').click();
    await page.getByRole('option', { name: new RegExp(`^${lineName}`) }).click();
    await logModal.getByRole('button', { name: 'Take the call' }).click();
    await toast(page, `Inbound call logged on ${lineName}`).first().waitFor();
    await logModal.waitFor({ state: 'hidden' });
    await page.getByTestId('donor-profile').waitFor();
    expect(await workspace.getByTestId('donor-name').textContent()).toBe(caller.name);
    await screenshot(page, 'inbound-agent-05-logged');
    // Not the caller after all (say a relative on the same phone): the agent links the right donor.
    await page.getByTestId('caller-relink').click();
    await panel.getByLabel('Find the donor').fill(linked.reference);
    await panel.getByRole('button', { name: 'Search' }).click();
    await panel.getByRole('button', { name: `This is ${linked.name}` }).click();
    await toast(page, `Caller linked to ${linked.name}`).first().waitFor();
    await panel.waitFor({ state: 'detached' });
    expect(await workspace.getByTestId('donor-name').textContent()).toBe(linked.name);
    const loggedId = Number(await workspace.getAttribute('data-call-id'));
    await endCall(page, 'Concluded');
    const logged: any[] = await pageCall(page, 'GET', '/api/me/calls?scope=shift');
    expect(logged.find((c) => c.id === loggedId)).toMatchObject({ direction: 'inbound', donorId: linked.id });

    await signOut(page, csp, admin);
  });

  it('a withheld caller answered, created with a typed number; Escape declines nothing; several donors with one number: one picked in the pop by keyboard opens at once; shortcuts never fire while typing', async () => {
    const { suffix, admin, lineName, offer } = await lineForAgent4({
      team: 'Withheld e2e',
      line: 'Care desk',
      numberPrefix: '020 7946 1',
    });
    // The number both new donors give (the caller withheld it; they say it).
    const shared = `+447400${String(Math.floor(100000 + Math.random() * 899999))}`;

    const { page, csp, pop } = await readyAgent4();
    expect(await page.getByTestId('shift-campaign').textContent()).toBe('Donor Care · Sponsorship follow-up');

    const workspace = page.getByTestId('call-workspace');
    const panel = page.getByTestId('caller-panel');

    /** A withheld caller, answered (A), made a donor from the call with the number they say. */
    const withheldCaller = async (n: number, firstName: string, lastName: string) => {
      await offer(`e2e-wh-${suffix}-${n}`, 'anonymous');
      await pop.waitFor();
      expect(await pop.getByTestId('incoming-from').textContent()).toBe('Number withheld');
      await pop.getByTestId('incoming-new-caller').waitFor();
      // Escape is no silent decline: the pop stays, the call still rings this agent.
      await page.keyboard.press('Escape');
      await page.waitForTimeout(400);
      expect(await pop.isVisible()).toBe(true);
      await page.keyboard.press('a');
      await toast(page, 'Call answered: new caller').first().waitFor();
      await pop.waitFor({ state: 'hidden' });
      await panel.waitFor();
      expect(await panel.getByTestId('caller-number').textContent()).toMatch(/^Number withheld: /);
      expect(await panel.getByTestId('caller-no-match').textContent()).toContain("The caller's number is withheld");
      expect(await workspace.getByTestId('caller-withheld').textContent()).toBe('Number withheld');
      expect(await workspace.getByTestId('donor-phone').count()).toBe(0); // nothing to dial
      // The shift bar: on an inbound call on this line, not the outbound campaign.
      expect(await page.getByTestId('shift-inbound-line').textContent()).toBe(lineName);
      await panel.getByRole('button', { name: 'New donor from this call' }).click();
      expect(await panel.getByLabel('Phone').inputValue()).toBe('');
      // Typed key by key: a, d and e in the fields neither answer, decline nor end the call.
      await panel.getByLabel('First name').pressSequentially(firstName);
      await panel.getByLabel('Last name').pressSequentially(lastName);
      await panel.getByLabel('Phone').pressSequentially(shared);
      expect(await panel.getByLabel('First name').inputValue()).toBe(firstName);
      expect(await workspace.count()).toBe(1);
      await panel.getByRole('button', { name: 'Create donor' }).click();
      await toast(page, new RegExp(`Donor created: .*${lastName}`))
        .first()
        .waitFor();
      await page.getByTestId('donor-profile').waitFor();
      const callId = Number(await workspace.getAttribute('data-call-id'));
      // Inbound end reasons only: "No answer" is an outbound one.
      await page.getByTestId('end-reason-select').click();
      await page.getByRole('option', { name: 'Enquiry answered' }).waitFor();
      expect(await page.getByRole('option', { name: 'No answer' }).count()).toBe(0);
      await page.getByRole('option', { name: 'Enquiry answered' }).click();
      await page.getByTestId('end-call').click();
      await toast(page, /Call ended: Enquiry answered/)
        .first()
        .waitFor();
      await workspace.waitFor({ state: 'detached' });
      await page.getByTestId('donor-card').waitFor();
      return callId;
    };

    const firstCall = await withheldCaller(1, 'Ada', `Dean ${suffix}`);
    await screenshot(page, 'inbound-agent-06-withheld');
    const secondCall = await withheldCaller(2, 'Eddie', `Adams ${suffix}`);
    const made = await pageCall(admin, 'GET', `/api/donors?q=${encodeURIComponent(shared)}`);
    expect(made.donors).toHaveLength(2);
    const ada = made.donors.find((d: DemoDonor) => d.name.includes(`Dean ${suffix}`));
    const eddie = made.donors.find((d: DemoDonor) => d.name.includes(`Adams ${suffix}`));
    const calls: any[] = await pageCall(page, 'GET', '/api/me/calls?scope=shift');
    expect(calls.find((c) => c.id === firstCall)).toMatchObject({
      direction: 'inbound',
      donorId: ada.id,
      lineName,
      endReason: { name: 'Enquiry answered' },
    });
    expect(calls.find((c) => c.id === secondCall)).toMatchObject({ donorId: eddie.id, lineName });

    // 3. That number rings: two donors have it. None is preselected; the agent picks Eddie by
    // keyboard (Space on the radio) and answers with A from the radio: Eddie's profile opens at once.
    await offer(`e2e-wh-${suffix}-3`, shared);
    await pop.waitFor();
    expect((await pop.getByTestId('incoming-donor-name').allTextContents()).sort()).toEqual(
      [ada.name, eddie.name].sort(),
    );
    const radios = pop.getByRole('radio');
    expect(await radios.count()).toBe(2);
    for (const r of await radios.all()) expect(await r.isChecked()).toBe(false);
    await pop.getByRole('radio', { name: new RegExp(eddie.name) }).focus();
    await page.keyboard.press('Space');
    expect(await pop.getByRole('radio', { name: new RegExp(eddie.name) }).isChecked()).toBe(true);
    await screenshot(page, 'inbound-agent-07-pick');
    await page.keyboard.press('a');
    await toast(page, `Call answered: ${eddie.name}`).first().waitFor();
    await pop.waitFor({ state: 'hidden' });
    await page.getByTestId('donor-profile').waitFor();
    expect(await workspace.getByTestId('donor-name').textContent()).toBe(eddie.name);
    expect(await panel.count()).toBe(0);
    expect(await page.getByTestId('shift-inbound-line').textContent()).toBe(lineName);
    const thirdCall = Number(await workspace.getAttribute('data-call-id'));
    await endCall(page, 'Details updated', /Call ended: Details updated/);
    await page.getByTestId('donor-card').waitFor();
    // Back on outbound: the bar shows the campaign again.
    expect(await page.getByTestId('shift-campaign').textContent()).toBe('Donor Care · Sponsorship follow-up');
    const after: any[] = await pageCall(page, 'GET', '/api/me/calls?scope=shift');
    expect(after.find((c) => c.id === thirdCall)).toMatchObject({
      direction: 'inbound',
      donorId: eddie.id,
      phoneDialled: shared,
      lineName,
      endReason: { name: 'Details updated' },
    });

    await signOut(page, csp, admin);
  });
});
