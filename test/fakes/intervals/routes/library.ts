import { notFound, unprocessable, type FakeAthlete, type FakeIntervals } from '../server.js';
import { sample } from '../samples.js';
import { calendar, createEvent, type FakeEvent } from './events.js';
import { parseWorkoutText } from './workout-text.js';

/**
 * The workout library: folders (FOLDER or PLAN) holding workouts, create/update/delete of folders and
 * workouts (moving a workout = PUT with a new folder_id), and applying a plan to the calendar. No capture of /folders exists in ../samples, so the seed
 * is SYNTHETIC: the Folder/Workout shapes of the OpenAPI spec, filled with the captured workouts
 * from events-list-trimmed.json and event-workout-with-doc.json.
 */
type Raw = Record<string, unknown>;

interface Library {
  folders: Raw[];
  nextId: number;
}

function asWorkout(e: Raw, id: number, folderId: number, day: number | null): Raw {
  return {
    id,
    athlete_id: null,
    folder_id: folderId,
    day,
    name: e.name,
    type: e.type,
    description: e.description ?? null,
    moving_time: e.moving_time ?? null,
    icu_training_load: e.icu_training_load ?? null,
    workout_doc: e.workout_doc ?? null,
    indoor: false,
    color: null,
    tags: null,
    targets: null,
    updated: '2026-09-01T10:00:00.000+00:00',
  };
}

export function library(fake: FakeIntervals, a: FakeAthlete): Library {
  return fake.state(a.id, 'library', () => {
    const events = sample<Raw[]>('events-list-trimmed');
    const sweetSpot = sample<Raw>('event-workout-with-doc');
    const folder = (id: number, type: string, name: string, children: Raw[], extra: Raw = {}): Raw => ({
      athlete_id: a.id,
      id,
      type,
      name,
      description: null,
      children,
      visibility: 'PRIVATE',
      num_workouts: children.length,
      duration_weeks: null,
      ...extra,
    });
    return {
      folders: [
        folder(501, 'FOLDER', 'Cycling intervals', [
          asWorkout(events[0]!, 7001, 501, null),
          asWorkout(events[2]!, 7002, 501, null),
          asWorkout(events[4]!, 7003, 501, null),
        ]),
        folder(
          502,
          'PLAN',
          'Two-week base block',
          [asWorkout(sweetSpot, 7101, 502, 0), asWorkout(events[3]!, 7102, 502, 2), asWorkout(events[1]!, 7103, 502, 8)],
          { duration_weeks: 2 },
        ),
      ],
      nextId: 8001,
    };
  });
}

