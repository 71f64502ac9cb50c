import { z } from 'zod';

const isoInstant = z.iso.datetime({ offset: true });

/**
 * The phone system the agent's screen works with (getTelephony): `none` (Start Call shows a
 * `tel:` link; desk-phone calls are logged by hand) or `sip` (a softphone in the browser).
 */
export const telephonySchema = z
  .discriminatedUnion('mode', [
    z.object({ mode: z.literal('none') }),
    z.object({
      mode: z.literal('sip'),
      wsUrl: z.string().describe("The SIP server's WebSocket URL"),
      sipDomain: z.string().describe("The domain of the agents' SIP addresses"),
    }),
  ])
  .meta({ id: 'Telephony' });
export type Telephony = z.infer<typeof telephonySchema>;

export const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/**
 * What the softphone registers with (createSoftphoneCredentials): issued per agent and per shift,
 * good until `expiresAt`. Kept in the page's memory only, never in the browser's storage.
 */
export const softphoneCredentialsSchema = z
  .object({
    wsUrl: z.string(),
    sipUri: z.string().describe('sip:agent-<agent id>@<domain>: the address calls to this agent ring'),
    authorizationUser: z.string().describe('"<expiry unix seconds>:agent-<agent id>" (ephemeral credentials)'),
    password: z
      .string()
      .describe('base64 HMAC-SHA256 of authorizationUser, keyed with the secret the SIP server shares'),
    expiresAt: isoInstant,
    iceServers: z.array(iceServerSchema),
  })
  .meta({ id: 'SoftphoneCredentials' });
export type SoftphoneCredentials = z.infer<typeof softphoneCredentialsSchema>;

/**
 * What the softphone observed of a call's signalling (recordCallSignal). The server stamps each
 * with its own clock: `dialled` (the INVITE went out), `answered` (the other side picked up, or
 * the agent answered an inbound call), `ended` (the line closed: after an answer, a hang-up;
 * before, a failure) with the SIP status and who ended it.
 */
export const callSignalTypes = ['dialled', 'answered', 'ended'] as const;
export const callSignalBodySchema = z.object({
  type: z.enum(callSignalTypes),
  statusCode: z
    .number()
    .int()
    .min(100)
    .max(699)
    .optional()
    .describe('The SIP final response that ended an unanswered call (486 busy, 408/480/487 no answer, ...)'),
  originator: z
    .enum(['local', 'remote', 'system'])
    .optional()
    .describe('Who ended it: local (the agent), remote (the donor or the network), system (the softphone itself)'),
  cause: z
    .string()
    .max(64)
    .optional()
    .describe("The SIP library's cause, e.g. Busy, Canceled, Terminated, RTP Timeout"),
});
export type CallSignalBody = z.infer<typeof callSignalBodySchema>;

export const hangupSides = ['agent', 'donor', 'system'] as const;
export const hangupCauses = ['normal', 'busy', 'no_answer', 'failed'] as const;
export type HangupSide = (typeof hangupSides)[number];
export type HangupCause = (typeof hangupCauses)[number];

/** What a call's signalling says (null fields: not observed). */
export const callLineSchema = z
  .object({
    dialledAt: isoInstant.nullable(),
    answeredAt: isoInstant.nullable(),
    hungUpAt: isoInstant.nullable(),
    talkSeconds: z
      .number()
      .int()
      .nullable()
      .describe('From answer to hang-up (or to End Call when the hang-up was not seen)'),
    hangupSide: z.enum(hangupSides).nullable(),
    hangupCause: z.enum(hangupCauses).nullable(),
    sipStatus: z.number().int().nullable(),
  })
  .meta({ id: 'CallLine' });
export type CallLine = z.infer<typeof callLineSchema>;

/** Causes of the SIP library (JsSIP) that mean the call could not be set up or was lost. */
const FAILURE_CAUSES = new Set([
  'RTP Timeout',
  'Connection Error',
  'Request Timeout',
  'No ACK',
  'Dialog Error',
  'WebRTC Error',
  'User Denied Media Access',
  'Authentication Error',
  'Bad Media Description',
  'Address Incomplete',
  'Not Found',
  'Unavailable',
  'SIP Failure Code',
]);

/**
 * How a call ended, from what the signalling said: the one rule the server records by and the
 * softphone shows. Before an answer: busy (486, 600, 603), no answer (408, 480, 487, or the agent
 * cancelling while it rang), else failed. After: normal, unless the connection or media was lost.
 */
export function classifyHangup(v: {
  answered: boolean;
  statusCode?: number | undefined;
  originator?: 'local' | 'remote' | 'system' | undefined;
  cause?: string | undefined;
}): { side: HangupSide; cause: HangupCause } {
  const side: HangupSide = v.originator === 'local' ? 'agent' : v.originator === 'remote' ? 'donor' : 'system';
  if (v.answered) {
    if (v.cause && FAILURE_CAUSES.has(v.cause) && v.originator !== 'local') return { side: 'system', cause: 'failed' };
    return { side, cause: 'normal' };
  }
  if (v.originator === 'local' && (v.cause === 'Canceled' || v.cause === undefined))
    return { side: 'agent', cause: 'no_answer' };
  const code = v.statusCode;
  if (code === 486 || code === 600 || code === 603 || v.cause === 'Busy' || v.cause === 'Rejected') {
    return { side: 'donor', cause: 'busy' };
  }
  if (code === 408 || code === 480 || code === 487 || v.cause === 'No Answer' || v.cause === 'Expires') {
    return { side: 'donor', cause: 'no_answer' };
  }
  return { side: 'system', cause: 'failed' };
}

/** Cases classifyHangup must answer (its unit test; the softphone's labels follow them). */
export const HANGUP_CASES: ReadonlyArray<[Parameters<typeof classifyHangup>[0], HangupSide, HangupCause]> = [
  [{ answered: false, statusCode: 486, originator: 'remote', cause: 'Busy' }, 'donor', 'busy'],
  [{ answered: false, statusCode: 600, originator: 'remote', cause: 'Busy' }, 'donor', 'busy'],
  [{ answered: false, statusCode: 603, originator: 'remote', cause: 'Rejected' }, 'donor', 'busy'],
  [{ answered: false, statusCode: 408, originator: 'remote', cause: 'Unavailable' }, 'donor', 'no_answer'],
  [{ answered: false, statusCode: 480, originator: 'remote', cause: 'Unavailable' }, 'donor', 'no_answer'],
  [{ answered: false, statusCode: 487, originator: 'remote', cause: 'SIP Failure Code' }, 'donor', 'no_answer'],
  [{ answered: false, originator: 'local', cause: 'Canceled' }, 'agent', 'no_answer'],
  [{ answered: false, statusCode: 404, originator: 'remote', cause: 'Not Found' }, 'system', 'failed'],
  [{ answered: false, statusCode: 503, originator: 'remote', cause: 'SIP Failure Code' }, 'system', 'failed'],
  [{ answered: false, originator: 'system', cause: 'Connection Error' }, 'system', 'failed'],
  [{ answered: false, originator: 'local', cause: 'User Denied Media Access' }, 'system', 'failed'],
  [{ answered: true, originator: 'remote', cause: 'Terminated' }, 'donor', 'normal'],
  [{ answered: true, originator: 'local', cause: 'Terminated' }, 'agent', 'normal'],
  [{ answered: true, originator: 'system', cause: 'RTP Timeout' }, 'system', 'failed'],
  [{ answered: true, originator: 'remote', cause: 'Connection Error' }, 'system', 'failed'],
];
