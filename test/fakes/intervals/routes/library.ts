import type { FakeIntervals } from '../server.js';

export function registerLibraryRoutes(_fake: FakeIntervals): void {}
