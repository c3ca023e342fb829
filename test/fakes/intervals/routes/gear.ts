import type { FakeIntervals } from '../server.js';

export function registerGearRoutes(_fake: FakeIntervals): void {}
