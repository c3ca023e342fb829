import type { AnyToolDef } from '../tool.js';

/** library tools. Owner: tools2 (see docs/TOOLS-FRAMEWORK.md). */
export const libraryTools: AnyToolDef[] = [];
