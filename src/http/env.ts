import type { RequestIdVariables } from 'hono/request-id';

/** Typed context variables shared by middleware and routes. */
export interface AppEnv {
  Variables: RequestIdVariables & {
    /** Who is acting: an API token's name, a proxy-asserted user, or `alertmanager`. */
    actor: string;
  };
}
