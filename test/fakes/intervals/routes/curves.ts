import { unprocessable, type FakeIntervals, type RouteRequest } from '../server.js';
import { sample } from '../samples.js';

type Raw = Record<string, unknown>;

/**
 * Athlete curves. `type` is required (422 otherwise, as live), and like the live API for some
 * curve endpoints, athlete `0` is refused, so tools must send the real id.
 */
function curveLabel(id: string): string {
  if (id.startsWith('r.')) return `${id.slice(2, 12)} to ${id.slice(13)}`;
  return { s0: 'This season', s1: 'Last season', all: 'All time', '1y': '1 year' }[id] ?? id;
}

function answer(req: RouteRequest, base: Raw[], reshape: (c: Raw) => Raw = (c) => c) {
  if (req.params.id === '0') return { status: 403, body: { status: 403, error: 'Access denied' } };
  if (!req.query.type) return unprocessable("Required request parameter 'type' for method parameter type ActivityType is not present");
  const ids = (req.query.curves ?? 's0').split(',');
  return {
    list: ids.map((id) => {
      const found = base.find((c) => c.id === id) ?? { ...base[0], id };
      return reshape({
        ...found,
        label: found.label ?? curveLabel(id),
        ...(id.startsWith('r.')
          ? { label: curveLabel(id), start_date_local: `${id.slice(2, 12)}T00:00:00`, end_date_local: `${id.slice(13)}T00:00:00` }
          : {}),
      });
    }),
  };
}

export function registerCurveRoutes(fake: FakeIntervals): void {
  const power = sample<{ list: Raw[] }>('athlete-power-curves').list;
  const pace = sample<{ list: Raw[] }>('athlete-pace-curves-trimmed').list;
  fake.route('GET', '/athlete/:id/power-curves.json', 'ACTIVITY', (req) => answer(req, power));
  fake.route('GET', '/athlete/:id/hr-curves.json', 'ACTIVITY', (req) =>
    answer(req, power, (c) => ({
      ...c,
      values: (c.values as number[]).map((_, i) => 192 - i * 3),
      watts_per_kg: null,
      wkg_activity_id: null,
    })),
  );
  fake.route('GET', '/athlete/:id/pace-curves.json', 'ACTIVITY', (req) => answer(req, pace));
}
