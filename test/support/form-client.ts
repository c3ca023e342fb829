/**
 * A small browser-like HTTP client for server-rendered pages in tests: a cookie jar that honours
 * cookie paths, manual redirects (so tests can assert each hop), and helpers to read and submit
 * forms. Real HTTP with fetch; no DOM.
 */
interface StoredCookie {
  name: string;
  value: string;
  path: string;
  origin: string;
}

export interface FormResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  /** Location of a redirect, resolved against the request URL. */
  location?: string;
}

export class FormClient {
  private cookies: StoredCookie[] = [];

  async get(url: string, init: { headers?: Record<string, string> } = {}): Promise<FormResponse> {
    return this.send(url, { method: 'GET', headers: init.headers });
  }

  /** A list sends the name once per value (ticked checkboxes). */
  async post(url: string, fields: Record<string, string | readonly string[]>): Promise<FormResponse> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(fields))
      for (const one of typeof value === 'string' ? [value] : value) body.append(name, one);
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: body.toString(),
    });
  }

  /** Follows redirects (GET) up to `max` hops, returning every hop; stops at the first non-redirect. */
  async follow(first: FormResponse, max = 10): Promise<FormResponse[]> {
    const hops = [first];
    let r = first;
    for (let i = 0; i < max && r.location; i++) {
      r = await this.get(r.location);
      hops.push(r);
    }
    return hops;
  }

  cookieNames(url: string): string[] {
    return this.matching(new URL(url)).map((c) => c.name);
  }

  private matching(u: URL): StoredCookie[] {
    return this.cookies.filter(
      (c) => c.origin === u.origin && (u.pathname === c.path || u.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
    );
  }

  private async send(url: string, init: { method: string; headers?: Record<string, string>; body?: string }): Promise<FormResponse> {
    const u = new URL(url);
    const cookie = this.matching(u)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    const res = await fetch(u, {
      method: init.method,
      redirect: 'manual',
      headers: { ...(init.headers ?? {}), ...(cookie ? { cookie } : {}) },
      body: init.body,
      signal: AbortSignal.timeout(20_000),
    });
    for (const line of res.headers.getSetCookie()) this.store(u, line);
    const loc = res.headers.get('location');
    return {
      status: res.status,
      url: u.href,
      headers: res.headers,
      text: await res.text(),
      location: loc ? new URL(loc, u).href : undefined,
    };
  }

  private store(u: URL, line: string): void {
    const [pair, ...attrs] = line.split(';').map((s) => s.trim());
    const eq = pair!.indexOf('=');
    const name = pair!.slice(0, eq);
    const value = pair!.slice(eq + 1);
    const pathAttr = attrs.find((a) => /^path=/i.test(a));
    const path = pathAttr ? pathAttr.slice(5) : '/';
    const expired =
      attrs.some((a) => /^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()) || attrs.some((a) => /^max-age=(0|-)/i.test(a));
    this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path && c.origin === u.origin));
    if (!expired && value !== '') this.cookies.push({ name, value, path, origin: u.origin });
  }
}

/** Reads the hidden CSRF field of the first form on a page. */
export function csrfFrom(page: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(page);
  if (!m) throw new Error('no CSRF field on the page');
  return m[1]!;
}

/** The text of the page's alert (error) element, tags stripped and entities decoded. */
export function alertText(page: string): string | undefined {
  const m = /role="alert"[^>]*>([\s\S]*?)<\/p>/.exec(page);
  return m ? decodeEntities(m[1]!.replace(/<[^>]+>/g, '')).trim() : undefined;
}

/** The text of the page's status (notice) element. */
export function noticeText(page: string): string | undefined {
  const m = /role="status"[^>]*>([\s\S]*?)<\/p>/.exec(page);
  return m ? decodeEntities(m[1]!.replace(/<[^>]+>/g, '')).trim() : undefined;
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