const allWorkouts = (lib: Library): Raw[] => lib.folders.flatMap((f) => (Array.isArray(f.children) ? (f.children as Raw[]) : []));

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function registerLibraryRoutes(fake: FakeIntervals): void {
  fake.route('GET', '/athlete/:id/folders', 'LIBRARY', ({ athlete }) => library(fake, athlete!).folders);

  fake.route('GET', '/athlete/:id/workouts', 'LIBRARY', ({ athlete }) => allWorkouts(library(fake, athlete!)));

  fake.route(
    'GET',
    '/athlete/:id/workouts/:workoutId',
    'LIBRARY',
    ({ athlete, params }) =>
      allWorkouts(library(fake, athlete!)).find((w) => String(w.id) === params.workoutId) ??
      notFound(`/athlete/${athlete!.id}/workouts/${params.workoutId}`),
  );

  fake.route('POST', '/athlete/:id/workouts', 'LIBRARY', ({ athlete, body }) => {
    const lib = library(fake, athlete!);
    const b = (body ?? {}) as Raw;
    const folder = lib.folders.find((f) => f.id === b.folder_id);
    if (!folder) return unprocessable(`Folder ${String(b.folder_id)} not found`);
    const doc = typeof b.description === 'string' ? parseWorkoutText(b.description) : null;
    const w: Raw = {
      ...b,
      id: lib.nextId++,
      athlete_id: athlete!.id,
      workout_doc: doc,
      moving_time: doc?.steps.length ? doc.duration : (b.moving_time ?? null),
    };
    (folder.children as Raw[]).push(w);
    folder.num_workouts = (folder.children as Raw[]).length;
    return w;
  });

  fake.route('POST', '/athlete/:id/folders', 'LIBRARY', ({ athlete, body }) => {
    const lib = library(fake, athlete!);
    const b = (body ?? {}) as Raw;
    if (typeof b.name !== 'string' || b.name === '') return unprocessable('name is required');
    if (b.type !== undefined && b.type !== 'FOLDER' && b.type !== 'PLAN') return unprocessable(`Invalid type ${String(b.type)}`);
    const folder: Raw = {
      athlete_id: athlete!.id,
      id: lib.nextId++,
      type: b.type ?? 'FOLDER',
      name: b.name,
      description: b.description ?? null,
      children: [],
      visibility: 'PRIVATE',
      num_workouts: 0,
      duration_weeks: null,
    };
    lib.folders.push(folder);
    return folder;
  });

  const folderAt = (a: FakeAthlete, folderId: string | undefined) => library(fake, a).folders.find((f) => String(f.id) === folderId);

  // The body is a whole Folder; like the live API, the id and children are the stored ones.
  fake.route('PUT', '/athlete/:id/folders/:folderId', 'LIBRARY', ({ athlete, params, body }) => {
    const folder = folderAt(athlete!, params.folderId);
    if (!folder) return notFound(`/athlete/${athlete!.id}/folders/${params.folderId}`);
    const { id: _id, children: _children, athlete_id: _a, ...changes } = (body ?? {}) as Raw;
    Object.assign(folder, changes);
    return folder;
  });

  fake.route('DELETE', '/athlete/:id/folders/:folderId', 'LIBRARY', ({ athlete, params }) => {
    const lib = library(fake, athlete!);
    const at = lib.folders.findIndex((f) => String(f.id) === params.folderId);
    if (at < 0) return notFound(`/athlete/${athlete!.id}/folders/${params.folderId}`);
    lib.folders.splice(at, 1);
    return {};
  });

  const findWorkout = (lib: Library, workoutId: string | undefined) => {
    for (const f of lib.folders) {
      const children = f.children as Raw[];
      const at = children.findIndex((w) => String(w.id) === workoutId);
      if (at >= 0) return { folder: f, children, at, workout: children[at]! };
    }
    return null;
  };

  fake.route('PUT', '/athlete/:id/workouts/:workoutId', 'LIBRARY', ({ athlete, params, body }) => {
    const lib = library(fake, athlete!);
    const hit = findWorkout(lib, params.workoutId);
    if (!hit) return notFound(`/athlete/${athlete!.id}/workouts/${params.workoutId}`);
    const { id: _id, ...changes } = (body ?? {}) as Raw;
    if (changes.folder_id !== undefined && changes.folder_id !== hit.folder.id) {
      const to = lib.folders.find((f) => f.id === changes.folder_id);
      if (!to) return unprocessable(`Folder ${String(changes.folder_id)} not found`);
      hit.children.splice(hit.at, 1);
      hit.folder.num_workouts = hit.children.length;
      (to.children as Raw[]).push(hit.workout);
      to.num_workouts = (to.children as Raw[]).length;
    }
    Object.assign(hit.workout, changes);
    if (typeof changes.description === 'string') {
      const doc = parseWorkoutText(changes.description);
      hit.workout.workout_doc = doc;
      if (doc.steps.length && changes.moving_time === undefined) hit.workout.moving_time = doc.duration;
    }
    return hit.workout;
  });

  fake.route('DELETE', '/athlete/:id/workouts/:workoutId', 'LIBRARY', ({ athlete, params }) => {
    const hit = findWorkout(library(fake, athlete!), params.workoutId);
    if (!hit) return notFound(`/athlete/${athlete!.id}/workouts/${params.workoutId}`);
    hit.children.splice(hit.at, 1);
    hit.folder.num_workouts = hit.children.length;
    return [hit.workout.id];
  });

  // The athlete's current plan (AthleteTrainingPlan). SYNTHETIC, no capture exists: Ann follows the
  // seeded two-week plan (502) from 2026-05-04; Ben follows none (the plan fields are null).
  fake.route('GET', '/athlete/:id/training-plan', 'LIBRARY', ({ athlete }) => {
    const first = athlete!.id === fake.athletes[0]!.id;
    const plan = first ? (library(fake, athlete!).folders.find((f) => f.id === 502) ?? null) : null;
    return {
      athlete_id: athlete!.id,
      timezone: 'Europe/London',
      training_plan_alias: null,
      training_plan_id: plan ? plan.id : null,
      training_plan_start_date: plan ? '2026-05-04' : null,
      training_plan_last_applied: plan ? '2026-05-01T09:00:00.000+00:00' : null,
      training_plan: plan,
    };
  });

  // Applying a plan writes events, so it needs CALENDAR (as the path says).
  fake.route('POST', '/athlete/:id/events/apply-plan', 'CALENDAR', ({ athlete, body }) => {
    const b = (body ?? {}) as { start_date_local?: string; folder_id?: number };
    const folder = library(fake, athlete!).folders.find((f) => f.id === b.folder_id);
    if (!folder) return unprocessable(`Folder ${String(b.folder_id)} not found`);
    if (typeof b.start_date_local !== 'string' || !/^\d{4}-\d{2}-\d{2}T00:00:00$/.test(b.start_date_local))
      return unprocessable('start_date_local is required');
    const start = b.start_date_local.slice(0, 10);
    const cal = calendar(fake, athlete!);
    const created: FakeEvent[] = (folder.children as Raw[]).map((w) =>
      createEvent(cal, athlete!, {
        category: 'WORKOUT',
        start_date_local: `${addDays(start, Number(w.day ?? 0))}T00:00:00`,
        name: w.name,
        type: w.type,
        description: w.description,
        workout_doc: w.workout_doc,
        moving_time: w.moving_time,
        plan_folder_id: folder.id,
        plan_workout_id: w.id,
        plan_applied: new Date().toISOString(),
      }),
    );
    return { eventsCreated: created.length };
  });
}
