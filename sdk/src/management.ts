// Owns the management API client: the generated operations, bound to one client with Latchkey's base URL and key.
import * as operations from "./generated/sdk.gen.js";
import { createClient, createConfig, type Client } from "./generated/client/index.js";

type Operations = Omit<typeof operations, "verifyKey">;

/** Every management operation of the OpenAPI document (listKeys, createKey, rollKey, …), plus the underlying client. */
export type ManagementApi = Operations & { client: Client };

export function createManagementApi(options: { baseUrl: string; rootKey?: string; fetch?: typeof fetch }): ManagementApi {
  const client = createClient(createConfig({ baseUrl: options.baseUrl, fetch: options.fetch, auth: () => options.rootKey }));
  const api: Record<string, unknown> = { client };
  for (const [name, op] of Object.entries(operations)) {
    if (name === "verifyKey" || typeof op !== "function") continue; // verification is Latchkey#verifyKey (budget, retries, fail mode)
    const call = op as (options?: { client?: Client }) => unknown;
    api[name] = (opts?: { client?: Client }) => call({ ...opts, client: opts?.client ?? client });
  }
  return api as ManagementApi;
}

export type * from "./generated/types.gen.js";
