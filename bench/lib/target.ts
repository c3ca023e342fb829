import type { Pinned } from './proc.js';
import type { ServerKey } from './report.js';

/** One server under load: where to send requests, with which credentials, and its process. */
export interface Target {
  key: ServerKey;
  /** Origin, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Path of the MCP endpoint on `url`. */
  mcpPath: string;
  authorization?: string;
  /** Host header to send when the server checks it against its public origin. */
  host?: string;
  proc: Pinned;
  /** Round trips to PostgreSQL so far, when the benchmark's proxy stands in between (--db-latency-ms). */
  dbRoundTrips?: () => number;
  stop(): Promise<void>;
}
