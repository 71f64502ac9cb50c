// `npm run telephony:dev`: the reference SIP deployment for local use next to `npm start`.
// Checks Kamailio, rtpengine and SIPp are installed (says which apt packages to install when not),
// starts rtpengine, waits until its CLI answers, then Kamailio with its log in this terminal.
// Ctrl-C stops both. Settings: the TELEPHONY_* variables in README.md ("Telephony (opt-in)").
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { installCommand, loadSecret, missingPackages, resolveSettings, startStack } from '../telephony/stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runDir = path.join(root, '.tmp', 'telephony');

const missing = missingPackages();
if (missing.length > 0) {
  console.error(`Kamailio, rtpengine or SIPp is missing (Debian packages: ${missing.join(', ')}).`);
  console.error(`Install them with:\n\n  ${installCommand()}\n`);
  console.error('then run npm run telephony:dev again. Nothing else needs root.');
  process.exit(1);
}

let settings;
try {
  settings = await resolveSettings();
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
}
const { secret, source } = loadSecret(runDir);
// Inbound calls through Engage: ENGAGE_URL (the app, e.g. http://127.0.0.1:3000) and ENGAGE_TOKEN
// (a phone-system token an administrator created on the Phone systems page).
const engageUrl = process.env.ENGAGE_URL;
const engageToken = process.env.ENGAGE_TOKEN;
if (Boolean(engageUrl) !== Boolean(engageToken)) {
  console.error(
    'Set both ENGAGE_URL and ENGAGE_TOKEN (a phone-system token) for inbound calls through Engage, or neither.',
  );
  process.exit(1);
}
const engage = engageUrl && engageToken ? { url: engageUrl, token: engageToken } : undefined;

let stack;
try {
  stack = await startStack({ runDir, settings, secret, inheritLogs: true, engage });
} catch (err) {
  console.error(err instanceof Error ? err.message : String(err));
  console.error(
    `A port may be taken: set TELEPHONY_SIP_PORT, TELEPHONY_WS_PORT, TELEPHONY_TRUNK_SOCKET_PORT, ` +
      `TELEPHONY_RTPENGINE_NG_PORT or TELEPHONY_RTPENGINE_CLI_PORT to free ones.`,
  );
  process.exit(1);
}

const s = stack.settings;
console.log(`
Engage telephony (reference deployment) is running:
  WebSocket SIP (softphones):  ${stack.wsUrl}
  SIP over UDP (agents, SIPp): sip:127.0.0.1:${s.sipPort}
  trunk socket (carrier in):   sip:127.0.0.1:${s.trunkSocketPort}, accepted from ${s.trunkSourceIp}
  calls out go to the trunk:   ${s.trunkUri}
  calls in ask:                ${engage ? `Engage at ${engage.url} (phone-system API)` : 'nobody: they ring the agent named in the Request-URI (set ENGAGE_URL and ENGAGE_TOKEN)'}
  rtpengine:                   ng udp:127.0.0.1:${s.ngPort}, cli 127.0.0.1:${s.cliPort}, RTP ${s.rtpMin}-${s.rtpMax}
  ephemeral-credentials secret: ${source === 'TELEPHONY_SECRET' ? 'from TELEPHONY_SECRET' : source}
  logs and pid files:          ${runDir}
To use it from Engage, start the app in another terminal with:
  TELEPHONY=sip TELEPHONY_WS_URL=${stack.wsUrl} TELEPHONY_SECRET=${source === 'TELEPHONY_SECRET' ? '"$TELEPHONY_SECRET"' : `"$(cat ${path.join(runDir, 'secret')})"`} npm start
Ctrl-C stops Kamailio and rtpengine.
`);

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
stack.kamailio.on('exit', (code) => {
  if (!stopping) console.error(`Kamailio exited (${code}); stopping rtpengine.`);
  void shutdown(code ?? 1);
});
stack.rtpengine.on('exit', (code) => {
  if (!stopping) console.error(`rtpengine exited (${code}); its log: ${path.join(runDir, 'rtpengine.log')}`);
  void shutdown(code ?? 1);
});
