/**
 * A short-lived cache of GET answers per Intervals.icu account, with coalescing: identical calls
 * in flight share one upstream request. Tools often fetch the same thing twice within seconds (a
 * summary tool and a follow-up detail call, two tools in one model turn); Intervals.icu's limits
 * make that waste visible. Any write by the same account drops its entries, so a read after a
 * write never sees stale data.
 */
export interface ReadCacheOptions {
  ttlMs: number;
  maxEntries: number;
}

interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
  /** Bumped by invalidate(): a request that started before a write must not fill the cache after it. */
  generation: number;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly generations = new Map<string, number>();
  constructor(
    private readonly opts: ReadCacheOptions = { ttlMs: 30_000, maxEntries: 5_000 },
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached or in-flight answer for (owner, key), or the result of `load()`. */
  get<T>(owner: string, key: string, load: () => Promise<T>): Promise<T> {
    const id = `${owner}\u0000${key}`;
    const t = this.now();
    const hit = this.entries.get(id);
    if (hit && hit.expiresAt > t && hit.generation === this.generation(owner)) return hit.value as Promise<T>;
    const generation = this.generation(owner);
    const value = load();
    const entry: Entry = { value, expiresAt: t + this.opts.ttlMs, generation };
    this.entries.delete(id); // re-insert so Map order stays least-recently-filled first
    this.entries.set(id, entry);
    if (this.entries.size > this.opts.maxEntries) this.evictOldest();
    // Failures are never cached: the next call tries again.
    value.catch(() => {
      if (this.entries.get(id) === entry) this.entries.delete(id);
    });
    return value;
  }

  /** Forget everything cached for `owner` (called on each of their writes). */
  invalidate(owner: string): void {
    this.generations.set(owner, this.generation(owner) + 1);
    const prefix = `${owner}\u0000`;
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }

  private generation(owner: string): number {
    return this.generations.get(owner) ?? 0;
  }

  private evictOldest(): void {
    const t = this.now();
    for (const [id, e] of this.entries) if (e.expiresAt <= t) this.entries.delete(id);
    while (this.entries.size > this.opts.maxEntries) {
      const first = this.entries.keys().next();
      if (first.done) break;
      this.entries.delete(first.value);
    }
  }
}

export const sharedReadCache = new ReadCache();
