#!/usr/bin/env node
// `npx -y intervals-mcp`: the single-athlete stdio server. The version check runs before anything
// else is loaded, because the server's dependencies fail on older Node with errors that do not say
// why. Written to parse on old Node too (no syntax newer than the check needs).
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `intervals-mcp needs Node.js 22.12 or newer; this is Node ${process.versions.node}.\n` +
      'Install the current Node.js LTS from https://nodejs.org (or with your version manager) and start it again.\n',
  );
  process.exit(1);
}
await import('../dist/src/stdio.js');
