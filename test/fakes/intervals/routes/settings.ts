import type { FakeIntervals } from '../server.js';

export function registerSettingsRoutes(_fake: FakeIntervals): void {}
