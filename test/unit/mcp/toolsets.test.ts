import { describe, expect, it } from '@jest/globals';
import { ALL_TOOLS } from '../../../src/mcp/tools/index.js';
import { DEFAULT_TOOLSETS, TOOLSETS, toolsBySet, toolsetOf, toolsFor } from '../../../src/mcp/toolsets.js';

describe('toolsets', () => {
  it('every tool is in exactly one known set, and the sets partition the registry', () => {
    const names = new Set(TOOLSETS.map((s) => s.name));
    for (const t of ALL_TOOLS) expect(names.has(t.toolset)).toBe(true);
    const bySet = toolsBySet();
    expect(Object.values(bySet).flat().map((t) => t.name).sort()).toEqual(ALL_TOOLS.map((t) => t.name).sort());
  });

  it('core carries what most conversations need: the week, an activity, wellness, fitness, the calendar', () => {
    expect(toolsBySet().core.map((t) => t.name)).toEqual(expect.arrayContaining([
      'get_training_summary', 'get_activities', 'get_activity', 'get_wellness', 'update_wellness', 'get_fitness', 'get_events', 'create_event', 'update_event', 'delete_event', 'get_gear',
    ]));
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
});
