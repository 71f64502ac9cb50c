import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { queueFromLists } from '../features/dialer/dialer.sql';
import { hashPhoneSystemToken } from '../features/inbound/inbound.service';
import type { Db, Tx } from '../db/client';
import {
  breakReasons,
  campaignLists,
  campaigns,
  campaignTeams,
  donations,
  donorNotes,
  donors,
  endReasons,
  inboundLineTeams,
  inboundLines,
  jobRoles,
  listMembers,
  lists,
  payments,
  phoneSystemTokens,
  skipReasons,
  sponsorships,
  teamMembers,
  teams,
  users,
} from '../db/schema';
import { hashPassword } from '../lib/password';
import {
  BREAK_REASONS,
  DEMO_PASSWORD,
  DEMO_PHONE_SYSTEM,
  DEMO_USERS,
  END_REASONS,
  INBOUND_LINE,
  JOB_ROLES,
  SKIP_REASONS,
  TEAMS,
  type DemoUserKey,
} from './content';
import { bulkInsert } from './bulk-insert';
import { buildDemoPlan } from './generate';
import { withTransaction } from '../lib/tx';

export { DEMO_PASSWORD, DEMO_USERS } from './content';

export interface DemoSeedOptions {
  /** The moment the demo is built around: campaign dates, donation and payment histories. Default: now. */
  now?: Date;
  /** How many donors to create (default 5000, at least 30). */
  donorCount?: number;
  /** The demo phone system's token (only its hash is stored); default: a random one, not kept. */
  phoneSystemToken?: string;
}

export interface DemoSeedSummary {
  users: number;
  jobRoles: number;
  skipReasons: number;
  endReasons: number;
  breakReasons: number;
  teams: number;
  teamMembers: number;
  campaigns: number;
  campaignTeams: number;
  lists: number;
  listMembers: number;
  campaignLists: number;
  donors: number;
  donations: number;
  sponsorships: number;
  payments: number;
  failedPaymentsUnresolved: number;
  donorNotes: number;
  inboundLines: number;
  /** Distinct donors each campaign reaches through its lists, by campaign name. */
  donorsPerCampaign: Record<string, number>;
  /** Donors per list, by list name. */
  donorsPerList: Record<string, number>;
}

export const DEFAULT_DEMO_DONOR_COUNT = 5000;

/**
 * Fills an EMPTY database with a complete, deterministic demo: users (password "engage-demo"),
 * settings, teams, campaigns, lists and about 5,000 donors with their histories. One transaction:
 * all or nothing. The caller checks that the database is empty first.
 */
export async function seedDemo(db: Db, opts: DemoSeedOptions = {}): Promise<DemoSeedSummary> {
  const now = opts.now ?? new Date();
  const donorCount = opts.donorCount ?? DEFAULT_DEMO_DONOR_COUNT;
  // Everything is computed before the transaction opens, so it stays short.
  const plan = buildDemoPlan(now, donorCount);
  // One hash for every demo user: argon2id is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  const token = opts.phoneSystemToken ?? newPhoneSystemToken();
  return withTransaction(db, async (tx) => insertPlan(tx, plan, passwordHash, now, token));
}

/** A phone-system token as createPhoneSystemToken makes them. */
function newPhoneSystemToken(): string {
  return `eps_${randomBytes(32).toString('base64url')}`;
}

/**
 * The demo seed as start-up runs it (main.ts hands it to bootDatabase): a line for the log. The
 * demo phone system's token is written to `tokenFile` (DATA_DIR/DEMO_PHONE_SYSTEM_TOKEN_FILE, demo
 * only), where `npm run simulate:inbound` reads it; the database keeps only its hash.
 */
export async function seedDemoAtStartup(db: Db, tokenFile: string): Promise<string> {
  const token = newPhoneSystemToken();
  const summary = await seedDemo(db, { phoneSystemToken: token });
  const file = tokenFile;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return `${summary.donors} donors, ${summary.campaigns} campaigns, ${summary.lists} lists, ${summary.users} users, inbound line "${INBOUND_LINE.name}" ${INBOUND_LINE.number} (demo phone-system token in ${file})`;
}

