import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Intervals.icu stand-in speaking real HTTP under `/api/v1`, built from
 * the Intervals.icu OpenAPI spec (https://intervals.icu/api/v1/docs) and the captured samples in ./samples. It authenticates
 * like the real API (Basic `API_KEY:<key>` or an OAuth Bearer token with `AREA:READ|WRITE`
 * scopes; `0` = the caller; a coach may read athletes who share with them), records every request
 * for assertions, and can be told to fail: 401/403/404/422/429/500, slow answers, reset connections.
 *
 * Routes live in ./routes/<domain>.ts; each exports `registerXRoutes(fake)`. See
 * docs/TOOLS-FRAMEWORK.md.
 */
export interface FakeAthlete {
  id: string;
  name: string;
  apiKey: string;
  oauthToken: string;
  /** Intervals.icu OAuth scopes granted to `oauthToken`, e.g. ACTIVITY:WRITE (WRITE implies READ). */
  oauthScopes: string[];
  /** Athletes whose data this one may read and write (as their coach). */
  coachOf: string[];
}

export interface RecordedRequest {
  method: string;
  /** Path after `/api/v1`, e.g. `/athlete/i1001/activities`. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  auth: 'basic' | 'bearer' | null;
  /** The authenticated athlete, or null when authentication failed. */
  caller: string | null;
  userAgent: string | undefined;
}

export interface Fault {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (alone: a slow but normal answer). */
  delayMs?: number;
  /** Destroy the socket without answering. */
  reset?: boolean;
}

export interface FaultMatch {
  method?: string;
  path?: string | RegExp;
}

export type OAuthArea = 'ACTIVITY' | 'WELLNESS' | 'CALENDAR' | 'LIBRARY' | 'SETTINGS' | 'CHATS';

export interface RouteRequest {
  method: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  caller: FakeAthlete;
  /** For `/athlete/:id/...` routes: the athlete addressed (`0` resolved to the caller). */
  athlete: FakeAthlete | undefined;
}

export interface RouteAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type RouteHandler = (req: RouteRequest) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  area: OAuthArea | null;
  handler: RouteHandler;
}

const accessDenied = (): RouteAnswer => ({ status: 403, body: { status: 403, error: 'Access denied' } });

/** Spring's default 404 body, as Intervals.icu sends it. */
export function notFound(path: string): RouteAnswer {
  return { status: 404, body: { timestamp: new Date().toISOString(), status: 404, error: 'Not Found', path: `/api/v1${path}` } };
}

export function unprocessable(message: string): RouteAnswer {
  return { status: 422, body: { status: 422, error: message } };
}

export function isAnswer(v: unknown): v is RouteAnswer {
  return (
    typeof v === 'object' &&
    v !== null &&
    'status' in v &&
    typeof (v as RouteAnswer).status === 'number' &&
    Object.keys(v).every((k) => ['status', 'body', 'headers'].includes(k))
  );
}

export class FakeIntervals {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly faults: { match: FaultMatch; fault: Fault; remaining: number }[] = [];
  private readonly states = new Map<string, Map<string, unknown>>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  /** `http://127.0.0.1:<port>/api/v1`: INTERVALS_API_BASE_URL for code under test. */
  url = '';

  constructor(readonly athletes: FakeAthlete[]) {}

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Register a route. `pattern` uses `:name` segments, e.g. `/activity/:id/intervals`. */
  route(method: string, pattern: string, area: OAuthArea | null, handler: RouteHandler): void {
    const names: string[] = [];
    const re = pattern.replace(/[.]/g, '\\.').replace(/:(\w+)/g, (_, n: string) => {
      names.push(n);
      return '([^/]+)';
    });
    this.routes.push({ method, pattern: new RegExp(`^${re}$`), names, area, handler });
  }

  /** Per-athlete state for one domain, created on first use by `init` (usually from a sample). */
  state<T>(athleteId: string, domain: string, init: () => T): T {
    let m = this.states.get(athleteId);
    if (!m) this.states.set(athleteId, (m = new Map()));
    if (!m.has(domain)) m.set(domain, init());
    return m.get(domain) as T;
  }

