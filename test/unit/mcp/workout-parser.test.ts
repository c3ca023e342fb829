import { describe, expect, it } from '@jest/globals';
import { WORKOUT_SYNTAX_GUIDE } from '../../../src/mcp/guides/workout-syntax.js';
import { isRepeat, parseWorkout, problemLines, type Step } from '../../../src/mcp/workout/parser.js';

/** Every fenced example in the workout-syntax resource, with the sport its heading names. */
const guideExamples = [
  ...WORKOUT_SYNTAX_GUIDE.slice(WORKOUT_SYNTAX_GUIDE.indexOf('## Examples')).matchAll(/\n([^\n]+):\n```\n([\s\S]*?)```/g),
].map((m) => [m[1]!, m[2]!] as const);

const sportOf = (heading: string) =>
  /^Running/.test(heading) ? 'Run' : /^Swimming/.test(heading) ? 'Swim' : /^Strength/.test(heading) ? 'WeightTraining' : 'Ride';
const firstStep = (text: string, sport: string | null = null): Step => {
  const item = parseWorkout(text, sport).items[0]!;
  return isRepeat(item) ? item.steps[0]! : item;
};

describe('workout parser: the examples the workout-syntax resource documents', () => {
  it('finds all six examples in the guide', () => {
    expect(guideExamples.map(([h]) => h)).toHaveLength(6);
  });

  it.each(guideExamples)('%s parses with no problems', (heading, text) => {
    const parsed = parseWorkout(text, sportOf(heading));
    expect(parsed.problems).toEqual([]);
    expect(parsed.ok).toBe(true);
    expect(parsed.step_count).toBeGreaterThan(0);
  });

  it.each([
    ['Cycling, sweet spot', 9, (10 + 5 + 3 * (12 + 4) + 10) * 60, 0],
    ['Cycling, VO2max', 10, 20 * 60 + 4 * 6 * 60 + 15 * 60, 0],
    ['Running, threshold', 12, 15 * 60 + 5 * 2 * 60 + 10 * 60, 5000],
    ['Running, absolute', 14, 0, 2000 + 6 * 600 + 2000],
    ['Swimming', 18, 8 * 20, 400 + 800 + 200],
    ['Strength', 3, 45 * 60, 0],
  ])('%s: %i steps, %i s timed, %i m of distance', (prefix, steps, secs, metres) => {
    const [heading, text] = guideExamples.find(([h]) => h.startsWith(prefix))!;
    const parsed = parseWorkout(text, sportOf(heading));
    expect([parsed.step_count, parsed.duration_s, parsed.distance_m]).toEqual([steps, secs, metres]);
  });

  it('reads the sweet-spot example step by step (ramp, cadence, repeat title)', () => {
    const [, text] = guideExamples[0]!;
    const { items } = parseWorkout(text);
    expect(items[0]).toMatchObject({ line: 2, duration_s: 600, ramp: true, targets: [{ kind: 'power', unit: '%ftp', low: 50, high: 75 }] });
    expect(items[1]).toMatchObject({ duration_s: 300, cadence_rpm: [95, 95] });
    expect(items[2]).toMatchObject({
      reps: 3,
      title: 'Main set',
      steps: [{ duration_s: 720, targets: [{ low: 88, high: 93 }] }, { duration_s: 240 }],
    });
  });
});