async function insertPlan(
  tx: Tx,
  plan: ReturnType<typeof buildDemoPlan>,
  passwordHash: string,
  now: Date,
  phoneSystemToken: string,
): Promise<DemoSeedSummary> {
  // Users
  const userRows = await tx
    .insert(users)
    .values(
      DEMO_USERS.map((u) => ({
        email: u.email,
        name: u.name,
        role: u.role,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .returning({ id: users.id, email: users.email });
  const userIdByEmail = new Map(userRows.map((u) => [u.email, u.id]));
  const userId = (key: DemoUserKey): number => {
    const email = DEMO_USERS.find((u) => u.key === key)?.email;
    const id = email === undefined ? undefined : userIdByEmail.get(email);
    if (id === undefined) throw new Error(`Demo user ${key} was not created`);
    return id;
  };

  // Settings
  await tx.insert(jobRoles).values(JOB_ROLES.map((j) => ({ ...j })));
  await tx
    .insert(skipReasons)
    .values(SKIP_REASONS.map((s, i) => ({ name: s.name, outcome: s.outcome, position: i + 1 })));
  await tx.insert(endReasons).values(END_REASONS.map((e, i) => ({ ...e, position: i + 1 })));
  await tx.insert(breakReasons).values(BREAK_REASONS.map((name, i) => ({ name, position: i + 1 })));

  // Teams
  const teamRows = await tx
    .insert(teams)
    .values(TEAMS.map((t) => ({ name: t.name, createdAt: now })))
    .returning({ id: teams.id, name: teams.name });
  const teamId = new Map(teamRows.map((t) => [t.name, t.id]));
  const memberRows = TEAMS.flatMap((t) => {
    const id = teamId.get(t.name);
    if (id === undefined) throw new Error(`Team ${t.name} was not created`);
    return [
      ...t.leaders.map((k) => ({ teamId: id, userId: userId(k), isLeader: true })),
      ...t.members.map((k) => ({ teamId: id, userId: userId(k), isLeader: false })),
    ];
  });
  await tx.insert(teamMembers).values(memberRows);

  // Donors
  const donorRows = await bulkInsert(
    tx,
    donors,
    plan.donors.map((p) => p.donor),
    { returning: ['id', 'reference'] },
  );
  const donorIdByRef = new Map(donorRows.map((r) => [r.reference, r.id]));
  const donorIds: number[] = plan.donors.map((p) => {
    const id = donorIdByRef.get(p.donor.reference);
    if (id === undefined) throw new Error(`Donor ${p.donor.reference} was not created`);
    return id;
  });
  const donorId = (index: number): number => donorIds[index] as number;

  // Donations
  const donationRows = plan.donors.flatMap((p) =>
    p.donations.map((d) => ({
      ...d.row,
      donorId: donorId(p.index),
      recordedBy: d.recordedBy ? userId(d.recordedBy) : null,
    })),
  );
  await bulkInsert(tx, donations, donationRows);

  // Sponsorships, then their payments (matched back by donor and subject, unique per donor).
  const sponsorshipRows = plan.donors.flatMap((p) =>
    p.sponsorships.map((s) => ({ ...s.row, donorId: donorId(p.index) })),
  );
  const sponsorshipId = new Map(
    (await bulkInsert(tx, sponsorships, sponsorshipRows, { returning: ['id', 'donorId', 'subject'] })).map((r) => [
      `${r.donorId}\u0000${r.subject}`,
      r.id,
    ]),
  );
  const paymentRows = plan.donors.flatMap((p) => {
    const id = donorId(p.index);
    return [
      ...p.sponsorships.flatMap((s) => {
        const sid = sponsorshipId.get(`${id}\u0000${s.row.subject}`);
        if (sid === undefined) throw new Error(`Sponsorship of ${p.donor.reference} was not created`);
        return s.payments.map((pay) => ({ ...pay, donorId: id, sponsorshipId: sid }));
      }),
      ...p.payments.map((pay) => ({ ...pay, donorId: id, sponsorshipId: null })),
    ];
  });
  await bulkInsert(tx, payments, paymentRows);

  // Notes
  const noteRows = plan.donors.flatMap((p) =>
    p.notes.map((n) => ({
      donorId: donorId(p.index),
      authorId: userId(n.author),
      body: n.body,
      createdAt: n.createdAt,
    })),
  );
  await bulkInsert(tx, donorNotes, noteRows);

  // Lists and their members
  const managerId = userId('manager');
  const listRows = await tx
    .insert(lists)
    .values(
      plan.lists.map((l, i) => ({
        name: l.name,
        description: l.description,
        createdBy: managerId,
        createdAt: new Date(now.getTime() - (40 - i) * 86_400_000),
      })),
    )
    .returning({ id: lists.id, name: lists.name });
  const listId = new Map(listRows.map((l) => [l.name, l.id]));
  const listIdOf = (name: string): number => {
    const id = listId.get(name);
    if (id === undefined) throw new Error(`List ${name} was not created`);
    return id;
  };
  const memberships = plan.lists.flatMap((l) => {
    const id = listIdOf(l.name);
    return l.donorIndexes.map((i) => ({ listId: id, donorId: donorId(i), addedAt: now }));
  });
  await bulkInsert(tx, listMembers, memberships);

  // Campaigns
  const campaignRows = await tx
    .insert(campaigns)
    .values(
      plan.campaigns.map((c) => ({
        name: c.name,
        purpose: c.purpose,
        status: c.status,
        startsOn: c.startsOn,
        endsOn: c.endsOn,
        callingHoursStart: c.callingHoursStart,
        callingHoursEnd: c.callingHoursEnd,
        weekdayHours: c.weekdayHours,
        maxAttempts: c.maxAttempts,
        script: c.script,
        createdAt: now,
        updatedAt: now,
      })),
    )
    .returning({ id: campaigns.id, name: campaigns.name });
  const campaignId = new Map(campaignRows.map((c) => [c.name, c.id]));
  const campaignTeamRows: { campaignId: number; teamId: number }[] = [];
  const campaignListRows: { campaignId: number; listId: number; priority: number }[] = [];
  const donorsPerCampaign: Record<string, number> = {};
  for (const c of plan.campaigns) {
    const cid = campaignId.get(c.name);
    if (cid === undefined) throw new Error(`Campaign ${c.name} was not created`);
    for (const t of c.teams) {
      const tid = teamId.get(t);
      if (tid === undefined) throw new Error(`Team ${t} does not exist`);
      campaignTeamRows.push({ campaignId: cid, teamId: tid });
    }
    const reached = new Set<number>();
    for (const [name, priority] of c.lists) {
      campaignListRows.push({ campaignId: cid, listId: listIdOf(name), priority });
      for (const i of plan.lists.find((l) => l.name === name)?.donorIndexes ?? []) reached.add(i);
    }
    donorsPerCampaign[c.name] = reached.size;
  }
  await tx.insert(campaignTeams).values(campaignTeamRows);
  await tx.insert(campaignLists).values(campaignListRows);
  // The dialer's queue for every campaign, from the lists just connected.
  await tx.execute(queueFromLists(null, now));

  // The inbound line, its General enquiries campaign (active with no list: its donors are the
  // call-backs the line books, whose teams are added then) and the simulator's phone system.
  const [general] = await tx
    .insert(campaigns)
    .values({ name: INBOUND_LINE.campaign, purpose: 'inbound_line', status: 'active', createdAt: now, updatedAt: now })
    .returning({ id: campaigns.id });
  const [line] = await tx
    .insert(inboundLines)
    .values({
      number: INBOUND_LINE.number,
      name: INBOUND_LINE.name,
      campaignId: general!.id,
      timeZone: INBOUND_LINE.timeZone,
      weekdayHours: Array.from({ length: 7 }, () => ({ start: '00:00', end: '24:00' })),
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: inboundLines.id });
  await tx.insert(inboundLineTeams).values(
    INBOUND_LINE.teams.map((name) => {
      const tid = teamId.get(name);
      if (tid === undefined) throw new Error(`Team ${name} does not exist`);
      return { lineId: line!.id, teamId: tid };
    }),
  );
  await tx.insert(phoneSystemTokens).values({
    name: DEMO_PHONE_SYSTEM,
    tokenHash: hashPhoneSystemToken(phoneSystemToken),
    createdBy: userId('admin'),
    createdAt: now,
  });

  return {
    users: userRows.length,
    jobRoles: JOB_ROLES.length,
    skipReasons: SKIP_REASONS.length,
    endReasons: END_REASONS.length,
    breakReasons: BREAK_REASONS.length,
    teams: teamRows.length,
    teamMembers: memberRows.length,
    campaigns: campaignRows.length,
    campaignTeams: campaignTeamRows.length,
    lists: listRows.length,
    listMembers: memberships.length,
    campaignLists: campaignListRows.length,
    donors: donorIds.length,
    donations: donationRows.length,
    sponsorships: sponsorshipRows.length,
    payments: paymentRows.length,
    failedPaymentsUnresolved: paymentRows.filter((p) => p.status === 'failed' && !p.resolvedAt).length,
    donorNotes: noteRows.length,
    inboundLines: 1,
    donorsPerCampaign,
    donorsPerList: Object.fromEntries(plan.lists.map((l) => [l.name, l.donorIndexes.length])),
  };
}
