import { randomBytes } from 'node:crypto';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * What the web app's build writes where the page's nonce goes (`html.cspNonce` in
 * apps/web/vite.config.ts): on its script and stylesheet tags and in
 * `<meta property="csp-nonce">`, which the app hands to Mantine for the <style> tags it writes.
 */
export const CSP_NONCE_PLACEHOLDER = 'ENGAGE_CSP_NONCE';

/**
 * The Content-Security-Policy of every answer. Scripts, styles, images, fonts and requests come
 * from this origin only (requests also to the SIP server's WebSocket when there is one); no inline script, no plugin, no framing. The web app's page adds a
 * per-answer nonce for styles: Mantine writes its CSS variables into <style> tags at run time.
 * Over HTTPS, any http: URL a page still names is fetched over https.
 */
export interface CspOptions {
  https: boolean;
  /** Origins the page may also connect to: the SIP server's WebSocket with TELEPHONY=sip (features/telephony). */
  connectSrc?: string[];
}

function directives(opts: CspOptions & { styleNonce?: string }) {
  return {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'", ...(opts.styleNonce ? [`'nonce-${opts.styleNonce}'`] : [])],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", ...(opts.connectSrc ?? [])],
    objectSrc: ["'none'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
    ...(opts.https ? { upgradeInsecureRequests: [] } : {}),
  };
}

/**
 * Browser security headers on every answer, through @fastify/helmet: the policy above,
 * `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`, `Referrer-Policy: same-origin` (a
 * stricter `no-referrer` would make browsers send `Origin: null` on the app's own POSTs, which the
 * guard's same-site check refuses), and HSTS when the app is served over HTTPS.
 */
export async function registerSecurityHeaders(app: FastifyInstance, opts: CspOptions): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: { useDefaults: false, directives: directives(opts) },
    strictTransportSecurity: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
}

/**
 * The API reference (@fastify/swagger-ui at /api/docs) writes a few inline styles from its bundled
 * script: its pages, and only they, also allow inline styles. Scripts stay 'self' only.
 */
export function apiDocsCsp(header: string): string {
  return header.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
}

/**
 * The web app's index.html for one answer: a fresh nonce in its tags and in the policy's
 * style-src, so Mantine's <style> tags are allowed without 'unsafe-inline'.
 */
export function pageWithNonce(reply: FastifyReply, html: string, opts: CspOptions): string {
  const nonce = randomBytes(16).toString('base64');
  reply.helmet({
    contentSecurityPolicy: { useDefaults: false, directives: directives({ ...opts, styleNonce: nonce }) },
  });
  return html.replaceAll(CSP_NONCE_PLACEHOLDER, nonce);
}
