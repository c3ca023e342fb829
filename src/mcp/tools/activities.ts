import type { AnyToolDef } from '../tool.js';

export const activityTools: AnyToolDef[] = [];
