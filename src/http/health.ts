import Router from '@koa/router';
import type { Store } from '../store/store.js';
import { migrationsApplied } from '../store/migrate.js';

export interface HealthDeps {
  store: Store;
  /** Migration ids this build expects to find applied. */
  expectedMigrations: readonly string[];
}

export interface HealthRouter {
  router: Router;
  /** From now on /ready answers 503, so load balancers stop routing here before the listener closes. */
  markStopping(): void;
}

/** `/health`: the process is alive (no I/O). `/ready`: it can serve (DB reachable, schema current). */
export function buildHealthRouter(deps: HealthDeps): HealthRouter {
  let stopping = false;
  const router = new Router();
  router.get('/health', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/ready', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    if (stopping) {
      ctx.status = 503;
      ctx.body = { status: 'shutting_down' };
      return;
    }
    try {
      const ok = await withTimeout(migrationsApplied(deps.store, deps.expectedMigrations), 2000);
      ctx.status = ok ? 200 : 503;
      ctx.body = ok ? { status: 'ready' } : { status: 'migrations_pending' };
    } catch {
      ctx.status = 503;
      ctx.body = { status: 'database_unavailable' };
    }
  });
  return {
    router,
    markStopping: () => {
      stopping = true;
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]);
}
