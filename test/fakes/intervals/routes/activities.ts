import type { FakeIntervals } from '../server.js';

export function registerActivityRoutes(_fake: FakeIntervals): void {}
