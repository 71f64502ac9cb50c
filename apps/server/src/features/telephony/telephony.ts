import { createHmac } from 'node:crypto';
import type { SoftphoneCredentials, Telephony } from '@engage/contracts';
import type { Config } from '../../env';

/**
 * The one place that knows which phone system the product runs with (TELEPHONY): `none`, as
 * before (Start Call shows a tel: link, desk-phone calls are logged by hand), or `sip`, a softphone
 * in the agent's browser registering with a SIP server over WebSocket. Everything else asks here.
 */
export interface TelephonySettings {
  telephony: Telephony;
  /** sip only: the shared secret of the SIP server's ephemeral credentials (Kamailio's auth_ephemeral). */
  secret: string | null;
  ttlSeconds: number;
  iceServers: SoftphoneCredentials['iceServers'];
}

export function telephonySettings(config: Config): TelephonySettings {
  const base = { ttlSeconds: config.TELEPHONY_CREDENTIAL_TTL_SECONDS, iceServers: config.TELEPHONY_ICE_SERVERS };
  if (config.TELEPHONY !== 'sip' || !config.TELEPHONY_WS_URL || !config.TELEPHONY_SECRET) {
    return { ...base, telephony: { mode: 'none' }, secret: null };
  }
  const wsUrl = config.TELEPHONY_WS_URL;
  const sipDomain = config.TELEPHONY_SIP_DOMAIN ?? new URL(wsUrl).hostname;
  return { ...base, telephony: { mode: 'sip', wsUrl, sipDomain }, secret: config.TELEPHONY_SECRET };
}

/** The SIP user of an agent: calls to `sip:agent-<id>@domain` ring their softphone. */
export function sipUser(agentId: number): string {
  return `agent-${agentId}`;
}

/**
 * Ephemeral credentials (auth_ephemeral's username_format 1, sha_algorithm 1): the user name is
 * "<expiry unix seconds>:<user>", the password base64(HMAC-SHA256(secret, user name)). The SIP
 * server recomputes it with the secret it shares and refuses it after the expiry, so nothing is
 * stored and nothing outlives `ttlSeconds`. telephony/stack.mjs signs the tests' SIPp agents the same way.
 */
export function ephemeralSipCredentials(secret: string, user: string, now: Date, ttlSeconds: number) {
  const expiry = Math.floor(now.getTime() / 1000) + ttlSeconds;
  const authorizationUser = `${expiry}:${user}`;
  const password = createHmac('sha256', secret).update(authorizationUser, 'utf8').digest('base64');
  return { authorizationUser, password, expiresAt: new Date(expiry * 1000) };
}
