import type { FakeIntervals } from '../server.js';

export function registerEventRoutes(_fake: FakeIntervals): void {}
