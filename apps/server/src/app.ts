import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DestinationStream } from 'pino';
import type { Db } from './db/client';
import type { Config } from './env';
import { authRoutes } from './features/auth/auth.routes';
import { healthRoutes } from './features/health/health.routes';
import { dialerRoutes } from './features/dialer/dialer.routes';
import type { DialerService } from './features/dialer/dialer.service';
import { donorsRoutes } from './features/donors/donors.routes';
import { settingsRoutes } from './features/settings/settings.routes';
import { organisationRoutes } from './features/organisation/organisation.routes';
import { usersRoutes } from './features/users/users.routes';
import { appointmentsRoutes } from './features/appointments/appointments.routes';
import { auditRoutes } from './features/audit/audit.routes';
import { callsRoutes } from './features/calls/calls.routes';
import { campaignsRoutes } from './features/campaigns/campaigns.routes';
import { eventsRoutes } from './features/events/events.routes';
import { floorRoutes } from './features/floor/floor.routes';
import { importsRoutes } from './features/imports/imports.routes';
import { inboundRoutes } from './features/inbound/inbound.routes';
import { inboundDeskRoutes } from './features/inbound/inbound-desk.routes';
import type { InboundService } from './features/inbound/inbound.service';
import { listsRoutes } from './features/lists/lists.routes';
import { teamsRoutes } from './features/teams/teams.routes';
import { telephonySettings } from './features/telephony/telephony';
import { telephonyRoutes } from './features/telephony/telephony.routes';
import { createEventSender, startRealtimeHub } from './lib/realtime';
import { AppError, errorBody, errorHandler } from './lib/errors';
import { registerGuard, sessionCookieName } from './lib/guard';
import { apiDocsCsp, pageWithNonce, registerSecurityHeaders } from './lib/security-headers';
import { loggerOptions } from './lib/logger';
import { setUpRequestValidation } from './lib/validation';
import { createServices } from './services';
import { PHONE_SYSTEM_SECURITY_SCHEMES } from './features/inbound/phone-system-auth';

export const APP_VERSION = '0.1.0';

declare module 'fastify' {
  interface FastifyInstance {
    /** The dialer service, for the background sweep in main.ts and for tests. */
    dialer: DialerService;
    /** The inbound service, for the background sweep in main.ts and for tests. */
    inbound: InboundService;
  }
}

/**
 * TRUST_PROXY as Fastify takes it. Fastify no longer accepts a bare hop count (it cannot tell a
 * load balancer from a client that connects directly), so a count becomes a function that
 * believes exactly that many hops; it is only right when clients cannot reach the app except
 * through the proxies (the README says so). A list of proxy addresses is checked by Fastify.
 */
function trustProxyOption(
  setting: Config['TRUST_PROXY'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return setting;
}

export interface AppDeps {
  db: Db;
  /** For the LISTEN connection of the real-time hub. */
  databaseUrl: string;
  config: Config;
  embeddedDatabase: boolean;
  now?: () => Date;
  /** Where the logs go (tests read them); standard output when absent. */
  logStream?: DestinationStream;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { db, config } = deps;
  const app = Fastify({
    logger: loggerOptions(config, deps.logStream),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  setUpRequestValidation(app);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.addHook('onSend', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });

  // The softphone connects to the SIP server's WebSocket (features/telephony): the policy allows it.
  const telephony = telephonySettings(config).telephony;
  const csp = {
    https: config.COOKIE_SECURE,
    connectSrc: telephony.mode === 'sip' ? [new URL(telephony.wsUrl).origin] : [],
  };
  await registerSecurityHeaders(app, csp);
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Engage Call Center API',
        version: APP_VERSION,
        description:
          'The API behind the Engage Call Center web app and phone-system integrations. Sign in with `login`; the session cookie authenticates every other call. Errors always answer `{ code, message, issues?, requestId }`.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: sessionCookieName(config.COOKIE_SECURE) },
          ...PHONE_SYSTEM_SECURITY_SCHEMES,
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    // No validator badge: it would load an image from another site (and the policy forbids it).
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
    transformStaticCSP: apiDocsCsp,
  });
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const now = deps.now ?? (() => new Date());
  const events = createEventSender(db, app.log);
  app.addHook('onClose', async () => events.flush());
  const services = createServices({ db, config, now, events, log: app.log });
  const { auth, dialer, floor } = services;
  registerGuard(app, { auth, config });
  app.decorate('dialer', dialer);
  app.decorate('inbound', services.inbound);
  const hub = startRealtimeHub(deps.databaseUrl, app.log);
  auth.listenForChanges(hub);
  app.addHook('onClose', async () => hub.close());

  // Each routes plugin gets the services it serves, and nothing else.
  await app.register(healthRoutes, { db, embedded: deps.embeddedDatabase, version: APP_VERSION });
  await app.register(authRoutes, { auth, config });
  await app.register(eventsRoutes, {
    hub,
    floor,
    auth,
    limits: { maxStreams: config.EVENTS_MAX_STREAMS, maxStreamsPerUser: config.EVENTS_MAX_STREAMS_PER_USER },
  });
  await app.register(dialerRoutes, {
    dialer,
    incoming: (agentId) => services.inbound.incomingFor(agentId),
    becameFree: (agentId) => services.inbound.ringQueuedFor(agentId),
  });
  await app.register(floorRoutes, { floor });
  await app.register(usersRoutes, { users: services.users });
  await app.register(settingsRoutes, { settings: services.settings });
  await app.register(organisationRoutes, { organisation: services.organisation });
  await app.register(donorsRoutes, { donors: services.donors });
  await app.register(teamsRoutes, { teams: services.teams });
  await app.register(campaignsRoutes, { campaigns: services.campaigns });
  await app.register(listsRoutes, { lists: services.lists });
  await app.register(importsRoutes, { imports: services.imports, maxBytes: config.IMPORT_MAX_BYTES });
  await app.register(callsRoutes, { calls: services.calls });
  await app.register(auditRoutes, { audit: services.audit });
  await app.register(appointmentsRoutes, { appointments: services.appointments });
  await app.register(inboundRoutes, { inbound: services.inbound, now });
  await app.register(inboundDeskRoutes, { inboundDesk: services.inboundDesk });
  await app.register(telephonyRoutes, { telephony: services.telephony });

  const webDist = config.WEB_DIST_DIR ?? path.resolve(import.meta.dirname, '../../web/dist');
  const indexHtmlPath = path.join(webDist, 'index.html');
  // Read once: each answer gets its own nonce (lib/security-headers.ts).
  const indexHtml = fs.existsSync(indexHtmlPath) ? fs.readFileSync(indexHtmlPath, 'utf8') : null;
  if (indexHtml !== null) {
    await app.register(fastifyStatic, {
      root: webDist,
      wildcard: false,
      index: false,
      cacheControl: false,
      // The page itself is always answered below, with its nonce.
      allowedPath: (pathName) => pathName !== '/index.html',
    });
  }

  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/') || req.url === '/api' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      const err = new AppError(
        'route_not_found',
        `There is no ${req.method} ${req.url.split('?')[0]} in this API. See /api/docs for the routes.`,
      );
      return reply.status(err.status).send(errorBody(err.code, err.message, req.id));
    }
    if (indexHtml === null) {
      return reply
        .status(503)
        .type('text/plain')
        .send('The web app is not built yet. Run "npm start" (it builds it) or "npm run build".');
    }
    // Single-page app: React Router decides what to show, including its own not-found page.
    const page = pageWithNonce(reply, indexHtml, csp);
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(page);
  });

  return app;
}
