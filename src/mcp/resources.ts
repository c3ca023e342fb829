import type { McpServer } from '@modelcontextprotocol/server';
import { isIntervalsError } from '../intervals/errors.js';
import { hasScope, READ_SCOPE } from './context.js';
import { EVENT_CATEGORIES_GUIDE, EVENT_CATEGORIES_URI } from './guides/event-categories.js';
import { WORKOUT_SYNTAX_GUIDE, WORKOUT_SYNTAX_URI } from './guides/workout-syntax.js';
import type { ResolveContext } from './tool-binding.js';
import { athleteTools } from './tools/athlete.js';

export const ATHLETE_PROFILE_URI = 'intervals://athlete/profile';

/**
 * MCP resources: the caller's athlete profile (live, through their own Intervals.icu link) and
 * two static guides that tool descriptions point to instead of repeating them.
 */
export function registerResources(server: McpServer, opts: { resolveContext: ResolveContext }): void {
  server.registerResource(
    'workout-syntax',
    WORKOUT_SYNTAX_URI,
    {
      title: 'Intervals.icu workout text syntax',
      description:
        'How to write structured workouts (steps, targets, ramps, repeats) in the description of WORKOUT events and library workouts.',
      mimeType: 'text/markdown',
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: WORKOUT_SYNTAX_GUIDE }] }),
  );

  server.registerResource(
    'event-categories',
    EVENT_CATEGORIES_URI,
    {
      title: 'Intervals.icu calendar event categories',
      description: 'What each calendar category (WORKOUT, RACE_A/B/C, NOTE, TARGET, HOLIDAY, SICK, …) is for and which fields it uses.',
      mimeType: 'text/markdown',
    },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/markdown', text: EVENT_CATEGORIES_GUIDE }] }),
  );

  const getAthlete = athleteTools.find((t) => t.name === 'get_athlete');
  if (!getAthlete) throw new Error('get_athlete must be registered for the athlete profile resource');
  server.registerResource(
    'athlete-profile',
    ATHLETE_PROFILE_URI,
    {
      title: 'Athlete profile',
      description: "The linked athlete's profile, thresholds and zones per sport (the same as the get_athlete tool).",
      mimeType: 'text/plain',
    },
    async (uri, request) => {
      const ctx = await opts.resolveContext({ authInfo: request.http?.authInfo });
      if (!hasScope(ctx.person, READ_SCOPE)) throw new Error(`Reading the athlete profile needs the ${READ_SCOPE} permission.`);
      try {
        const out = await getAthlete.run({}, ctx);
        return { contents: [{ uri: uri.href, mimeType: 'text/plain', text: out.text }] };
      } catch (err) {
        // Resource reads have no isError result: the JSON-RPC error carries the same next step.
        if (isIntervalsError(err)) throw new Error(`${err.message} Next step: ${err.nextStep}`, { cause: err });
        throw err;
      }
    },
  );
}
