/** The calendar event categories, served as an MCP resource so tool descriptions can stay short. */
export const EVENT_CATEGORIES_URI = 'intervals://docs/event-categories';

export const EVENT_CATEGORIES_GUIDE = `# Intervals.icu calendar event categories

Pick \`category\` for create_event, update_event and bulk_create_events; get_events filters on it.
Dates are the athlete's local days (YYYY-MM-DD). Multi-day items take \`date\` (first day) and \`last_date\`.
Creating always names \`type\`: a sport for WORKOUT and races (required there), \`null\` for items without one.

| category | use it for | useful fields |
|---|---|---|
| WORKOUT | a planned session | \`type\` (sport, required), \`description\` in workout text (resource intervals://docs/workout-syntax), \`time\`, \`indoor\`, \`target\` |
| RACE_A | the season's main goal race (tapers and peaks are planned around it) | \`type\` (required), \`distance_m\`, \`moving_time_s\`, \`description\` |
| RACE_B | an important race that does not get a full taper | as RACE_A |
| RACE_C | a training race or tune-up | as RACE_A |
| NOTE | free text on a day ("travel", "new shoes", a coach's comment) | \`description\`, \`color\`, \`last_date\` |
| TARGET | a goal for a day or week: load, time or distance | \`load_target\`, \`time_target_s\`, \`distance_target_m\`, \`type\` |
| PLAN | a training-plan phase spanning days or weeks (Base, Build, Peak) | \`last_date\`, \`description\` |
| HOLIDAY | time away; the planner keeps it free | \`last_date\`, \`training_availability\` |
| SICK | illness | \`last_date\`, \`training_availability\` |
| INJURED | injury | \`last_date\`, \`training_availability\` |
| SET_EFTP | set the estimated FTP from that day (usually done in the Intervals.icu app) | — |
| SET_FITNESS | set fitness (CTL) and fatigue (ATL) from that day | — |
| FITNESS_DAYS | change the fitness/fatigue time constants from that day | — |
| SEASON_START | start of a season (season curves s0/s1 begin here) | \`name\` |

\`training_availability\`: NORMAL (train as planned), LIMITED (reduced capacity), UNAVAILABLE (no training).

Ask the athlete when the tier of a race (A, B or C) or the reason for days off is not clear.
Deleting items dated today or earlier needs \`confirm: true\` in delete_event / delete_events.
`;
