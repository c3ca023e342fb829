import { z } from 'zod';
import { READ_SCOPE, WRITE_SCOPE } from '../context.js';
import { sections } from '../format/table.js';
import { cleanText, fenced, inline } from '../format/untrusted.js';
import { localTime, num } from '../format/units.js';
import { activityIdInput, limitInput } from '../inputs.js';
import { APPEND, defineTool, READ_ONLY, type AnyToolDef } from '../tool.js';
import { records } from '../records.js';

type Raw = Record<string, unknown>;

const messageOutput = z.object({
  id: z.number().nullable(),
  athlete_id: z.string().nullable(),
  author: z.string().nullable(),
  created: z.string().nullable(),
  type: z.string().nullable(),
  content: z.string().nullable(),
});

const getActivityMessages = defineTool({
  name: 'get_activity_messages',
  title: 'Comments on an activity',
  description:
    'The comment thread (chat) on one activity: who wrote what and when, oldest first. Use to read feedback between athlete ' +
    'and coach. The description itself: get_activity; to reply: add_activity_message.',
  scope: READ_SCOPE,
  toolset: 'coach',
  annotations: READ_ONLY,
  input: {
    activity_id: activityIdInput,
    since_id: z.number().int().min(0).optional().describe('Only messages after this id.'),
    limit: limitInput(100, 30),
  },
  output: { activity_id: z.string(), count: z.number(), messages: z.array(messageOutput) },
  async run(args, ctx) {
    const raw = await ctx.intervals.get<Raw[] | null>('/activity/{id}/messages', {
      params: { id: args.activity_id },
      query: { sinceId: args.since_id, limit: args.limit },
    });
    const messages = records(raw)
      .filter((m) => !m.deleted)
      .map((m) => ({
        id: num(m.id),
        athlete_id: typeof m.athlete_id === 'string' ? m.athlete_id : null,
        author: cleanText(m.name, 80),
        created: typeof m.created === 'string' ? m.created : null,
        type: typeof m.type === 'string' ? m.type : null,
        content: cleanText(m.content, 2_000),
      }));
    const structured = { activity_id: args.activity_id, count: messages.length, messages };
    if (messages.length === 0) return { structured, text: `No comments on ${args.activity_id}.` };
    const body = messages
      .map((m) => fenced(`#${m.id ?? '?'} ${inline(m.author)} (${m.athlete_id ?? '?'}) at ${localTime(m.created)} UTC`, m.content, 2_000))
      .join('\n');
    return {
      structured,
      text: sections(
        `${messages.length} comment(s) on ${args.activity_id}, oldest first:`,
        body,
        messages.length === args.limit
          ? `Limit reached: call again with since_id=${messages[messages.length - 1]!.id} for newer ones.`
          : '',
      ),
    };
  },
});

const addActivityMessage = defineTool({
  name: 'add_activity_message',
  title: 'Comment on an activity',
  description:
    "Posts a comment to one activity's chat as the connected account, visible to the athlete and their coaches. Use only when " +
    'the person asks for a comment on an activity; repeating posts it again. To change the description: update_activity.',
  scope: WRITE_SCOPE,
  toolset: 'coach',
  annotations: APPEND,
  input: { activity_id: activityIdInput, content: z.string().trim().min(1).max(4_000) },
  output: { activity_id: z.string(), message_id: z.number().nullable() },
  async run(args, ctx) {
    const raw = await ctx.intervals.post<Raw | null>('/activity/{id}/messages', {
      params: { id: args.activity_id },
      body: { content: args.content },
    });
    const structured = { activity_id: args.activity_id, message_id: num(raw?.id) };
    return { structured, text: `Posted comment ${structured.message_id ?? '(id not returned)'} on ${args.activity_id}.` };
  },
});

export const activityMessageTools: AnyToolDef[] = [getActivityMessages, addActivityMessage];
