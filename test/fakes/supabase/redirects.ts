/**
 * GoTrue's redirect rules (internal/utilities/request.go IsRedirectURLValid / GetReferrer):
 * same scheme+host(+port, skipped for localhost) as SITE_URL is allowed, any loopback IP is
 * allowed, other IP literals are not, and otherwise the URL (without fragment) must match an
 * allow-list glob where `*` stays within one `.`/`/`-separated segment and `**` crosses them.
 * Anything else silently falls back to SITE_URL.
 */
export function resolveRedirect(requested: string | null | undefined, siteUrl: string, allowList: readonly string[]): string {
  return requested && isRedirectUrlValid(requested, siteUrl, allowList) ? requested : siteUrl;
}

export function isRedirectUrlValid(redirectUrl: string, siteUrl: string, allowList: readonly string[]): boolean {
  let base: URL;
  let ref: URL;
  try {
    base = new URL(siteUrl);
    ref = new URL(redirectUrl);
  } catch {
    return false;
  }
  const isLocalhost = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  if (base.hostname === ref.hostname && base.protocol === ref.protocol && (base.port === ref.port || isLocalhost(ref.hostname)))
    return true;
  if (/^\d+$/.test(ref.hostname)) return false;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(ref.hostname) || ref.hostname.startsWith('['))
    return ref.hostname.startsWith('127.') || ref.hostname === '[::1]';
  const withoutFragment = redirectUrl.split('#')[0]!;
  return allowList.some((pattern) => globToRegExp(pattern).test(withoutFragment));
}

/** gobwas/glob with separators '.' and '/': `**` any run, `*` any run without separators, `?` one non-separator. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^./]*';
    else if (ch === '?') re += '[^./]';
    else re += ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
