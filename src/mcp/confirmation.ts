/**
 * Asking the person, not the model, before a write that needs confirming (deleting past calendar
 * items, deleting library folders or workouts).
 *
 * Where the client can show the person a question (MCP form elicitation), the tool asks: it answers
 * with an input-required result, the client shows the question and calls the tool again with the
 * answer, and the tool works out the same change again and applies it only on accept. That is
 * possible on a 2026-07-28 request whose envelope declares `elicitation` (multi round-trip; needs no
 * session), and on a 2025-era connection that declared it at initialize and keeps a session (stdio),
 * where the SDK sends the question as a server-to-client request. Stateless 2025-era HTTP cannot ask:
 * the answer would arrive on another POST that no server is waiting for, so there the model passes
 * `confirm: true` after asking in the conversation, as before.
 */
import type { PersonAnswer, PersonPrompt, ToolContext } from './context.js';

export type { PersonAnswer, PersonPrompt };

/** Thrown by a tool that needs the person's yes; the registry turns it into the question. */
export class AskPerson extends Error {
  override readonly name = 'AskPerson';
  constructor(
    readonly question: string,
    /** Names exactly what would change; the answer counts only for the same change. */
    readonly what: string,
  ) {
    super(question);
  }
}

/** `confirmed`: go ahead; `unconfirmed`: no one said yes (preview or skip); `declined`: the person said no. */
export type Consent = 'confirmed' | 'unconfirmed' | 'declined';

/**
 * Whether a write that needs confirming may go ahead. With a client that can ask, the person's
 * answer decides and the `confirm` argument is not enough on its own (a model could set it
 * without asking); `question` is only built when it is asked. `what` names the change exactly
 * (ids): the tool works the change out again when the answer arrives, and if it is no longer what
 * the person saw (an event added to the range meanwhile), they are asked again.
 */
export function consentFor(ctx: ToolContext, confirm: boolean, question: () => string, what: string): Consent {
  if (!ctx.prompt) return confirm ? 'confirmed' : 'unconfirmed';
  if (ctx.prompt.answer === undefined || ctx.prompt.answered !== what) throw new AskPerson(question(), what);
  return ctx.prompt.answer === 'accept' ? 'confirmed' : 'declined';
}

/** What a tool says when the person declined: nothing was written. */
export const DECLINED_NOTE = 'The person declined when asked; nothing was changed. Do not retry unless they ask for it.';
