import type { Queryable } from '../store/store.js';

export interface Account {
  id: string;
  email: string | null;
  created_at: Date;
  disabled_at: Date | null;
}

/** Creates the person's row on first sign-in (id = Supabase user id) and keeps the email current. */
export async function upsertAccount(db: Queryable, person: { id: string; email: string | null }): Promise<Account> {
  const rows = await db.query<Account & Record<string, unknown>>(
    `INSERT INTO accounts (id, email) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET email = COALESCE(EXCLUDED.email, accounts.email)
     RETURNING id, email, created_at, disabled_at`,
    [person.id, person.email],
  );
  return rows[0]!;
}

export async function findAccount(db: Queryable, id: string): Promise<Account | undefined> {
  const rows = await db.query<Account & Record<string, unknown>>('SELECT id, email, created_at, disabled_at FROM accounts WHERE id = $1', [
    id,
  ]);
  return rows[0];
}
