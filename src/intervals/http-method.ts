/** The HTTP methods the Intervals.icu client sends; its own file so client.ts and oauth-scopes.ts both use it without a cycle. */
export type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';