  /** Make the next `times` matching requests misbehave. Faults apply in the order they were added. */
  inject(match: FaultMatch, fault: Fault, times = 1): void {
    this.faults.push({ match, fault, remaining: times });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** Requests matching method and path (exact string or RegExp). */
  requestsTo(method: string, path: string | RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)));
  }

  athlete(id: string): FakeAthlete {
    const a = this.athletes.find((x) => x.id === id);
    if (!a) throw new Error(`no fake athlete ${id}`);
    return a;
  }

  private authenticate(header: string | undefined): { kind: 'basic' | 'bearer' | null; athlete?: FakeAthlete; bearerWithKey?: boolean } {
    const basic = /^Basic\s+(.+)$/i.exec(header ?? '')?.[1];
    if (basic) {
      const [user, ...rest] = Buffer.from(basic, 'base64').toString('utf8').split(':');
      const key = rest.join(':');
      return { kind: 'basic', athlete: user === 'API_KEY' ? this.athletes.find((a) => a.apiKey === key) : undefined };
    }
    const bearer = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1];
    if (bearer) {
      // A personal API key sent as a Bearer token is refused with 403, as live.
      return {
        kind: 'bearer',
        athlete: this.athletes.find((a) => a.oauthToken === bearer),
        bearerWithKey: this.athletes.some((a) => a.apiKey === bearer),
      };
    }
    return { kind: null };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const f = this.faults.find(
      (x) =>
        x.remaining > 0 &&
        (!x.match.method || x.match.method === method) &&
        (!x.match.path || (typeof x.match.path === 'string' ? x.match.path === path : x.match.path.test(path))),
    );
    if (!f) return undefined;
    f.remaining -= 1;
    return f.fault;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/api\/v1/, '');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw === '' ? undefined : raw;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      // keep text
    }
    const method = req.method ?? 'GET';
    const auth = this.authenticate(req.headers.authorization);
    this.requests.push({
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      auth: auth.kind,
      caller: auth.athlete?.id ?? null,
      userAgent: req.headers['user-agent'],
    });

    const fault = this.takeFault(method, path);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    if (fault?.status)
      return send(res, {
        status: fault.status,
        body: fault.body ?? { status: fault.status, error: 'Injected failure' },
        headers: fault.headers,
      });

    if (!url.pathname.startsWith('/api/v1/')) return send(res, notFound(path));
    if (auth.bearerWithKey) return send(res, accessDenied());
    if (!auth.athlete) return send(res, { status: 401, body: { status: 401, error: 'Unauthorized' } });
    return send(res, this.dispatch(method, path, url, body, auth.kind === 'bearer', auth.athlete));
  }

  private dispatch(method: string, path: string, url: URL, body: unknown, oauth: boolean, caller: FakeAthlete): RouteAnswer {
    const candidates = this.routes.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m);
    if (candidates.length === 0) return notFound(path);
    const hit = candidates.find((x) => x.r.method === method);
    if (!hit?.m) return { status: 405, body: { status: 405, error: `Request method '${method}' is not supported` } };
    const params = Object.fromEntries(hit.r.names.map((n, i) => [n, decodeURIComponent(hit.m![i + 1]!)]));
    if (oauth && hit.r.area && !grants(caller.oauthScopes, hit.r.area, method)) return accessDenied();
    let athlete: FakeAthlete | undefined;
    if (params.id !== undefined && path.startsWith('/athlete/')) {
      const wanted = params.id === '0' ? caller.id : /^\d+$/.test(params.id) ? `i${params.id}` : params.id;
      athlete = this.athletes.find((a) => a.id === wanted);
      if (!athlete || (athlete.id !== caller.id && !caller.coachOf.includes(athlete.id))) return accessDenied();
    }
    const out = hit.r.handler({ method, params, query: Object.fromEntries(url.searchParams), body, caller, athlete });
    return isAnswer(out) ? out : { status: 200, body: out };
  }

  /** May `caller` see `owner`'s data (self or coached)? For routes without an athlete in the path. */
  canAccess(caller: FakeAthlete, ownerId: string): boolean {
    return caller.id === ownerId || caller.coachOf.includes(ownerId);
  }

  /** All athletes this caller may see, self first. */
  visibleAthletes(caller: FakeAthlete): FakeAthlete[] {
    return [caller, ...this.athletes.filter((a) => caller.coachOf.includes(a.id))];
  }
}

function grants(scopes: string[], area: OAuthArea, method: string): boolean {
  const s = new Set(scopes.map((x) => x.toUpperCase()));
  return method === 'GET' ? s.has(`${area}:READ`) || s.has(`${area}:WRITE`) : s.has(`${area}:WRITE`);
}

function send(res: ServerResponse, a: RouteAnswer): void {
  const text = a.body === undefined ? '' : typeof a.body === 'string' ? a.body : JSON.stringify(a.body);
  res.writeHead(a.status, { 'content-type': typeof a.body === 'string' ? 'text/plain' : 'application/json', ...a.headers });
  res.end(text);
}
