/**
 * A small stand-in for Intervals.icu's workout-text parser: enough of the syntax to turn the
 * descriptions our tests send into a `workout_doc` shaped like the captured samples
 * (events-list-trimmed.json), and to leave prose unparsed (`steps: []`), which is what the real
 * server does with text it does not understand.
 */
type Step = Record<string, unknown>;

const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!tr))?(?:(\d+)s)?$/;
const DISTANCE = /^(\d+(?:\.\d+)?)(mtr|km|mi)$/;

function durationOf(token: string): number | null {
  const m = DURATION.exec(token);
  if (!m || token === '' || (!m[1] && !m[2] && !m[3])) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

function distanceOf(token: string): number | null {
  const m = DISTANCE.exec(token);
  if (!m) return null;
  const factor = m[2] === 'km' ? 1000 : m[2] === 'mi' ? 1609.34 : 1;
  return Number(m[1]) * factor;
}

function range(token: string, suffix: string): { start: number; end: number } | { value: number } | null {
  const m = new RegExp(`^(\\d+)(?:${suffix})?(?:-(\\d+))?${suffix}$`, 'i').exec(token);
  if (!m) return null;
  return m[2] ? { start: Number(m[1]), end: Number(m[2]) } : { value: Number(m[1]) };
}

function parseStep(line: string): Step | null {
  const tokens = line.replace(/^-\s*/, '').trim().split(/\s+/);
  const at = tokens.findIndex((t) => durationOf(t) !== null || distanceOf(t) !== null);
  if (at < 0) return null;
  const step: Step = {};
  const cue = tokens.slice(0, at).join(' ');
  if (cue) step.text = cue;
  const d = tokens[at]!;
  const secs = durationOf(d);
  if (secs !== null) step.duration = secs;
  else step.distance = distanceOf(d);
  const rest = tokens.slice(at + 1);
  const kind = rest.some((t) => /^pace$/i.test(t)) ? 'pace' : rest.some((t) => /^(hr|lthr)$/i.test(t)) ? 'hr' : 'power';
  for (const t of rest) {
    if (/^ramp$/i.test(t)) step.ramp = true;
    else if (/^freeride$/i.test(t)) step.freeride = true;
    else if (/rpm$/i.test(t)) step.cadence = { ...range(t, 'rpm'), units: 'rpm' };
    else if (/w$/i.test(t) && range(t, 'w')) step.power = { ...range(t, 'w'), units: 'w' };
    else if (/%$/.test(t) && range(t, '%'))
      step[kind] = { ...range(t, '%'), units: kind === 'power' ? '%ftp' : kind === 'hr' ? '%hr' : '%pace' };
    else if (/^z\d$/i.test(t)) step[kind] = { value: Number(t.slice(1)), units: `${kind}_zone` };
  }
  return step;
}

/** Parse workout text into `{steps, duration}`; prose gives `{steps: []}` like the real server. */
export function parseWorkoutText(text: string): { steps: Step[]; duration: number } {
  const steps: Step[] = [];
  let block: Step | null = null;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') {
      block = null;
      continue;
    }
    const reps = /^(.*?)\s*(\d+)x$/i.exec(line);
    if (!line.startsWith('-') && reps) {
      block = { reps: Number(reps[2]), text: line, steps: [] };
      steps.push(block);
      continue;
    }
    if (!line.startsWith('-')) continue; // a section header
    const step = parseStep(line);
    if (!step) continue;
    if (block) (block.steps as Step[]).push(step);
    else steps.push(step);
  }
  const durationOfStep = (s: Step): number =>
    Array.isArray(s.steps) ? Number(s.reps) * (s.steps as Step[]).reduce((a, x) => a + durationOfStep(x), 0) : Number(s.duration ?? 0);
  for (const s of steps) if (Array.isArray(s.steps)) s.duration = durationOfStep(s);
  return {
    steps: steps.filter((s) => !Array.isArray(s.steps) || (s.steps as Step[]).length > 0),
    duration: steps.reduce((a, s) => a + durationOfStep(s), 0),
  };
}
