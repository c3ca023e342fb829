import type { AnyToolDef } from '../tool.js';

export const curveTools: AnyToolDef[] = [];