describe('workout parser: each piece of syntax', () => {
  it.each([
    ['- 30s 100%', { duration_s: 30 }],
    ['- 10m 60%', { duration_s: 600 }],
    ['- 1h Z2', { duration_s: 3600 }],
    ['- 1h30m 65%', { duration_s: 5400 }],
    ['- 5m30s 90%', { duration_s: 330 }],
    ["- 5' 70%", { duration_s: 300 }],
    ['- 30" 120%', { duration_s: 30 }],
    [`- 1'30" 110%`, { duration_s: 90 }],
    ['- 400mtr Z2 Pace', { distance_m: 400, duration_s: null }],
    ['- 2km Z2 HR', { distance_m: 2000 }],
    ['- 1mi 5:00/mi Pace', { distance_m: 1609.344 }],
    ['- 100yrd Z1 Pace', { distance_m: 91.44 }],
    ['- 0.4km 95% Pace', { distance_m: 400 }],
  ])('length %s', (text, expected) => {
    expect(firstStep(text)).toMatchObject(expected);
    expect(parseWorkout(text).problems).toEqual([]);
  });

  it.each([
    ['- 10m 75%', { kind: 'power', unit: '%ftp', low: 75, high: 75 }],
    ['- 10m 88-94%', { kind: 'power', unit: '%ftp', low: 88, high: 94 }],
    ['- 10m 220w', { kind: 'power', unit: 'w', low: 220, high: 220 }],
    ['- 10m 200-240W', { kind: 'power', unit: 'w', low: 200, high: 240 }],
    ['- 10m Z2', { kind: 'power', unit: 'power_zone', low: 2, high: 2 }],
    ['- 10m Z3-Z4', { kind: 'power', unit: 'power_zone', low: 3, high: 4 }],
    ['- 10m 70% HR', { kind: 'hr', unit: '%hr', low: 70, high: 70 }],
    ['- 10m 70-80% HR', { kind: 'hr', unit: '%hr', low: 70, high: 80 }],
    ['- 10m 95% LTHR', { kind: 'hr', unit: '%lthr', low: 95, high: 95 }],
    ['- 10m 90-95% LTHR', { kind: 'hr', unit: '%lthr', low: 90, high: 95 }],
    ['- 10m Z2 HR', { kind: 'hr', unit: 'hr_zone', low: 2, high: 2 }],
    ['- 10m Z2-Z3 HR', { kind: 'hr', unit: 'hr_zone', low: 2, high: 3 }],
    ['- 10m 90% Pace', { kind: 'pace', unit: '%pace', low: 90, high: 90 }],
    ['- 10m 85-90% Pace', { kind: 'pace', unit: '%pace', low: 85, high: 90 }],
    ['- 10m Z2 Pace', { kind: 'pace', unit: 'pace_zone', low: 2, high: 2 }],
    ['- 10m Z2-Z3 Pace', { kind: 'pace', unit: 'pace_zone', low: 2, high: 3 }],
    ['- 1km 5:00/km Pace', { kind: 'pace', unit: 'pace', low: 300, high: 300, pace_per: '/km' }],
    ['- 1km 4:10-4:00/km Pace', { kind: 'pace', unit: 'pace', low: 250, high: 240, pace_per: '/km' }],
    ['- 100mtr 1:45/100m Pace', { kind: 'pace', unit: 'pace', low: 105, pace_per: '/100m' }],
    ['- 500mtr 2:00/500m Pace', { kind: 'pace', unit: 'pace', low: 120, pace_per: '/500m' }],
    ['- 1km 5:00 Pace', { kind: 'pace', unit: 'pace', low: 300, pace_per: null }],
  ])('target %s', (text, target) => {
    const parsed = parseWorkout(text);
    expect(parsed.problems).toEqual([]);
    expect(firstStep(text).targets).toEqual([expect.objectContaining(target)]);
  });

  it.each([
    ['- 10m ramp 50-75%', { ramp: true, targets: [expect.objectContaining({ low: 50, high: 75 })] }],
    ['- 10m ramp 60-80% Pace', { ramp: true, targets: [expect.objectContaining({ kind: 'pace' })] }],
    ['- 10m ramp 120-150w', { ramp: true, targets: [expect.objectContaining({ unit: 'w' })] }],
    ['- 20m freeride', { freeride: true, targets: [] }],
    ['- 5m 75% 90rpm', { cadence_rpm: [90, 90] }],
    ['- 5m 75% 85-95rpm', { cadence_rpm: [85, 95] }],
    ['- Spin easy 5m 55%', { cue: 'Spin easy', duration_s: 300 }],
    ['- Hard 3m 330-350w 100rpm', { cue: 'Hard', cadence_rpm: [100, 100], targets: [expect.objectContaining({ low: 330, high: 350 })] }],
    ['- 10m 70% HR 90rpm', { cadence_rpm: [90, 90], targets: [expect.objectContaining({ kind: 'hr' })] }],
  ])('%s', (text, expected) => {
    expect(parseWorkout(text).problems).toEqual([]);
    expect(firstStep(text)).toMatchObject(expected);
  });

  it.each([
    ['4x\n- 3m 110%\n- 3m 50%', 4, null],
    ['Main set 4x\n- 3m 110%\n- 3m 50%', 4, 'Main set'],
    ['- 10m 50%\n\n2x\n- 1m 150%\n\n- 5m 50%', 2, null],
  ])('repeat %j', (text, reps, title) => {
    const parsed = parseWorkout(text);
    expect(parsed.problems).toEqual([]);
    expect(parsed.items.find(isRepeat)).toMatchObject({ reps, title });
  });

  it('prose with no step lines is a plain description, not an error', () => {
    const parsed = parseWorkout('Lockdown finally over, just go ride around all over the place!');
    expect(parsed).toMatchObject({ ok: true, step_count: 0, problems: [] });
  });

  it('section headers are cues, not problems; CRLF line ends read like LF', () => {
    expect(parseWorkout('Warmup\r\n- 10m 50%\r\n\r\nCooldown\r\n- 5m 40%')).toMatchObject({
      ok: true,
      step_count: 2,
      duration_s: 900,
      problems: [],
    });
  });
});

