import type { FakeIntervals } from '../server.js';

export function registerCurveRoutes(_fake: FakeIntervals): void {}
