import { findAccount, type Account } from '../accounts/account-store.js';
import { deleteAccountData, PERSONAL_ROWS } from '../accounts/delete-account.js';
import { AdminError, EXIT, type AdminContext } from './context.js';

interface AccountRow extends Record<string, unknown> {
  id: string;
  email: string | null;
  created_at: Date;
  disabled_at: Date | null;
  athlete_id: string | null;
  broken_at: Date | null;
}

const day = (d: Date | null): string => (d ? d.toISOString().slice(0, 10) : '-');

/** `accounts list`: one line per person, oldest first, with their Intervals.icu link state. */
export async function listAccounts(ctx: AdminContext): Promise<number> {
  await ctx.requireMigrated();
  const rows = await ctx.store.query<AccountRow>(
    `SELECT a.id, a.email, a.created_at, a.disabled_at, l.athlete_id, l.broken_at
       FROM accounts a LEFT JOIN intervals_links l ON l.account_id = a.id
      ORDER BY a.created_at, a.id`,
  );
  const table = [
    ['ID', 'EMAIL', 'CREATED', 'STATUS', 'INTERVALS.ICU'],
    ...rows.map((r) => [
      r.id,
      r.email ?? '-',
      day(r.created_at),
      r.disabled_at ? `disabled ${day(r.disabled_at)}` : 'active',
      r.athlete_id ? `${r.athlete_id}${r.broken_at ? ' (link broken)' : ''}` : 'not linked',
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  for (const row of table)
    ctx.out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  ctx.out(`${rows.length} account(s), ${rows.filter((r) => r.disabled_at).length} disabled.`);
  return EXIT.ok;
}

async function mustFind(ctx: AdminContext, id: string | undefined): Promise<Account> {
  if (!id) throw new AdminError('Give the account id (the Supabase user id; see `admin accounts list`).', EXIT.usage);
  const account = await findAccount(ctx.store, id);
  if (!account) throw new AdminError(`No account with id ${id}. See \`admin accounts list\`.`, EXIT.notFound);
  return account;
}

const label = (a: Account): string => `${a.id}${a.email ? ` (${a.email})` : ''}`;

/**
 * `accounts disable|enable <id>`. A disabled person keeps their data but can no longer sign in,
 * refresh tokens or call tools (sign-in, the provider's findAccount and the resource server's
 * access-status check all read disabled_at).
 */
export async function setAccountDisabled(ctx: AdminContext, id: string | undefined, disabled: boolean): Promise<number> {
  await ctx.requireMigrated();
  const account = await mustFind(ctx, id);
  if ((account.disabled_at !== null) === disabled) {
    ctx.out(`Account ${label(account)} is already ${disabled ? 'disabled' : 'enabled'}; nothing changed.`);
    return EXIT.ok;
  }
  await ctx.store.query(`UPDATE accounts SET disabled_at = ${disabled ? 'now()' : 'NULL'} WHERE id = $1`, [account.id]);
  ctx.out(
    `Account ${label(account)} ${disabled ? 'disabled: sign-in, token refresh and tool calls are refused from now on' : 'enabled again'}.`,
  );
  return EXIT.ok;
}

/** Rows that go with an account: other parts' tables (PERSONAL_ROWS) and the account's own. */
const OWNED = [
  ...PERSONAL_ROWS,
  ...['intervals_links', 'personal_access_tokens', 'account_sessions'].map((table) => ({ table, where: 'account_id = $1' })),
];

async function ownedCounts(ctx: AdminContext, id: string): Promise<string[]> {
  const parts: string[] = [];
  for (const { table, where } of OWNED) {
    const exists = await ctx.store.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table]);
    if (exists[0]?.t == null) continue;
    const n = await ctx.store.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, [id]);
    parts.push(`${table}: ${n[0]!.n}`);
  }
  return parts;
}

/**
 * `accounts delete <id> --yes`: removes the person and every row we hold for them (the accounts
 * part's deleteAccountData: OAuth grants and refresh tokens too, so access ends at once).
 */
export async function deleteAccountCommand(ctx: AdminContext, id: string | undefined, confirmed: boolean): Promise<number> {
  await ctx.requireMigrated();
  const account = await mustFind(ctx, id);
  if (!confirmed) {
    ctx.out(`Would delete account ${label(account)} and its rows (${(await ownedCounts(ctx, account.id)).join(', ')}).`);
    throw new AdminError('Nothing deleted: add --yes to delete.', EXIT.usage);
  }
  const removed = await deleteAccountData(ctx.store, account.id);
  const { accounts: _self, ...rows } = removed;
  ctx.out(
    `Deleted account ${label(account)} and its rows (${Object.entries(rows)
      .map(([t, n]) => `${t}: ${n}`)
      .join(', ')}).`,
  );
  return EXIT.ok;
}
