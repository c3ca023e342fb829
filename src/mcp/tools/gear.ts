import type { AnyToolDef } from '../tool.js';

/** gear tools. Owner: tools2 (see docs/TOOLS-FRAMEWORK.md). */
export const gearTools: AnyToolDef[] = [];