describe('workout parser: malformed text gets a line-by-line problem with a fix', () => {
  it.each([
    ['- Z4 5m', 1, 'error', 'comes before the duration', '"- 5m Z4"'],
    ['- 5m 60%\n- 75% 10m', 2, 'error', 'comes before the duration', '"- 10m 75%"'],
    ['- easy spin', 1, 'error', 'no duration or distance', 'drop the "- "'],
    ['- ', 1, 'error', 'an empty step', 'delete the line'],
    ['- 10min 60%', 1, 'error', 'no duration or distance Intervals.icu reads', '"10m"'],
    ['- 30sec 150%', 1, 'error', 'no duration or distance Intervals.icu reads', '"30s"'],
    ['- 400meters Z2 Pace', 1, 'error', 'no duration or distance Intervals.icu reads', '"400mtr"'],
    ['- 10 min 60%', 1, 'error', 'has a space inside', '"10m"'],
    ['- 1km 4:30/km', 1, 'error', 'without the word Pace', '"4:30/km Pace"'],
    ['- 1km 4:30/lap Pace', 1, 'error', 'pace unit', '/km'],
    ['- 400m Z2 Pace', 1, 'warning', 'is 400 MINUTES', '"400mtr"'],
    ['- 0m 50%', 1, 'error', 'zero long', 'above zero'],
    ['- 10m 0%', 1, 'error', 'out of range', '1–400%'],
    ['- 10m 500%', 1, 'error', 'out of range', '1–400%'],
    ['- 10m 150% HR', 1, 'error', 'out of range', 'heart rate'],
    ['- 10m 3000w', 1, 'error', 'out of range', '2500 W'],
    ['- 10m Z9', 1, 'error', 'does not exist', 'Z1–Z7'],
    ['- 10m 75% 300rpm', 1, 'error', 'cadence', '20–200 rpm'],
    ['- 10m 75% 220w', 1, 'error', 'two targets of the same kind', '"88-94%"'],
    ['- 10m 5m 75%', 1, 'error', 'a second length', 'split it'],
    ['- 10m ramp 75%', 1, 'error', 'a ramp needs a range', '50-75%'],
    ['- 10m freeride 60%', 1, 'warning', 'freeride has no target', 'drop'],
    ['- 10m HR', 1, 'error', 'qualifies nothing', '"70% HR"'],
    ['- 10m 60% easy', 1, 'warning', '"easy" after the duration', 'before the duration'],
    ['- 5x', 1, 'error', 'a repeat written as a step', '"5x" on its own line'],
    ['[repeat 5x]\n- 3m 110%', 1, 'error', 'a repeat Intervals.icu does not read', '"5x"'],
    ['5 x (3m 110%, 2m 50%)', 1, 'error', 'a repeat Intervals.icu does not read', '"5x"'],
    ['Repeat 4 times\n- 3m 110%', 1, 'error', 'a repeat Intervals.icu does not read', '"4x"'],
    ['4x\n\n- 3m 110%', 1, 'error', 'a repeat with no steps', 'right below'],
    ['- 10m 50%\n4x', 2, 'error', 'a repeat with no steps', 'right below'],
    ['4x\n2x\n- 1m 100%', 2, 'error', 'cannot be nested', 'blank line'],
    ['0x\n- 1m 100%', 1, 'error', '0 repeats', '1–100'],
    ['- 10m 50%\n3x\n- 1m 100%', 2, 'warning', 'no blank line before the repeat', 'blank line'],
    ['3x\n- 1m 100%\nCooldown\n- 5m 50%', 3, 'warning', 'a header inside a repeat block', 'blank line after'],
    ['Main\n  - 3m 110%', 2, 'warning', 'an indented step', 'remove the indentation'],
  ])('%j → line %i %s: %s', (text, line, severity, message, fix) => {
    const parsed = parseWorkout(text);
    const problem = parsed.problems.find((p) => p.message.includes(message));
    expect(problem).toMatchObject({ line, severity });
    expect(problem!.fix).toContain(fix);
    expect(parsed.ok).toBe(severity !== 'error');
  });

  it.each([
    ['Run', '- 10m Z2', 'POWER zone', '"Z2 Pace" or "Z2 HR"'],
    ['Swim', '- 400mtr Z3', 'POWER zone', '"Z3 Pace"'],
  ])('%s: %s warns that a bare zone is a power zone', (sport, text, message, fix) => {
    const [problem] = parseWorkout(text, sport).problems;
    expect(problem).toMatchObject({ severity: 'warning', line: 1 });
    expect(problem!.message).toContain(message);
    expect(problem!.fix).toContain(fix);
  });

  it('a bare zone on a ride is fine', () => {
    expect(parseWorkout('- 10m Z2', 'Ride').problems).toEqual([]);
  });

  it('reports every bad line of a longer text, in line order, and lists them for the model', () => {
    const parsed = parseWorkout('Warmup\n- 10min 50%\n\nMain set 4x\n- Z4 5m\n- 2m 50%\n\n- 1km 4:30/km');
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 5, 8]);
    expect(problemLines(parsed.problems)).toBe(
      [
        'line 2 "- 10min 50%": no duration or distance Intervals.icu reads → write "10m" (units: s, m = minutes, h, mtr, km, mi, yrd)',
        'line 5 "- Z4 5m": target "Z4" comes before the duration → put the duration first: "- 5m Z4"',
        'line 8 "- 1km 4:30/km": absolute pace "4:30/km" without the word Pace → write "4:30/km Pace"',
      ].join('\n'),
    );
  });
});
