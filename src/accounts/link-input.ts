import { AppError } from '../errors.js';

/**
 * Validation of the link form, before any network call. Messages say what is wrong and where to
 * find the right value; they never repeat what was typed into the API key field.
 */
export class LinkInputError extends AppError {
  constructor(
    code: string,
    message: string,
    /** Which field to mark, so the form can keep what was typed in the other one. */
    readonly field: 'athlete_id' | 'api_key',
  ) {
    super(code, message, 400);
    this.name = 'LinkInputError';
  }
}

export interface LinkInput {
  /** `i123456`, `123456`, or `0` (the athlete who owns the key). */
  athleteId: string;
  apiKey: string;
}

const MAX_ATHLETE_ID = 24;
const MAX_API_KEY = 128;
const MIN_API_KEY = 8;

/**
 * People paste the id from the address bar or their profile: accept `i123456`, `123456`, `0`, and
 * a pasted intervals.icu URL containing `/athlete/i123456`, with stray spaces around.
 */
export function parseAthleteId(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (s === '') {
    throw new LinkInputError(
      'athlete_id_missing',
      'Enter your Intervals.icu athlete ID (it looks like i123456 and is shown under Settings on intervals.icu), or 0 to use the athlete who owns the API key.',
      'athlete_id',
    );
  }
  const fromUrl = /\/athlete\/(i?\d+)(?:[/?#]|$)/.exec(s)?.[1];
  const id = fromUrl ?? s;
  if (id.length > MAX_ATHLETE_ID) {
    throw new LinkInputError(
      'athlete_id_too_long',
      `That athlete ID is too long (${id.length} characters). An Intervals.icu athlete ID is short, like i123456.`,
      'athlete_id',
    );
  }
  if (!/^(i?\d{1,18})$/.test(id)) {
    throw new LinkInputError(
      'athlete_id_invalid',
      'An Intervals.icu athlete ID is the letter i followed by digits (like i123456), or 0 for the owner of the API key. Check for typos or extra characters.',
      'athlete_id',
    );
  }
  return id;
}

export function parseApiKey(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.trim() : '';
  if (s === '') {
    throw new LinkInputError(
      'api_key_missing',
      'Enter your Intervals.icu API key: on intervals.icu open Settings, scroll to "Developer Settings" and copy the API key.',
      'api_key',
    );
  }
  if (s.length > MAX_API_KEY) {
    throw new LinkInputError(
      'api_key_too_long',
      `That is too long for an Intervals.icu API key (${s.length} characters; keys are about 20–40). Copy only the key from Settings → Developer Settings.`,
      'api_key',
    );
  }
  if (!/^[A-Za-z0-9_-]+$/.test(s)) {
    throw new LinkInputError(
      'api_key_invalid',
      'That API key contains characters Intervals.icu keys never have (only letters and digits). Copy the key again from Settings → Developer Settings, without spaces or quotes.',
      'api_key',
    );
  }
  if (s.length < MIN_API_KEY) {
    throw new LinkInputError(
      'api_key_too_short',
      `That is too short for an Intervals.icu API key (${s.length} characters; keys are about 20–40). Copy the whole key from Settings → Developer Settings.`,
      'api_key',
    );
  }
  return s;
}

/** Both fields, athlete ID first (the order of the form). */
export function parseLinkInput(body: Record<string, unknown> | undefined): LinkInput {
  return { athleteId: parseAthleteId(body?.athlete_id), apiKey: parseApiKey(body?.api_key) };
}
