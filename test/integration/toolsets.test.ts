import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, StreamableHTTPClientTransport, type CallToolResult } from '@modelcontextprotocol/client';
import { decodeJwt } from 'jose';
import { listAuthorizedClients } from '../../src/accounts/authorized-clients.js';
import { createPersonalAccessToken } from '../../src/accounts/pats.js';
import { toolsFor } from '../../src/mcp/toolsets.js';
import { startFakeIntervals, type FakeIntervals } from '../fakes/intervals/index.js';
import { connectTools, textOf } from '../support/mcp-harness.js';
import { CookieJar, findForm, submitForm, type FormPage } from '../support/http-forms.js';
import {
  authorizationUrl,
  getTokens,
  linkIntervals,
  pkce,
  refreshTokens,
  registerClient,
  startOAuthService,
  type OAuthService,
  type RegisteredClient,
} from '../support/oauth.js';
import { csrfFrom } from '../support/form-client.js';
import { postAccountForm, signInToAccount } from './accounts-support.js';

/**
 * Tool sets per connection (src/mcp/toolsets.ts), end to end: chosen on the consent page, carried
 * in the access token, applied by /mcp to tools/list and tools/call, changed on /account (the
 * app's old tokens stop working and its refresh brings the new choice), fixed per personal access
 * token. Real authorization server, real HTTP, the SDK client; the Intervals.icu stand-in.
 */
let fake: FakeIntervals;
let svc: OAuthService;
const ANN = { athleteId: 'i1001', apiKey: 'ann-key-3f9a1c7e5b2d' };

beforeAll(async () => {
  fake = await startFakeIntervals();
  svc = await startOAuthService({ INTERVALS_API_BASE_URL: fake.url });
});
afterAll(async () => {
  await svc?.close();
  await fake?.close();
});

