import type { Config } from '../config/schema.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import { checkApiKey } from './intervals-check.js';
import { parseLinkInput } from './link-input.js';
import { emitAccountChange } from './events.js';
import { saveIntervalsLink, type IntervalsLink, type NewLink } from './links.js';

/** What the link routes need from the service. */
export interface AccountsDeps {
  config: Config;
  store: Store;
  box: SecretBox;
  logger: Logger;
  /** Injected for tests that need a different transport; defaults to the platform fetch. */
  fetch?: typeof fetch;
}

export function userAgent(config: Config): string {
  return `intervals-mcp (+${config.BASE_URL})`;
}

/**
 * The API-key link: validate the form (no network call on bad input), check the key live with
 * Intervals.icu, and only then save it. Throws LinkInputError / LinkCheckError with the message
 * for the person; nothing is written on any failure.
 */
export async function linkWithApiKey(
  deps: AccountsDeps,
  accountId: string,
  body: Record<string, unknown> | undefined,
): Promise<IntervalsLink> {
  const input = parseLinkInput(body);
  const athlete = await checkApiKey(
    {
      baseUrl: deps.config.INTERVALS_API_BASE_URL,
      timeoutMs: deps.config.INTERVALS_TIMEOUT_MS,
      userAgent: userAgent(deps.config),
      fetch: deps.fetch,
    },
    input,
  );
  return saveLink(deps, {
    accountId,
    athleteId: athlete.athleteId,
    athleteName: athlete.athleteName,
    credentials: { kind: 'api_key', apiKey: input.apiKey },
  });
}

export async function saveLink(deps: AccountsDeps, link: NewLink): Promise<IntervalsLink> {
  const saved = await saveIntervalsLink(deps.store, deps.box, link);
  emitAccountChange(link.accountId, 'link_changed');
  deps.logger.info({ accountId: link.accountId, athleteId: saved.athleteId, method: saved.method }, 'intervals account linked');
  return saved;
}
