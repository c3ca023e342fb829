/**
 * The contract between the transports (HTTP resource server, stdio) and the tool registry.
 * A transport resolves who is calling; tools only ever act through `intervals`, which carries
 * that person's own Intervals.icu credentials.
 */
import { READ_SCOPE, WRITE_SCOPE, type Scope } from '../scopes.js';

/**
 * Which opt-in group a tool belongs to: a compact core by default, extras chosen per connection.
 * src/mcp/toolsets.ts lists the sets with what each is for.
 */
export type Toolset = 'core' | 'planning' | 'coach' | 'analysis';

export { READ_SCOPE, WRITE_SCOPE, type Scope };

/** What the HTTP layer attaches to the MCP request (`extra.authInfo.extra.person`). */
export interface Person {
  /** Our account id (= Supabase user id); null in single-athlete stdio mode. */
  accountId: string | null;
  /** Scopes granted to this token. */
  scopes: ReadonlySet<string>;
  /** OAuth client id (or `pat:<id>` for personal access tokens); for metrics and audit. */
  clientId: string | null;
  /** The tool sets this connection carries (core always among them): tools/list shows only their tools, tools/call refuses the rest. */
  toolsets: ReadonlySet<Toolset>;
}

import type { IntervalsClient } from '../intervals/client.js';

export type PersonAnswer = 'accept' | 'decline' | 'cancel';

/** On ToolContext when the client can ask the person (src/mcp/confirmation.ts); `answer` is set on the call that carries it. */
export interface PersonPrompt {
  answer: PersonAnswer | undefined;
  /** What the answer was given to: the `what` of the question, echoed back by the client. */
  answered: string | undefined;
}

/** What every tool handler acts with: who is calling, which athlete, and their own Intervals.icu client. */
export interface ToolContext {
  person: Person;
  /** The linked athlete (`i123456`, or `0` = the owner of the credentials). Tools default to it. */
  athleteId: string;
  intervals: IntervalsClient;
  /** Set when the client can ask the person a yes/no question (src/mcp/confirmation.ts). */
  prompt?: PersonPrompt;
}

/** A write scope implies read: a token granted only `intervals:write` may still read. */
export function hasScope(person: Person, needed: Scope): boolean {
  return person.scopes.has(needed) || (needed === READ_SCOPE && person.scopes.has(WRITE_SCOPE));
}
