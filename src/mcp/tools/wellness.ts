import type { AnyToolDef } from '../tool.js';

export const wellnessTools: AnyToolDef[] = [];
