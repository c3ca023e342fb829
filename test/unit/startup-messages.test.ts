import { describe, it, expect } from '@jest/globals';
import { ConfigError } from '../../src/config/load.js';
import { StartupError } from '../../src/errors.js';
import { describeStartupFailure } from '../../src/startup-messages.js';

/** Node's listen errors carry syscall, code and port; these are their shapes, as net.Server emits them. */
const listenError = (code: string, port: number) =>
  Object.assign(new Error(`listen ${code}: 0.0.0.0:${port}`), { code, syscall: 'listen', port });

describe('describeStartupFailure', () => {
  it.each([
    [
      listenError('EADDRINUSE', 8080),
      1,
      'Cannot start: port 8080 is already in use by another program (perhaps another copy of this server). Stop the other program, or choose another port with PORT, for example PORT=8081 npm start (and BASE_URL=http://localhost:8081 if you set BASE_URL).',
    ],
    [
      listenError('EACCES', 80),
      1,
      'Cannot start: this user may not listen on port 80 (ports below 1024 need extra privileges). Stop the other program, or choose another port with PORT, for example PORT=81 npm start (and BASE_URL=http://localhost:81 if you set BASE_URL).',
    ],
    [
      new ConfigError(['PORT must be a whole number from 0 to 65535 (for example PORT=8080)']),
      78,
      'Invalid configuration:\n  - PORT must be a whole number from 0 to 65535 (for example PORT=8080)',
    ],
    [
      new StartupError('DATA_DIR', 'Another intervals-mcp process is already running on the data directory ./data (DATA_DIR).'),
      1,
      'Cannot start: Another intervals-mcp process is already running on the data directory ./data (DATA_DIR).',
    ],
  ])('%s', (err, exitCode, message) => {
    expect(describeStartupFailure(err, {})).toEqual({ exitCode, message });
  });

  it('anything else: a generic line with secrets scrubbed', () => {
    const out = describeStartupFailure(new Error('boom at postgres://user:hunter2-secret@db.example.com/x'), {});
    expect(out.exitCode).toBe(1);
    expect(out.message).toMatch(/^Start-up failed: boom at /);
    expect(out.message).not.toContain('hunter2-secret');
  });
});
