import type { Context } from 'koa';

/** HTML-escape text for element content and quoted attribute values. */
export function escapeHtml(s: unknown): string {
  return String(s ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Tagged template that escapes every interpolation unless it is already `SafeHtml`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    const piece = Array.isArray(v)
      ? v.map((x) => (x instanceof SafeHtml ? x.value : escapeHtml(x))).join('')
      : v instanceof SafeHtml
        ? v.value
        : v === undefined || v === null || v === false
          ? ''
          : escapeHtml(v);
    out += piece + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * The one stylesheet. Button text uses --on-accent / --on-danger: white on the light theme's dark
 * blue and red, near-black on the dark theme's light ones (white on #6aa7ff is 2.4:1, under WCAG
 * AA's 4.5:1). Tables marked `.stack` turn into one block per row below 40rem, each cell led by its
 * `data-label`, so a phone never scrolls sideways.
 */
const STYLE = `
:root{color-scheme:light dark;--fg:#1b1f24;--muted:#5b6470;--bg:#f6f7f9;--card:#fff;--line:#d7dbe0;--accent:#0b63ce;--on-accent:#fff;--danger:#b42318;--on-danger:#fff;--focus:#1b1f24}
@media (prefers-color-scheme:dark){:root{--fg:#e8eaed;--muted:#a0a7b1;--bg:#111418;--card:#1a1e23;--line:#2e343b;--accent:#6aa7ff;--on-accent:#0b1a2e;--danger:#ff7b72;--on-danger:#1f0605;--focus:#ffd166}}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:34rem;margin:3rem auto;padding:0 1rem}main.wide{max-width:56rem}.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:1.5rem;margin-bottom:1rem}
h1{font-size:1.35rem;margin:0 0 1rem}h2{font-size:1.05rem;margin:1.25rem 0 .5rem}h3{font-size:1rem;margin:1rem 0 .25rem}p{margin:.5rem 0}.muted{color:var(--muted);font-size:.9rem}a{color:var(--accent)}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}input[type=text],input[type=email],input[type=password],input[type=number],input[type=date],input[type=url],select{width:100%;padding:.6rem;border:1px solid var(--line);border-radius:8px;background:transparent;color:inherit;font:inherit}
button,.button{display:inline-block;margin-top:1rem;padding:.6rem 1.1rem;border-radius:8px;border:1px solid var(--accent);background:var(--accent);color:var(--on-accent);font:inherit;font-weight:600;cursor:pointer;text-decoration:none}
button.secondary,.button.secondary{background:transparent;color:var(--accent)}button.danger,.button.danger{background:var(--danger);border-color:var(--danger);color:var(--on-danger)}
fieldset.plain{border:0;padding:0;margin:.75rem 0 0}fieldset.plain legend{font-weight:600;padding:0}
.toolset{display:flex;gap:.5rem;align-items:baseline;margin:.35rem 0}.toolset label{font-weight:400;margin:0}.toolset input{flex:none}
.small{margin-top:0;padding:.3rem .7rem;font-size:.9rem}
:focus-visible{outline:3px solid var(--focus);outline-offset:3px}input:focus-visible,select:focus-visible{outline-offset:1px}
.error{border-left:4px solid var(--danger);padding:.5rem .75rem;background:color-mix(in srgb,var(--danger) 10%,transparent);border-radius:6px}
.notice{border-left:4px solid var(--accent);padding:.5rem .75rem;border-radius:6px;background:color-mix(in srgb,var(--accent) 10%,transparent)}
.badge{display:inline-block;font-size:.75rem;padding:.1rem .45rem;border-radius:999px;border:1px solid var(--line);color:var(--muted)}
.dev{border:2px dashed var(--danger)}table{width:100%;border-collapse:collapse}td,th{text-align:left;vertical-align:top;padding:.35rem;border-bottom:1px solid var(--line);font-size:.92rem}
code{font-family:ui-monospace,Menlo,monospace;font-size:.9em;overflow-wrap:anywhere}.secret{display:block;word-break:break-all;padding:.5rem;border:1px solid var(--line);border-radius:6px;background:var(--card)}
ul,ol{padding-left:1.2rem}input[readonly]{font-family:ui-monospace,Menlo,monospace;font-size:.9rem}li{margin:.25rem 0}.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
@media (max-width:40rem){main{margin:1rem auto;padding:0 .5rem}.card{padding:1rem}
table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}table.stack tr{border-bottom:1px solid var(--line);padding:.5rem 0}
table.stack td{border:0;padding:.15rem 0}table.stack td[data-label]::before{content:attr(data-label) ": ";font-weight:600}}
`;

export interface PageOptions {
  title: string;
  body: SafeHtml;
  /** Extra `form-action` sources: Chromium applies form-action to redirects that follow a form post. */
  formAction?: readonly string[];
  status?: number;
  /** A wider column for pages with tables (the account page). */
  wide?: boolean;
  /** The tab title's suffix; the landing page passes SERVICE_NAME. */
  siteName?: string;
}

/**
 * The security headers every HTML page carries: a strict CSP with `frame-ancestors 'none'`, no
 * referrer, nosniff, no caching. `script-src 'none'` is stated explicitly so oidc-provider, which
 * appends the hash of its one inline script (form_post pages) to an existing script-src, can.
 */
export function setPageHeaders(ctx: Context, opts: { formAction?: readonly string[]; cacheControl?: boolean } = {}): void {
  const formAction = ["'self'", ...(opts.formAction ?? [])].join(' ');
  ctx.set(
    'Content-Security-Policy',
    `default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' data: https:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
  );
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Content-Type-Options', 'nosniff');
  if (opts.cacheControl !== false) ctx.set('Cache-Control', 'no-store');
}

/** Sends a complete HTML page with the security headers (setPageHeaders). */
export function sendPage(ctx: Context, opts: PageOptions): void {
  setPageHeaders(ctx, opts);
  ctx.status = opts.status ?? 200;
  ctx.type = 'text/html; charset=utf-8';
  ctx.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(opts.title === opts.siteName ? opts.title : `${opts.title} · ${opts.siteName ?? 'Intervals MCP'}`)}</title><style>${STYLE}</style></head><body><main${opts.wide ? ' class="wide"' : ''}>${opts.body.value}</main></body></html>`;
}

/**
 * A plain error page for people: what went wrong and what to do, no stack trace, no echoed
 * redirect target. `action` adds one link to the way on (usually a page of ours).
 */
export function sendErrorPage(
  ctx: Context,
  status: number,
  title: string,
  message: string,
  action?: { href: string; label: string },
): void {
  sendPage(ctx, {
    title,
    status,
    body: html`<div class="card"><h1>${title}</h1><p class="error" role="alert">${message}</p>${action ? html`<p><a class="button secondary" href="${action.href}">${action.label}</a></p>` : ''}</div>`,
  });
}
