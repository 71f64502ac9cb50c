import type { CallLine, CallSignalBody, SoftphoneCredentials, Telephony } from '@engage/contracts';
import type { Db } from '../../db/client';
import { AppError } from '../../lib/errors';
import { withTransaction } from '../../lib/tx';
import type { Actor, DialerService } from '../dialer/dialer.service';
import * as repo from './telephony.repository';
import { applySignal, callLineView } from './telephony.rules';
import { ephemeralSipCredentials, sipUser, type TelephonySettings } from './telephony';

/** How long after End Call the softphone's last reports of a call are still taken. */
const LATE_SIGNAL_MS = 60_000;

const telephonyOff = () =>
  new AppError(
    'telephony_off',
    'No phone system is connected (TELEPHONY=none): place calls from the tel: link and log desk-phone calls with Log inbound call.',
  );

/**
 * The telephony boundary: which phone system the screens use, the softphone's credentials, and
 * what the softphone observed of each call's signalling (the call record's dialled, answered,
 * hang-up). With TELEPHONY=none it issues nothing and records nothing.
 */
export function createTelephonyService(deps: {
  db: Db;
  now: () => Date;
  settings: TelephonySettings;
  dialer: Pick<DialerService, 'getShift'>;
}) {
  const { db, now, settings, dialer } = deps;

  function telephony(): Telephony {
    return settings.telephony;
  }

  /** Where a call to the agent rings with a SIP server: their softphone's address; null without one. */
  function sipUriOf(agentId: number): string | null {
    const t = settings.telephony;
    return t.mode === 'sip' ? `sip:${sipUser(agentId)}@${t.sipDomain}` : null;
  }

  /**
   * Credentials for the agent's softphone, good for the settings' TTL; only while the agent is
   * signed into a shift (the softphone registers for the shift and asks again before they end).
   */
  async function softphoneCredentials(actor: Actor): Promise<SoftphoneCredentials> {
    const t = settings.telephony;
    if (t.mode !== 'sip' || settings.secret === null) throw telephonyOff();
    if (!(await dialer.getShift(actor))) {
      throw new AppError('no_open_shift', 'Sign in to a shift first: your softphone connects while you are signed in.');
    }
    const c = ephemeralSipCredentials(settings.secret, sipUser(actor.id), now(), settings.ttlSeconds);
    return {
      wsUrl: t.wsUrl,
      sipUri: sipUriOf(actor.id)!,
      authorizationUser: c.authorizationUser,
      password: c.password,
      expiresAt: c.expiresAt.toISOString(),
      iceServers: settings.iceServers,
    };
  }

  /** Records what the softphone saw of one of the agent's own calls (telephony.rules applySignal). */
  async function recordSignal(actor: Actor, callId: number, signal: CallSignalBody): Promise<CallLine> {
    if (settings.telephony.mode !== 'sip') throw telephonyOff();
    return withTransaction(db, async (tx) => {
      const row = await repo.lockAgentCallLine(tx, callId, actor.id);
      if (!row)
        throw new AppError('call_not_found', `You have no call ${callId}: report the calls you place or answer.`);
      const t = now();
      // The softphone reports as the line closes, End Call or not; a report long after the call
      // ended is not believed (it could only rewrite history).
      if (row.endedAt && t.getTime() - row.endedAt.getTime() > LATE_SIGNAL_MS) {
        throw new AppError(
          'call_already_ended',
          `Call ${callId} ended more than ${LATE_SIGNAL_MS / 1000} s ago: what its line did can no longer be reported. Report as the line closes.`,
        );
      }
      const at = row.endedAt && row.endedAt < t ? row.endedAt : t;
      const next = applySignal(row, signal, row.direction, at);
      if (next) await repo.writeCallLine(tx, row.id, next);
      return callLineView(next ?? row, row.endedAt);
    });
  }

  return { telephony, sipUriOf, softphoneCredentials, recordSignal };
}

export type TelephonyService = ReturnType<typeof createTelephonyService>;
