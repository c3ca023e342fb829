import type { Store } from '../../src/store/store.js';
import { FormClient, csrfFrom, type FormResponse } from '../support/form-client.js';

/** Signs in on the account page through the local development sign-in; returns the page after sign-in. */
export async function signInToAccount(
  baseUrl: string,
  email: string,
  client = new FormClient(),
): Promise<{ client: FormClient; page: FormResponse }> {
  const signin = await client.get(`${baseUrl}/account/signin`);
  const res = await client.post(`${baseUrl}/account/signin/dev`, { _csrf: csrfFrom(signin.text), email });
  if (res.status !== 303 || res.location !== `${baseUrl}/account`)
    throw new Error(`sign-in did not land on /account: ${res.status} ${res.location}`);
  const page = await client.get(`${baseUrl}/account`);
  return { client, page };
}

/** Posts a form on the account page with the page's CSRF token. */
export async function postAccountForm(
  client: FormClient,
  baseUrl: string,
  path: string,
  fields: Record<string, string | readonly string[]>,
): Promise<FormResponse> {
  const page = await client.get(`${baseUrl}/account`);
  return client.post(`${baseUrl}${path}`, { _csrf: csrfFrom(page.text), ...fields });
}

/**
 * Every row, in every table of the current schema, whose text contains `needle`: the check that
 * "delete my account" left nothing behind, whichever part owns the table.
 */
export async function rowsMentioning(store: Store, needle: string): Promise<{ table: string; rows: number }[]> {
  const tables = await store.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const out: { table: string; rows: number }[] = [];
  for (const { table_name } of tables) {
    const hit = await store.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}" t WHERE strpos(t::text, $1) > 0`, [
      needle,
    ]);
    if ((hit[0]?.n ?? 0) > 0) out.push({ table: table_name, rows: hit[0]!.n });
  }
  return out;
}