async function connect(token: string, era: 'legacy' | 'modern' = 'legacy'): Promise<Client> {
  const client = new Client(
    { name: 'toolsets-test', version: '1' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(
    new StreamableHTTPClientTransport(new URL(svc.resource), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

/** A fresh client's authorization walked to the consent page (development sign-in as `email`). */
async function openConsentPage(email: string): Promise<{ jar: CookieJar; consent: FormPage; client: RegisteredClient }> {
  const client = await registerClient(svc.url);
  const { challenge } = pkce();
  const jar = new CookieJar();
  const signin = await jar.browse(authorizationUrl(svc.url, { client, challenge, scope: 'intervals:read' }), svc.url);
  if (signin instanceof URL) throw new Error(`expected the sign-in page, got ${signin.href}`);
  const consent = await submitForm(
    jar,
    signin,
    findForm(signin, (f) => /\/dev$/.test(f.action))!,
    { email },
    svc.url,
  );
  if (consent instanceof URL) throw new Error(`expected the consent page, got ${consent.href}`);
  return { jar, consent, client };
}

const names = (sets: Parameters<typeof toolsFor>[0]) =>
  toolsFor(sets)
    .map((t) => t.name)
    .sort();
const listed = async (client: Client) => (await client.listTools()).tools.map((t) => t.name).sort();
const accountIdOf = async (email: string) =>
  (await svc.store.query<{ id: string }>('SELECT id FROM accounts WHERE email = $1', [email]))[0]!.id;

describe('the consent page chooses the sets', () => {
  it('shows one checkbox per set with its title, core ticked and fixed, as plain form controls', async () => {
    const { consent } = await openConsentPage('page@example.com');
    const boxes = [
      ...consent.html.matchAll(
        /<input type="checkbox" id="toolset-(\w+)" name="toolsets" value="(\w+)"([^>]*)>\s*<label for="toolset-\w+"><strong>([^<]+)<\/strong>/g,
      ),
    ];
    expect(boxes.map((m) => [m[2], m[3]!.trim(), m[4]])).toEqual([
      ['core', 'checked disabled', 'Core'],
      ['planning', '', 'Planning and authoring'],
      ['coach', '', 'Coach'],
      ['analysis', '', 'Analysis deep-dives'],
    ]);
    expect(consent.html).not.toContain('<script');
  });

  it('ticked planning + analysis: the token carries them and tools/list shows exactly those sets and core', async () => {
    const t = await getTokens(svc, { email: 'ann@example.com', link: linkIntervals(svc, ANN), toolsets: ['planning', 'analysis'] });
    expect(decodeJwt(t.access_token)).toMatchObject({ toolsets: 'core planning analysis', toolsets_rev: 1 });
    const client = await connect(t.access_token);
    expect(await listed(client)).toEqual(names(['planning', 'analysis']));
    // The instructions name only the set that is off, and where to turn it on.
    expect(client.getInstructions()).toContain(
      `Tool sets off for this connection, their tools not listed: coach (coach). If a request needs one, ask the person to turn it on for this app at ${svc.url}/account`,
    );
    await client.close();
  });

  it('nothing ticked: core only; a call to another set is refused naming the set, on the fast lane and the SDK path alike, and Intervals.icu is not called', async () => {
    const t = await getTokens(svc, { email: 'bea@example.com', link: linkIntervals(svc, ANN) });
    expect(decodeJwt(t.access_token)).toMatchObject({ toolsets: 'core', toolsets_rev: 1 });
    const before = fake.requestsTo('GET', /streams/).length;
    const answers: string[] = [];
    for (const era of ['legacy', 'modern'] as const) {
      const client = await connect(t.access_token, era);
      expect(await listed(client)).toEqual(names(['core']));
      const r = (await client.callTool({ name: 'get_activity_streams', arguments: { activity_id: 'i189807578' } })) as CallToolResult;
      expect(r.isError).toBe(true);
      answers.push(textOf(r));
      await client.close();
    }
    expect(answers[0]).toBe(
      `Error (toolset_off): get_activity_streams is in the "analysis" tool set (Analysis deep-dives), which this connection has not turned on.\nNext step: ask the person to turn on "analysis" for this app at ${svc.url}/account (a personal access token keeps its sets: make a new one), then call get_activity_streams again.`,
    );
    expect(answers[1]).toBe(answers[0]);
    expect(fake.requestsTo('GET', /streams/).length).toBe(before);
  });

  it('a set name that does not exist is refused with the real names, and nothing is saved', async () => {
    const { jar, consent, client } = await openConsentPage('typo@example.com');
    const form = findForm(consent, (f) => /\/consent$/.test(f.action))!;
    const answer = await submitForm(jar, consent, form, { decision: 'allow', toolsets: ['planning', 'planing'] }, svc.url);
    if (answer instanceof URL) throw new Error(`expected an error page, got ${answer.href}`);
    expect(answer.status).toBe(400);
    expect(answer.html).toContain('Unknown tool set: planing. Choose from core, planning, coach, analysis (core is always on).');
    expect(await svc.store.query(`SELECT 1 FROM connection_toolsets WHERE client_id = $1`, [client.client_id])).toEqual([]);
    expect(
      await svc.store.query(`SELECT 1 FROM oidc_payloads WHERE model = 'Grant' AND payload->>'clientId' = $1`, [client.client_id]),
    ).toEqual([]);
  });
});

describe('/account changes them', () => {
  it('the app’s current token is refused (401 toolsets_changed), the refreshed one carries the new sets', async () => {
    const t = await getTokens(svc, { email: 'cat@example.com', link: linkIntervals(svc, ANN), toolsets: ['planning'] });
    const before = await connect(t.access_token);
    expect(await listed(before)).toEqual(names(['planning']));
    await before.close();

    const accountId = await accountIdOf('cat@example.com');
    const [grant] = await listAuthorizedClients(svc.store, accountId);
    const { client: browser, page } = await signInToAccount(svc.url, 'cat@example.com');
    // The account page offers the choice for this app, planning ticked.
    expect(page.text).toMatch(new RegExp(`action="/account/clients/${grant!.grantId}/toolsets"`));
    const saved = await postAccountForm(browser, svc.url, `/account/clients/${grant!.grantId}/toolsets`, {
      toolsets: ['coach', 'analysis'],
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe(`${svc.url}/account?done=toolsets_saved`);

    const refused = await fetch(svc.resource, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${t.access_token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      error: 'invalid_token',
      error_description:
        'The tool sets for this app were changed on the account page; refresh the access token (or reconnect the app) to get the new set.',
    });

    const refreshed = await refreshTokens(svc.url, t.client, t.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.access_token!)).toMatchObject({ toolsets: 'core coach analysis', toolsets_rev: 2 });
    const after = await connect(refreshed.body.access_token!);
    expect(await listed(after)).toEqual(names(['coach', 'analysis']));
    await after.close();
  });

  it('saving the same choice again keeps the revision: the app is not signed out for nothing', async () => {
    const t = await getTokens(svc, { email: 'dan@example.com', link: linkIntervals(svc, ANN), toolsets: ['coach'] });
    const [grant] = await listAuthorizedClients(svc.store, await accountIdOf('dan@example.com'));
    const { client: browser } = await signInToAccount(svc.url, 'dan@example.com');
    await postAccountForm(browser, svc.url, `/account/clients/${grant!.grantId}/toolsets`, { toolsets: ['coach'] });
    const client = await connect(t.access_token);
    expect(await listed(client)).toEqual(names(['coach']));
    await client.close();
  });

  it('an unknown set on /account is a 400 on the page and changes nothing', async () => {
    const t = await getTokens(svc, { email: 'eve@example.com', link: linkIntervals(svc, ANN) });
    const accountId = await accountIdOf('eve@example.com');
    const [grant] = await listAuthorizedClients(svc.store, accountId);
    const { client: browser } = await signInToAccount(svc.url, 'eve@example.com');
    const res = await postAccountForm(browser, svc.url, `/account/clients/${grant!.grantId}/toolsets`, { toolsets: ['everything'] });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Unknown tool set: everything. Choose from core, planning, coach, analysis (core is always on).');
    expect(await svc.store.query(`SELECT toolsets, revision FROM connection_toolsets WHERE account_id = $1`, [accountId])).toEqual([
      { toolsets: ['core'], revision: 1 },
    ]);
    expect(decodeJwt(t.access_token)).toMatchObject({ toolsets_rev: 1 });
  });
});

describe('personal access tokens choose their sets when created', () => {
  it('a token made with analysis lists core + analysis; one made on the page without ticks, core only', async () => {
    const accountId = await accountIdOf('ann@example.com');
    const { token } = await createPersonalAccessToken(svc.store, accountId, {
      name: 'deep',
      scopes: ['intervals:read'],
      expiresInDays: 7,
      toolsets: ['analysis'],
    });
    const client = await connect(token);
    expect(await listed(client)).toEqual(names(['analysis']));
    await client.close();

    const { client: browser, page } = await signInToAccount(svc.url, 'ann@example.com');
    const made = await browser.post(`${svc.url}/account/tokens`, {
      _csrf: csrfFrom(page.text),
      name: 'planner',
      scopes: 'intervals:read',
      expires_in_days: '7',
      toolsets: ['planning'],
    });
    expect(made.status).toBe(201);
    const shown = /id="new-token-value">([^<]+)</.exec(made.text)![1]!;
    const viaPage = await connect(shown);
    expect(await listed(viaPage)).toEqual(names(['planning']));
    await viaPage.close();
    expect(made.text).toContain('<td data-label="Access">intervals:read</td><td data-label="Tool sets">core, planning</td>');
  });
});

describe('the refusal is the same on both lanes (harness, no OAuth)', () => {
  it.each([true, false])('fastLane %s: coach tool on a core connection', async (fastLane) => {
    const h = await connectTools({ fake, toolsets: ['core'], fastLane });
    try {
      const r = await h.call('list_athletes');
      expect(r.isError).toBe(true);
      expect(textOf(r)).toBe(
        'Error (toolset_off): list_athletes is in the "coach" tool set (Coach), which this connection has not turned on.\nNext step: ask the person to turn on "coach" for this connection on the account page, then call list_athletes again.',
      );
      expect(h.upstream).toEqual([]);
    } finally {
      await h.close();
    }
  });
});
