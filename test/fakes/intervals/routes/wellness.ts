import type { FakeIntervals } from '../server.js';

export function registerWellnessRoutes(_fake: FakeIntervals): void {}
