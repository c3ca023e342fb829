import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger };

/** Keys whose values are secrets wherever they appear in a log object, at any depth. */
const SECRET_KEY =
  /authorization|cookie|password|passwd|secret|token|api[-_]?key|apikey|code_verifier|assertion|private|^d$|^key$|credential|signature/i;

/** Secret-looking fragments inside free text (messages, URLs, error strings). */
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [REDACTED]'],
  [/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g, '[REDACTED_JWT]'],
  [
    /([?&](?:code|token|access_token|refresh_token|id_token|api_key|apikey|client_secret|code_verifier|password)=)[^&\s"]*/gi,
    '$1[REDACTED]',
  ],
  [/(API_KEY:)[^\s"@]+/g, '$1[REDACTED]'],
  // Our personal access tokens wherever they appear, and whatever an X-API-Key header quoted in text carries.
  [/\b(imcp_pat_)[A-Za-z0-9_-]+/g, '$1[REDACTED]'],
  [/\b(X-API-Key["']?\s*[:=]\s*["']?)[^\s"',;]+/gi, '$1[REDACTED]'],
  [/(postgres(?:ql)?:\/\/[^:/\s]+:)[^@\s]+@/gi, '$1[REDACTED]@'],
];

/**
 * A word every SECRET_TEXT pattern needs (case-blind, so a superset): most strings logged (a
 * method, a path, a user agent) have none, and one test is cheaper than seven replaces.
 */
const SECRET_HINT = /bearer|basic|eyJ|[?&]|api_key:|imcp_pat_|x-api-key|postgres/i;

export function scrubText(s: string): string {
  if (!SECRET_HINT.test(s)) return s;
  let out = s;
  for (const [re, rep] of SECRET_TEXT) out = out.replace(re, rep);
  return out;
}

/**
 * `value` with secret keys masked and secret-looking text scrubbed, at any depth. Copies only what
 * changes: every log line passes through here, and most (the access line) have nothing to mask.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[TRUNCATED]';
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Error) {
    return { type: value.name, message: scrubText(value.message), code: (value as { code?: unknown }).code };
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const masked = redact(value[i], depth + 1);
      if (masked !== value[i]) (copy ??= value.slice())[i] = masked;
    }
    return copy ?? value;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // A URL, Date or class instance would be serialised through its toJSON (a URL's href carries
    // its query string): mask what it turns into. Without toJSON, its own fields as a plain object.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return redact(toJSON.call(value), depth + 1);
    return redact({ ...value }, depth + 1);
  }
  let copy: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) {
    const v = record[k];
    const masked = SECRET_KEY.test(k) && v !== undefined && v !== null && typeof v !== 'boolean' ? '[REDACTED]' : redact(v, depth + 1);
    if (masked !== v) (copy ??= { ...record })[k] = masked;
  }
  return copy ?? value;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        // Every object logged passes through redact(): a secret cannot reach the output by any key.
        log: (obj) => redact(obj) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          for (let i = 0; i < args.length; i++) if (typeof args[i] === 'string') args[i] = scrubText(args[i] as string);
          method.apply(this, args);
        },
      },
    },
    destination ?? stdoutDestination(),
  );
}

/**
 * stdout, written in batches: at info level every request logs a line, and writing each line (or
 * each event-loop turn's lines) on its own took 7–16 % of the server's CPU under load
 * (docs/PERFORMANCE.md). A quiet server writes a line on the next turn of the event loop; a busy
 * one at most every 100 ms, or as soon as 8 KB have gathered. The lines wait here, joined once per
 * batch, rather than in pino's destination: it appends each line to one string and measures that
 * string's byte length on every write, which flattens it each time (~4 KB of garbage per request
 * at 8 KB batches). What is still waiting at exit is handed over and written synchronously.
 */
const LOG_BATCH_BYTES = 8 * 1024;
const LOG_BATCH_MS = 100;

function stdoutDestination(): DestinationStream {
  const dest = pino.destination({ dest: 1, sync: false });
  let lines: string[] = [];
  // String length, not bytes: near enough for a batch size (the lines are JSON, mostly ASCII).
  let size = 0;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  let lastFlush = 0;
  const handOver = () => {
    if (lines.length === 0) return;
    const batch = lines.join('');
    lines = [];
    size = 0;
    dest.write(batch);
  };
  const flush = () => {
    timer = undefined;
    lastFlush = performance.now();
    handOver();
  };
  onExit((event) => {
    if (lines.length === 0 || (dest as unknown as { destroyed: boolean }).destroyed) return;
    handOver();
    // On beforeExit pino flushes and ends its destination with the loop still running; on exit
    // nothing runs after this, so the write is synchronous.
    if (event === 'exit') dest.flushSync();
  });
  return {
    write(line: string) {
      lines.push(line);
      size += line.length;
      if (size >= LOG_BATCH_BYTES) return handOver();
      if (timer) return;
      const wait = lastFlush + LOG_BATCH_MS - performance.now();
      // Not holding the process open: on exit the lines left are written synchronously (above).
      timer = wait <= 0 ? setImmediate(flush).unref() : setTimeout(flush, wait).unref();
    },
  };
}

/**
 * What each destination still has to write when the process ends, by running out of work
 * (beforeExit, while the timers that would flush it are unref'd) or by process.exit (exit): one
 * listener per event however many loggers a process makes.
 */
const atExit = new Set<(event: 'beforeExit' | 'exit') => void>();
function onExit(write: (event: 'beforeExit' | 'exit') => void): void {
  if (atExit.size === 0) {
    for (const event of ['beforeExit', 'exit'] as const) {
      process.on(event, () => {
        for (const w of atExit) {
          try {
            w(event);
          } catch {
            // stdout already gone (EPIPE, closed): nothing left to write to.
          }
        }
      });
    }
  }
  atExit.add(write);
}
