/**
 * The slice of oidc-provider 9 this project uses. The package ships no type declarations; these
 * cover only what src/auth/ calls, so a misuse still fails to compile.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type Koa from 'koa';

  export type AdapterPayload = Record<string, unknown> & {
    grantId?: string;
    userCode?: string;
    uid?: string;
    consumed?: number;
    exp?: number;
  };

  export interface Adapter {
    upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void>;
    find(id: string): Promise<AdapterPayload | undefined>;
    findByUserCode(userCode: string): Promise<AdapterPayload | undefined>;
    findByUid(uid: string): Promise<AdapterPayload | undefined>;
    consume(id: string): Promise<void>;
    destroy(id: string): Promise<void>;
    revokeByGrantId(grantId: string): Promise<void>;
  }

  export interface ClientMetadata {
    client_id: string;
    client_name?: string;
    redirect_uris?: string[];
    [key: string]: unknown;
  }

  export interface Client {
    clientId: string;
    clientName?: string;
    applicationType: 'web' | 'native';
    clientAuthMethod: string;
    redirectUris: string[];
    scope?: string;
    clientIdMetadataDocument?: boolean;
    grantTypeAllowed(type: string): boolean;
    metadata(): ClientMetadata;
  }

  export interface Grant {
    jti: string;
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    getResourceScopeEncountered(resource: string): string;
    save(ttl?: number): Promise<string>;
  }

  export interface InteractionDetails {
    uid: string;
    returnTo: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id: string; redirect_uri?: string; scope?: string };
    session?: { accountId: string; uid: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
  }

  export interface OidcContextShape {
    route?: string;
    client?: Client;
    session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    result?: Record<string, { grantId?: string } | undefined>;
    params?: Record<string, unknown>;
    entities: Record<string, unknown>;
    provider: Provider;
  }

  export interface KoaContextWithOIDC extends Koa.Context {
    oidc: OidcContextShape;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>> | Record<string, unknown>;
  }

  export type Configuration = Record<string, unknown>;

  class ProviderClass extends Koa {
    constructor(issuer: string, configuration: Configuration);
    readonly issuer: string;
    proxy: boolean;
    readonly Grant: {
      new (init: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    readonly Client: { find(id: string): Promise<Client | undefined> };
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      opts?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      opts?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    // never[]: any listener, whatever its parameters, may subscribe to any event name.
    on(event: string, listener: (...args: never[]) => void): this;
  }
  export type Provider = ProviderClass;
  export default ProviderClass;
  export { ProviderClass as Provider };

  export class OIDCProviderError extends Error {
    constructor(status: number, message: string);
    error: string;
    error_description?: string;
    status: number;
    statusCode: number;
    expose: boolean;
  }
  type ErrorClass = new (description?: string, detail?: string) => OIDCProviderError;
  export const errors: {
    OIDCProviderError: typeof OIDCProviderError;
    InvalidTarget: ErrorClass;
    InvalidClientMetadata: ErrorClass;
    InvalidRedirectUri: ErrorClass;
    InvalidRequest: ErrorClass;
    InvalidClient: ErrorClass;
    AccessDenied: ErrorClass;
    SessionNotFound: ErrorClass;
    TemporarilyUnavailable: ErrorClass;
  };

  export interface CheckInstance {
    reason: string;
  }
  export interface PromptInstance {
    name: string;
    checks: CheckInstance[] & { remove(reason: string): void; add(check: CheckInstance): void };
  }
  export interface PolicyInstance extends Array<PromptInstance> {
    get(name: string): PromptInstance | undefined;
    add(prompt: PromptInstance, index?: number): void;
  }
  export const interactionPolicy: {
    base(): PolicyInstance;
    Prompt: new (opts: { name: string; requestable?: boolean }, ...checks: CheckInstance[]) => PromptInstance;
    Check: new (
      reason: string,
      description: string,
      error: string,
      check: (ctx: KoaContextWithOIDC) => boolean | Promise<boolean>,
    ) => CheckInstance;
  };
}
