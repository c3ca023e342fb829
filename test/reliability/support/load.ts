/**
 * Background load for reliability tests: `workers` loops calling `fn` until stopped, bounded by
 * a request count and a wall-clock limit so no test can spin forever. Each outcome is recorded
 * with when it started and how long it took, so a test can look at a time window (e.g. "while
 * the database was cut").
 */
export interface Outcome<T> {
  startedAt: number;
  ms: number;
  value?: T;
  error?: string;
}

export interface Load<T> {
  outcomes: Outcome<T>[];
  /** Stops the loops and waits for in-flight calls. */
  stop(): Promise<Outcome<T>[]>;
}

export function startLoad<T>(
  fn: () => Promise<T>,
  opts: { workers: number; maxRequests: number; maxMs: number; pauseMs?: number },
): Load<T> {
  const outcomes: Outcome<T>[] = [];
  const deadline = Date.now() + opts.maxMs;
  let stopped = false;
  let issued = 0;
  const worker = async () => {
    while (!stopped && issued < opts.maxRequests && Date.now() < deadline) {
      issued += 1;
      const startedAt = Date.now();
      try {
        const value = await fn();
        outcomes.push({ startedAt, ms: Date.now() - startedAt, value });
      } catch (e) {
        outcomes.push({ startedAt, ms: Date.now() - startedAt, error: e instanceof Error ? e.message : String(e) });
      }
      if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
    }
  };
  const running = Promise.all(Array.from({ length: opts.workers }, worker));
  return {
    outcomes,
    async stop() {
      stopped = true;
      await running;
      return outcomes;
    },
  };
}

/** Polls `check` until it returns true or `timeoutMs` passes; returns the milliseconds it took. */
export async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const t0 = Date.now();
  let last: unknown;
  for (let i = 0; Date.now() - t0 < timeoutMs; i++) {
    try {
      if (await check()) return Date.now() - t0;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: not true within ${timeoutMs} ms${last ? ` (last error: ${String(last)})` : ''}`);
}
