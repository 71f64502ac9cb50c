import type { FastifyBaseLogger } from 'fastify';
import type { Db, Tx } from './db/client';
import type { DatabaseRoutines } from './db/routines';
import type { Config } from './env';
import { createAppointmentsService } from './features/appointments/appointments.service';
import { createAuditService } from './features/audit/audit.service';
import { createAuthService } from './features/auth/auth.service';
import { createCallsService } from './features/calls/calls.service';
import { createCampaignsService } from './features/campaigns/campaigns.service';
import { DIALER_ROUTINES } from './features/dialer/dialer.routines';
import { createDialerService } from './features/dialer/dialer.service';
import { createDonorsService } from './features/donors/donors.service';
import { createFloorService } from './features/floor/floor.service';
import { createImportsService } from './features/imports/imports.service';
import { createInboundCallbacks } from './features/inbound/inbound-callback';
import { createInboundService } from './features/inbound/inbound.service';
import { createInboundDeskService } from './features/inbound/inbound-desk.service';
import { createListsService } from './features/lists/lists.service';
import { createOrganisationService } from './features/organisation/organisation.service';
import { createSettingsService } from './features/settings/settings.service';
import { createTeamsService } from './features/teams/teams.service';
import { telephonySettings } from './features/telephony/telephony';
import { createTelephonyService } from './features/telephony/telephony.service';
import { createUsersService } from './features/users/users.service';
import type { EngageEvent } from '@engage/contracts';

/**
 * The views and functions the features keep in the database (today the dialer's), installed after
 * the migrations by whoever migrates: start-up (main.ts, cli/), the tests' set-up and the benches.
 */
export const databaseRoutines: DatabaseRoutines = DIALER_ROUTINES;

/** What the services are built from: the database, the settings, the clock, the event outlet, the log. */
export interface Infrastructure {
  db: Db;
  config: Config;
  now: () => Date;
  /** Where shift events go once their transaction has committed (lib/realtime.ts). */
  events: { send(event: EngageEvent): void };
  log: FastifyBaseLogger;
}

/**
 * The composition root: every service is built here, once, with exactly the other services and
 * infrastructure it uses; app.ts hands each routes plugin the services it serves. A feature
 * reaches another feature only through what it is given here.
 */
export function createServices(infra: Infrastructure) {
  const { db, config, now, events, log } = infra;
  const auth = createAuthService({ db, config, now });
  // Inbound routing is built from the dialer; the dialer's break and sign-out call back into it.
  const ringing = { agentLeaving: (tx: Tx, agentId: number) => inbound.agentLeaving(tx, agentId) };
  const dialer = createDialerService({ db, events, now, leaseSeconds: config.LEASE_SECONDS, ringing });
  const organisation = createOrganisationService({ db, now });
  const appointments = createAppointmentsService({ db, now });
  const campaigns = createCampaignsService({ db, dialer, organisation, now });
  const telephony = createTelephonyService({ db, now, settings: telephonySettings(config), dialer });
  const inbound = createInboundService({
    db,
    now,
    campaigns,
    dialer,
    callbacks: createInboundCallbacks({ appointments }),
    sipUriOf: telephony.sipUriOf,
  });
  const calls = createCallsService({ db, now, dialer, lines: inbound });
  const donors = createDonorsService({ db, now, dialer, organisation, calls });
  const lists = createListsService({ db, now, dialer, donors });
  const imports = createImportsService({ db, now, config, dialer, log });
  const teams = createTeamsService({ db, now });
  const users = createUsersService({
    db,
    sessions: { forget: (userIds) => auth.forgetUsers(userIds) },
    shifts: dialer,
    now,
  });
  const settings = createSettingsService({ db, now });
  const inboundDesk = createInboundDeskService({ db, now, dialer });
  const floor = createFloorService({ db, dialer, inboundQueue: inboundDesk, now });
  // Each entity's trail is read under the same rule as the entity itself (its service's check).
  const audit = createAuditService({
    db,
    scopes: {
      call: calls.assertInScope,
      appointment: appointments.assertInScope,
      donor: donors.assertInScope,
      campaign: campaigns.assertInScope,
      inbound_line: inbound.assertInScope,
    },
  });
  return {
    auth,
    dialer,
    organisation,
    calls,
    appointments,
    donors,
    campaigns,
    lists,
    imports,
    teams,
    users,
    settings,
    floor,
    audit,
    inbound,
    inboundDesk,
    telephony,
  };
}

export type Services = ReturnType<typeof createServices>;
