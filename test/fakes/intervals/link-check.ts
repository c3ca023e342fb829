import { createServer, type Server } from 'node:http';
import { createIntervalsOAuthState, handleIntervalsOAuth, type IntervalsOAuthState } from './oauth.js';

/**
 * A small Intervals.icu stand-in for the link step: `GET /api/v1/athlete/{id}` (the live check)
 * with Basic `API_KEY:<key>` or an OAuth Bearer token, plus the OAuth routes from oauth.ts.
 * Answers follow the published contract: 403 `{"status":403,"error":"Access denied"}` for a bad
 * key or someone else's athlete, Spring's 404 body for an unknown athlete, `0` = the key's owner.
 */
export interface StandInAthlete {
  id: string; // i123456
  name: string;
  apiKey: string;
}

export interface LinkCheckStandIn {
  url: string;
  /** INTERVALS_API_BASE_URL for the service under test. */
  apiBaseUrl: string;
  oauth: IntervalsOAuthState;
  athletes: StandInAthlete[];
  /** Requests to /api/v1/athlete/* so far (to prove bad input never reached the network). */
  athleteRequests: () => number;
  /** Delay every athlete answer (to exercise timeouts). */
  setDelayMs(ms: number): void;
  close(): Promise<void>;
}

/** A subset of the `WithSportSettings` body (intervals-samples/athlete-profile-assembled.json). */
const PROFILE: Record<string, unknown> = {
  firstname: 'Example',
  lastname: 'Athlete',
  timezone: 'Europe/London',
  locale: 'en',
  sex: 'M',
  icu_resting_hr: 55,
  icu_weight: 70.0,
  status: 'ACTIVE',
  sportSettings: [],
  custom_items: [],
};

const ACCESS_DENIED = JSON.stringify({ status: 403, error: 'Access denied' });

export async function startLinkCheckStandIn(athletes: StandInAthlete[], oauth: IntervalsOAuthState = createIntervalsOAuthState()): Promise<LinkCheckStandIn> {
  let requests = 0;
  let delayMs = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await handleIntervalsOAuth(req, res, oauth)) return;
      const m = /^\/api\/v1\/athlete\/([^/?]+)$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
      if (req.method !== 'GET' || !m) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 404, error: 'Not Found' }));
        return;
      }
      requests += 1;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs).unref());
      const auth = req.headers.authorization ?? '';
      const basic = /^Basic (.+)$/.exec(auth)?.[1];
      const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
      const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : '';
      const byKey = decoded.startsWith('API_KEY:') ? athletes.find((a) => a.apiKey === decoded.slice(8)) : undefined;
      const byToken = bearer ? oauth.tokens.get(bearer)?.athlete : undefined;
      const owner = byKey ?? (byToken ? { id: byToken.id.startsWith('i') ? byToken.id : `i${byToken.id}`, name: byToken.name } : undefined);
      if (!owner) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(ACCESS_DENIED);
        return;
      }
      const wanted = decodeURIComponent(m[1]!);
      const normal = wanted === '0' ? owner.id : wanted.startsWith('i') ? wanted : `i${wanted}`;
      const known = athletes.some((a) => a.id === normal) || normal === owner.id;
      if (!known) {
        res
          .writeHead(404, { 'content-type': 'application/json' })
          .end(JSON.stringify({ timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path: `/api/v1/athlete/${wanted}` }));
        return;
      }
      if (normal !== owner.id) {
        res.writeHead(403, { 'content-type': 'application/json' }).end(ACCESS_DENIED);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...PROFILE, id: owner.id, name: owner.name }));
    })().catch((err: unknown) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    url,
    apiBaseUrl: `${url}/api/v1`,
    oauth,
    athletes,
    athleteRequests: () => requests,
    setDelayMs: (ms) => (delayMs = ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
