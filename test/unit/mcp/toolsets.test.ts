import { describe, expect, it } from '@jest/globals';
import { ALL_TOOLS } from '../../../src/mcp/tools/index.js';
import { instructionsFor } from '../../../src/mcp/server.js';
import type { Toolset } from '../../../src/mcp/tool.js';
import {
  DEFAULT_TOOLSETS,
  parseToolsets,
  TOOLSETS,
  toolsBySet,
  toolsetOf,
  toolsetsClaim,
  toolsetsFromClaim,
  toolsFor,
} from '../../../src/mcp/toolsets.js';

describe('toolsets', () => {
  it('every tool is in exactly one known set, and the sets partition the registry', () => {
    const names = new Set(TOOLSETS.map((s) => s.name));
    for (const t of ALL_TOOLS) expect(names.has(t.toolset)).toBe(true);
    const bySet = toolsBySet();
    expect(
      Object.values(bySet)
        .flat()
        .map((t) => t.name)
        .sort(),
    ).toEqual(ALL_TOOLS.map((t) => t.name).sort());
  });

  it('core carries what most conversations need: the week, an activity, wellness, fitness, the calendar', () => {
    expect(toolsBySet().core.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'get_training_summary',
        'get_activities',
        'get_activity',
        'get_wellness',
        'update_wellness',
        'get_fitness',
        'get_events',
        'create_event',
        'update_event',
        'delete_event',
        'get_gear',
      ]),
    );
    expect(DEFAULT_TOOLSETS).toEqual(['core']);
  });

  it('a connection sees core plus the sets it chose, in registry order', () => {
    const coach = toolsFor(['coach']).map((t) => t.name);
    expect(coach).toEqual(ALL_TOOLS.filter((t) => t.toolset === 'core' || t.toolset === 'coach').map((t) => t.name));
    expect(coach).toContain('get_coach_roster');
    expect(coach).not.toContain('manage_library');
    expect(toolsFor([]).every((t) => t.toolset === 'core')).toBe(true);
  });

  it('names the set of a tool outside a connection\'s choice (for the "turn on <set>" error)', () => {
    expect(toolsetOf('manage_library')).toBe('planning');
    expect(toolsetOf('get_coach_roster')).toBe('coach');
    expect(toolsetOf('predict_race')).toBe('analysis');
    expect(toolsetOf('no_such_tool')).toBeUndefined();
  });

  it.each([
    ['', ['core']],
    ['planning', ['core', 'planning']],
    ['analysis, Planning', ['core', 'planning', 'analysis']],
    ['coach core coach', ['core', 'coach']],
    ['all', ['core', 'planning', 'coach', 'analysis']],
    [
      ['analysis', 'coach'],
      ['core', 'coach', 'analysis'],
    ],
  ] as [string | string[], string[]][])('parseToolsets(%j) → %j (core added, display order, no duplicates)', (input, expected) => {
    expect(parseToolsets(input)).toEqual(expected);
  });

  it.each([
    ['planing', 'Unknown tool set: planing. Choose from core, planning, coach, analysis (core is always on).'],
    ['coach, admin, x', 'Unknown tool sets: admin, x. Choose from core, planning, coach, analysis (core is always on).'],
  ])('parseToolsets(%j) refuses the unknown names and lists the real ones', (input, message) => {
    expect(() => parseToolsets(input)).toThrow(expect.objectContaining({ code: 'toolset_unknown', message }) as unknown as Error);
  });

  it.each([
    [undefined, ['core']],
    [42, ['core']],
    ['core planning', ['core', 'planning']],
    ['analysis admin core', ['core', 'analysis']],
  ] as [unknown, string[]][])('a token claim %j reads as %j: unknown names never widen a connection', (claim, expected) => {
    expect(toolsetsFromClaim(claim)).toEqual(expected);
  });

  it('the claim is written in display order with core', () => {
    expect(toolsetsClaim(['analysis', 'planning'] as Toolset[])).toBe('core planning analysis');
  });

  it('the instructions name the sets that are off (not their tools) and where to turn them on; none when every set is on', () => {
    const some = instructionsFor(new Set<Toolset>(['core', 'coach']), 'at https://x.test/account');
    expect(some).toMatch(
      / Tool sets off for this connection, their tools not listed: planning \(planning and authoring\), analysis \(analysis deep-dives\)\. If a request needs one, ask the person to turn it on at https:\/\/x\.test\/account\.$/,
    );
    expect(some).not.toContain('manage_library');
    expect(instructionsFor(new Set<Toolset>(['core', 'planning', 'coach', 'analysis']))).not.toContain('Tool sets off');
  });
});
