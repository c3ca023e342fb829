import type { AnyToolDef } from '../tool.js';

/** settings tools. Owner: tools2 (see docs/TOOLS-FRAMEWORK.md). */
export const settingsTools: AnyToolDef[] = [];
