import type { AnyToolDef } from '../tool.js';

/** events tools. Owner: tools2 (see docs/TOOLS-FRAMEWORK.md). */
export const eventsTools: AnyToolDef[] = [];
