import { html, type SafeHtml } from '../http/html.js';

/** What the landing page needs; rendering only, no I/O. */
export interface LandingView {
  serviceName: string;
  /** BASE_URL/mcp: what a person pastes into their app. */
  connectorUrl: string;
  /** The operator's contact or privacy page, when configured. */
  contactUrl?: string;
  /** A plain-http BASE_URL (a local run): mcp-remote needs --allow-http, and claude.ai cannot reach it. */
  plainHttp: boolean;
}

/** One client's steps: a heading and an ordered list, so every step reads without JavaScript. */
interface ClientSteps {
  id: string;
  name: string;
  steps: SafeHtml[];
}

function clientSteps(v: LandingView): ClientSteps[] {
  const url = v.connectorUrl;
  const remoteArgs = v.plainHttp ? `"-y", "mcp-remote", "${url}", "--allow-http"` : `"-y", "mcp-remote", "${url}"`;
  return [
    {
      id: 'claude',
      name: 'claude.ai and Claude Desktop',
      steps: [
        html`Open <strong>Settings → Connectors</strong> and choose <strong>Add custom connector</strong>.`,
        html`Name it (for example “Intervals.icu”) and paste the connector URL above.`,
        html`Choose <strong>Connect</strong>. You are sent here to sign in, allow Claude, and link Intervals.icu once.`,
      ],
    },
    {
      id: 'claude-code',
      name: 'Claude Code',
      steps: [
        html`In a terminal: <code>claude mcp add --transport http intervals ${url}</code>`,
        html`In Claude Code, type <code>/mcp</code>, pick <strong>intervals</strong> and choose <strong>Authenticate</strong>; your browser opens here.`,
      ],
    },
    {
      id: 'chatgpt',
      name: 'ChatGPT',
      steps: [
        html`Open <strong>Settings → Apps &amp; Connectors → Advanced settings</strong> and turn on <strong>Developer mode</strong>.`,
        html`Back in <strong>Apps &amp; Connectors</strong>, choose <strong>Create</strong>, paste the connector URL and pick <strong>OAuth</strong> as the authentication.`,
        html`Save, then sign in here when ChatGPT sends you.`,
      ],
    },
    {
      id: 'vscode',
      name: 'VS Code (GitHub Copilot)',
      steps: [
        html`Run <strong>MCP: Add Server…</strong> from the Command Palette, choose <strong>HTTP</strong> and paste the connector URL.`,
        html`Or add to <code>.vscode/mcp.json</code>: <code>{"servers": {"intervals": {"type": "http", "url": "${url}"}}}</code>`,
        html`Start the server from the list; VS Code opens your browser here to sign in.`,
      ],
    },
    {
      id: 'cursor',
      name: 'Cursor',
      steps: [
        html`Open <strong>Settings → MCP &amp; Integrations</strong> (or edit <code>~/.cursor/mcp.json</code>) and add: <code>{"mcpServers": {"intervals": {"url": "${url}"}}}</code>`,
        html`Choose <strong>Connect</strong> next to the server; Cursor opens your browser here to sign in.`,
      ],
    },
    {
      id: 'mcp-remote',
      name: 'Any other client (mcp-remote)',
      steps: [
        html`For apps that only start local servers: set the command to <code>npx</code> with the arguments <code>[${remoteArgs}]</code>.`,
        html`<code>mcp-remote</code> (from npm, needs Node.js) signs in through your browser and relays the app's requests here.`,
        html`Apps that cannot sign in at all can send a personal access token instead (<code>Authorization: Bearer …</code>); create one on <a href="/account">your account page</a>.`,
      ],
    },
  ];
}

export function landingPage(v: LandingView): SafeHtml {
  const clients = clientSteps(v);
  return html`<div class="card">
    <h1>${v.serviceName}</h1>
    <p>Connects Claude, ChatGPT and other AI assistants to <strong>your own Intervals.icu account</strong>, so they can read your
      activities, wellness, fitness and calendar, and — only if you allow it — plan workouts and events for you.
      For athletes and coaches who train with Intervals.icu.</p>
    <label for="connector-url">Connector URL</label>
    <input type="text" id="connector-url" name="connector-url" readonly value="${v.connectorUrl}" aria-describedby="connector-help">
    <p class="muted" id="connector-help">Select it and copy it into your app as a custom connector or MCP server.</p>
    ${
      v.plainHttp
        ? html`<p class="notice" id="local-note">This server runs on your own computer (plain http). claude.ai, ChatGPT and Claude Desktop's connectors cannot reach it;
          use Claude Code, the MCP Inspector, or mcp-remote with <code>--allow-http</code>.</p>`
        : ''
    }
    <h2>How connecting works</h2>
    <ol>
      <li>Add the connector URL in your app.</li>
      <li>Your app sends you here: sign in and allow it.</li>
      <li>The first time, link your Intervals.icu account (sign in on Intervals.icu or paste its API key).</li>
    </ol>
    <p><a class="button" href="/account" id="account-link">Sign in to your account</a></p>
  </div>
  <div class="card" id="clients">
    <h2>Step by step for your app</h2>
    ${clients.map((c) => html`<section id="client-${c.id}" aria-labelledby="client-${c.id}-heading"><h3 id="client-${c.id}-heading">${c.name}</h3><ol>${c.steps.map((s) => html`<li>${s}</li>`)}</ol></section>`)}
  </div>
  <div class="card" id="privacy">
    <h2>What we keep, and how to delete it</h2>
    <ul>
      <li>Your email address, from signing in.</li>
      <li>Your Intervals.icu athlete ID and your API key or Intervals.icu sign-in token, encrypted.</li>
      <li>The apps you allowed and the personal access tokens you created (only a hash of each token).</li>
      <li>Counters for the hourly request limit, and logs of which account made which request (never keys, tokens or your data).</li>
    </ul>
    <p>Your training data stays on Intervals.icu: each request is passed on live, and answers are kept in memory for at most half a minute.</p>
    <p>You can see, revoke and delete all of it on <a href="/account">your account page</a>; <strong>Delete my account</strong> removes everything at once.</p>
    ${v.contactUrl ? html`<p><a href="${v.contactUrl}" id="operator-contact">Contact and privacy: the operator of this service</a></p>` : ''}
  </div>`;
}
