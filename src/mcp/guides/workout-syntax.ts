/**
 * The workout-text guide served as an MCP resource. Intervals.icu parses an event's or library
 * workout's `description` into structured steps (`workout_doc`); this is the subset of its workout
 * builder syntax that parses reliably, written for a model. Sources: the Intervals.icu forum
 * "Workout builder" thread and "Workout Builder Syntax Quick Guide" (t/123701), and the parsed samples in test/fakes/intervals/samples (events-list-trimmed.json,
 * event-workout-with-doc.json).
 */
export const WORKOUT_SYNTAX_URI = 'intervals://docs/workout-syntax';

export const WORKOUT_SYNTAX_GUIDE = `# Intervals.icu workout text

Put this text in the \`description\` of a WORKOUT event (create_event, update_event, bulk_create_events) or of a
library workout (create_workout). Intervals.icu turns it into steps, planned duration, planned load and time in
zones, and exports it to Garmin, Wahoo, Zwift and others. Our tools report \`workout.parsed\` and the step count;
\`parsed: false\` means the text was kept as plain prose — fix the lines and update the event.

## Lines
- A step is a line starting with "- ": \`- [cue text] <duration or distance> <target> [cadence]\`.
- Any other non-empty line is a section header (\`Warmup\`, \`Main set\`, \`Cooldown\`) and is shown as a cue.
- Duration (or distance) comes before the target. Free text before the duration becomes the step's cue
  ("- Spin easy 5m 55%"); keep tokens that look like durations or targets ("5m", "90%", "250w") out of cue text.

## Duration and distance
| write | means |
|---|---|
| \`30s\`, \`10m\`, \`1h\`, \`1h30m\`, \`5m30s\` | time (\`m\` is MINUTES) |
| \`5'\`, \`30"\`, \`1'30"\` | minutes / seconds shorthand |
| \`400mtr\`, \`2km\`, \`1mi\`, \`100yrd\` | distance (\`mtr\` = metres; never \`400m\`, that is 400 minutes) |

## Targets
Power (cycling; % of the sport's FTP unless stated):
- \`75%\`, \`88-94%\` — % of FTP; \`220w\`, \`200-240w\` — watts
- \`Z2\`, \`Z3-Z4\` — power zones from sport settings
Heart rate:
- \`70% HR\`, \`70-80% HR\` — % of max HR; \`95% LTHR\`, \`90-95% LTHR\` — % of threshold HR
- \`Z2 HR\`, \`Z2-Z3 HR\` — HR zones
Pace (run, swim, row):
- \`90% Pace\`, \`85-90% Pace\` — % of threshold pace (100% = threshold)
- \`Z2 Pace\`, \`Z2-Z3 Pace\` — pace zones
- \`5:00/km Pace\`, \`4:10-4:00/km Pace\`, \`1:45/100m Pace\` — absolute pace; the word \`Pace\` is required
  (units /km, /mi, /100m, /100y, /500m, /400m, /250m; without a unit the sport's default is used)
Cadence: append \`90rpm\` or \`85-95rpm\` to any step.
A bare \`Z2\` is a POWER zone: for runs and swims write \`Z2 Pace\` or \`Z2 HR\`, otherwise the step gets no load.

## Ramps and free riding
- \`- 10m ramp 50-75%\` — target changes steadily over the step (also \`ramp 60-80% Pace\`, \`ramp 120-150w\`)
- \`- 20m freeride\` — no target, ERG off

## Repeats
A line \`Nx\` on its own, or at the end of a section header (\`Main set 4x\`), repeats the steps below it until
the next blank line. Leave a blank line BEFORE and AFTER every repeat block; without it the block may run once.
Repeats cannot be nested.

## Examples
Cycling, sweet spot (FTP-relative):
\`\`\`
Warmup
- 10m ramp 50-75%
- 5m 75% 95rpm

Main set 3x
- 12m 88-93%
- 4m 55%

Cooldown
- 10m 50%
\`\`\`

Cycling, VO2max in watts:
\`\`\`
- Warmup 20m ramp 130-220w

4x
- Hard 3m 330-350w 100rpm
- Easy 3m 150w

- Cooldown 15m 140w
\`\`\`

Running, threshold by pace with an HR warm-up:
\`\`\`
Warmup
- 15m Z2 HR

Main set 5x
- 1km 98-102% Pace
- 2m Z1 HR

Cooldown
- 10m Z1 HR
\`\`\`

Running, absolute pace and distance:
\`\`\`
- 2km 5:30/km Pace

6x
- 400mtr 3:50/km Pace
- 200mtr 6:00/km Pace

- 2km 5:45/km Pace
\`\`\`

Swimming (threshold pace = CSS in sport settings):
\`\`\`
Warmup
- 400mtr Z2 Pace

Main set 8x
- 100mtr 95-100% Pace
- Rest 20s

Cooldown
- 200mtr Z1 Pace
\`\`\`

Strength or mobility (no targets — parses, but gets no planned load):
\`\`\`
- Squats and deadlifts 20m
- Core 15m
- Mobility 10m
\`\`\`

## Common mistakes
- \`400m\` for metres (it is 400 minutes) → \`400mtr\` or \`0.4km\`
- target before duration (\`- Z4 5m\`) → \`- 5m Z4\`
- nested bullets, "[repeat 5x]" or "5 x (…)" → a \`5x\` line and flat steps, blank lines around the block
- absolute pace without the word Pace (\`- 1km 4:30/km\`) → \`- 1km 4:30/km Pace\`
- words Intervals.icu does not know as targets ("CSS", "threshold", "marathon pace") → use % Pace or zones
`;
