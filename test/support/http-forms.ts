/**
 * A tiny browser for server-rendered pages: a cookie jar with path scoping, manual redirects, the
 * `Refresh` header, and HTML form discovery/submission. Enough to walk our sign-in, consent and
 * link pages over real HTTP without JavaScript (which they do not need).
 */

interface Cookie {
  name: string;
  value: string;
  path: string;
}

export interface FormPage {
  url: URL;
  status: number;
  html: string;
}

export interface HtmlForm {
  action: string;
  method: string;
  fields: Record<string, string>;
}

const MAX_HOPS = 12;

export class CookieJar {
  private cookies: Cookie[] = [];

  /** `headers` go with every request, e.g. X-Forwarded-For to act as one of many people behind a proxy. */
  constructor(private readonly headers: Record<string, string> = {}) {}

  store(setCookies: string[], requestUrl: URL): void {
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      let path = requestUrl.pathname.replace(/\/[^/]*$/, '') || '/';
      let expired = false;
      for (const a of attrs) {
        const [k, v = ''] = a.split('=');
        const key = k!.trim().toLowerCase();
        if (key === 'path') path = v.trim() || '/';
        if (key === 'max-age' && Number(v) <= 0) expired = true;
        if (key === 'expires' && Date.parse(v) < Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path));
      if (!expired) this.cookies.push({ name, value, path });
    }
  }

  header(url: URL): string {
    return this.cookies
      .filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  /**
   * GET (or POST) `url` and follow redirects and Refresh navigations within `origin`. Returns the
   * page it stopped on, or the first URL outside `origin` or under a different port (the client's
   * redirect_uri), unfetched.
   */
  async browse(url: string, origin: string, init: { method?: string; body?: URLSearchParams } = {}): Promise<FormPage | URL> {
    let next = new URL(url);
    let method = init.method ?? 'GET';
    let body: URLSearchParams | undefined = init.body;
    for (let hop = 0; hop < MAX_HOPS; hop++) {
      if (next.origin !== origin) return next;
      const headers: Record<string, string> = { ...this.headers, cookie: this.header(next), accept: 'text/html' };
      if (body) headers['content-type'] = 'application/x-www-form-urlencoded';
      const res = await fetch(next, { method, headers, body, redirect: 'manual' });
      this.store(res.headers.getSetCookie(), next);
      const location = res.headers.get('location');
      const refresh = /^\s*\d+\s*;\s*url=(.+)$/i.exec(res.headers.get('refresh') ?? '');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        next = new URL(location, next);
      } else if (refresh) {
        await res.arrayBuffer();
        next = new URL(refresh[1]!.trim(), next);
      } else {
        return { url: next, status: res.status, html: await res.text() };
      }
      method = 'GET';
      body = undefined;
    }
    throw new Error(`more than ${MAX_HOPS} redirects from ${url}`);
  }
}

const decode = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)')`, 'i').exec(tag);
  return m ? decode(m[2] ?? m[3] ?? '') : undefined;
};

export function parseForms(html: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const fields: Record<string, string> = {};
    for (const input of m[2]!.matchAll(/<input\b[^>]*>/gi)) {
      const name = attr(input[0], 'name');
      const type = (attr(input[0], 'type') ?? 'text').toLowerCase();
      if (name && type !== 'submit' && type !== 'checkbox') fields[name] = attr(input[0], 'value') ?? '';
    }
    forms.push({ action: attr(m[1]!, 'action') ?? '', method: (attr(m[1]!, 'method') ?? 'get').toUpperCase(), fields });
  }
  return forms;
}

export function findForm(page: FormPage, match: (f: HtmlForm) => boolean): HtmlForm | undefined {
  return parseForms(page.html).find(match);
}

export async function submitForm(
  jar: CookieJar,
  page: FormPage,
  form: HtmlForm,
  /** A list sends the name once per value (ticked checkboxes). */
  values: Record<string, string | readonly string[]>,
  origin: string,
): Promise<FormPage | URL> {
  const target = new URL(form.action || page.url.href, page.url);
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...form.fields, ...values }))
    for (const one of typeof value === 'string' ? [value] : value) body.append(name, one);
  return jar.browse(target.href, origin, { method: form.method, body });
}
