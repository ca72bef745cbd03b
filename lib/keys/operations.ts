// Owns the key operations every door uses: each is defined once (input, permission, handler, and
// how the REST API presents its result); routes, server actions, pages and OpenAPI derive from them.
import { z } from "zod";
import type { OrgContext } from "../context";
import { operation } from "../ops/operation";
import { id, pageQuery, pageResult } from "../primitives";
import { toApiKey } from "../api/key-json";
import { VERIFY_CODES } from "../verify/codes";
import { listRequestLog } from "../verify/usage-queries";
import { ANALYTICS_RANGE_NAMES } from "../analytics/verifications";
import { createKeySchema, EDITABLE_KEY_FIELDS, keyIdsSchema, rollKeySchema, updateKeySchema } from "./input";
import { createKey, patchKey, rollKey } from "./lifecycle";
import { changeKeys, KEY_ACTIONS, type KeyAction } from "./status";
import { getKey, keyListQuerySchema, listKeys } from "./queries";
import { toKeyView } from "./view";
import { addPermission, addPermissionSchema, removePermission, removePermissionSchema } from "./permissions";
import { policySchema, updateKeyPolicy } from "./policy";
import { revealKey, revealKeySchema } from "./recoverable";
import { transferKeys, transferSchema } from "./ownership";
import { removeUnusedPermissions, removeUnusedPermissionsSchema } from "./permission-usage";
import { dayOrDateTime } from "../audit/audit";

const keyParams = z.object({ id: id("key") });

async function keyJson(ctx: OrgContext, keyId: string) {
  return toApiKey(toKeyView(ctx.membership, await getKey(ctx, keyId)));
}

export const listKeysOp = operation({
  name: "listKeys",
  summary: "List the organization's keys",
  description: "Search (`q`: name, id, key ending or a full token), filters, sort and pagination, as in the UI.",
  permission: "keys:read",
  input: { query: keyListQuerySchema },
  handler: (ctx, { query }) => listKeys(ctx, query),
  rest: {
    method: "GET",
    path: "/api/v1/keys",
    tag: "Keys",
    ok: { status: 200, schema: "KeyPage", description: "One page of keys." },
    present: (ctx, { rows, total }, { query }) => ({ status: 200, body: pageResult(rows.map((r) => toApiKey(toKeyView(ctx.membership, r))), query, total) }),
  },
});

export const createKeyOp = operation({
  name: "createKey",
  summary: "Create a key",
  description: "Owned by the acting key's owner unless `ownerId` is given (owners and admins only). The token is in this response only.",
  permission: "keys:write",
  input: { body: createKeySchema },
  handler: (ctx, { body }) => createKey(ctx, body),
  rest: {
    method: "POST",
    path: "/api/v1/keys",
    tag: "Keys",
    ok: { status: 201, schema: "KeyWithToken", description: "The new key and its token (shown once). `Location` names the key." },
    present: async (ctx, created) => ({
      status: 201,
      body: { key: await keyJson(ctx, created.key.id), token: created.token, tokenShown: false },
      headers: { Location: `/api/v1/keys/${created.key.id}` },
    }),
  },
});

export const getKeyOp = operation({
  name: "getKey",
  summary: "Get a key",
  permission: "keys:read",
  resource: "Key",
  input: { params: keyParams },
  handler: (ctx, { params }) => getKey(ctx, params.id),
  rest: {
    method: "GET",
    path: "/api/v1/keys/{id}",
    tag: "Keys",
    ok: { status: 200, schema: "ApiKey", description: "The key." },
    present: (ctx, row) => ({ status: 200, body: toApiKey(toKeyView(ctx.membership, row)) }),
  },
});

const SETTINGS = new Set(EDITABLE_KEY_FIELDS);
/** PATCH body: any subset of the editable settings; anything else is named as an error. */
export const updateKeyBody = z.looseObject(updateKeySchema.omit({ keyId: true }).partial().shape).superRefine((body, ctx) => {
  for (const f of Object.keys(body)) {
    if (SETTINGS.has(f)) continue;
    const why = f === "type" || f === "environment" ? `${f} cannot be changed after creation` : `${f} is not a field of a key (fields: ${EDITABLE_KEY_FIELDS.join(", ")})`;
    ctx.addIssue({ code: "custom", path: [f], message: why });
  }
});

export const updateKeyOp = operation({
  name: "updateKey",
  summary: "Change a key's settings",
  description: "Send only the fields to change; type and environment cannot change.",
  permission: "keys:write",
  resource: "Key",
  input: { params: keyParams, body: updateKeyBody },
  partialBody: true,
  handler: (ctx, { params, body }) => patchKey(ctx, params.id, body),
  rest: {
    method: "PATCH",
    path: "/api/v1/keys/{id}",
    tag: "Keys",
    ok: { status: 200, schema: "ApiKey", description: "The key after the change." },
    present: async (ctx, key) => ({ status: 200, body: await keyJson(ctx, key.id) }),
  },
});

export const rollKeyOp = operation({
  name: "rollKey",
  summary: "Roll a key: issue a new token",
  description: "The previous token keeps verifying for the grace period (default: the organization's). Rolling an expired key renews it and needs `expiresAt`.",
  permission: "keys:write",
  resource: "Key",
  input: { params: keyParams, body: rollKeySchema.omit({ keyId: true }) },
  handler: (ctx, { params, body }) => rollKey(ctx, { ...body, keyId: params.id }),
  rest: {
    method: "POST",
    path: "/api/v1/keys/{id}/roll",
    tag: "Keys",
    ok: { status: 200, schema: "KeyWithToken", description: "The key and its new token (shown once)." },
    present: async (ctx, rolled) => ({ status: 200, body: { key: await keyJson(ctx, rolled.key.id), token: rolled.token, tokenShown: false } }),
  },
});

const STATUS_SUMMARIES: Record<KeyAction, string> = {
  suspend: "Suspend a key (verifications answer SUSPENDED until it is reactivated)",
  reactivate: "Reactivate a suspended key",
  revoke: "Revoke a key, permanently",
  delete: "Delete a key",
};

function keyStatusOp(action: KeyAction) {
  return operation({
    name: `${action}Key`,
    summary: STATUS_SUMMARIES[action],
    ...(action === "delete" ? { description: "Permanent: the key and its token are gone. Revoking keeps the key and its history." } : {}),
    permission: "keys:write",
    resource: "Key",
    input: { params: keyParams },
    handler: async (ctx, { params }) => {
      await changeKeys(ctx, action, { keyIds: [params.id] });
      return params.id;
    },
    rest:
      action === "delete"
        ? { method: "DELETE", path: "/api/v1/keys/{id}", tag: "Keys", ok: { status: 204, description: "Deleted." }, present: () => ({ status: 204, body: null }) }
        : {
            method: "POST",
            path: `/api/v1/keys/{id}/${action}`,
            tag: "Keys",
            ok: { status: 200, schema: "ApiKey", description: "The key after the change." },
            present: async (ctx, keyId) => ({ status: 200, body: await keyJson(ctx, keyId) }),
          },
  });
}
export const suspendKeyOp = keyStatusOp("suspend");
export const reactivateKeyOp = keyStatusOp("reactivate");
export const revokeKeyOp = keyStatusOp("revoke");
export const deleteKeyOp = keyStatusOp("delete");

export const keyLogQuerySchema = z.object({
  code: z.enum(VERIFY_CODES, { error: `code must be one of ${VERIFY_CODES.join(", ")}` }).optional(),
  since: dayOrDateTime("since").optional(),
  ...pageQuery,
});

/** The key page's URL state: the request log's filters (as in GET /api/v1/keys/{id}/logs) plus the chart's range. */
export const keyPageQuerySchema = keyLogQuerySchema.omit({ since: true, perPage: true }).extend({
  range: z.enum(ANALYTICS_RANGE_NAMES, { error: `range must be one of ${ANALYTICS_RANGE_NAMES.join(", ")}` }).default("24h"),
});

export const listKeyLogsOp = operation({
  name: "listKeyLogs",
  summary: "A key's request log, newest first",
  permission: "keys:read",
  resource: "Key",
  input: { params: keyParams, query: keyLogQuerySchema },
  handler: async (ctx, { params, query }) => {
    const key = await getKey(ctx, params.id); // 404 unless the key is in the caller's organization
    return listRequestLog(key.id, query);
  },
  rest: {
    method: "GET",
    path: "/api/v1/keys/{id}/logs",
    tag: "Keys",
    ok: { status: 200, schema: "RequestLogPage", description: "One page of verifications." },
    present: (_ctx, { rows, total }, { query }) => ({
      status: 200,
      body: pageResult(rows.map((r) => ({ at: r.at.toISOString(), code: r.code, ip: r.ip, method: r.method, path: r.path })), query, total),
    }),
  },
});

/** Suspend, reactivate, revoke or delete several keys at once (the tables' bulk actions). */
export const changeKeysOp = operation({
  name: "changeKeys",
  summary: "Apply one action to several keys, all or nothing",
  permission: "keys:write",
  input: { body: keyIdsSchema.extend({ action: z.enum(KEY_ACTIONS, { error: `action must be one of ${KEY_ACTIONS.join(", ")}` }) }) },
  handler: (ctx, { body }) => changeKeys(ctx, body.action, body),
});

export const addPermissionOp = operation({
  name: "addPermission",
  summary: "Add a permission to the organization's catalog",
  permission: "keys:write",
  input: { body: addPermissionSchema },
  handler: (ctx, { body }) => addPermission(ctx, body),
});

export const removePermissionOp = operation({
  name: "removePermission",
  summary: "Remove a permission from the organization's catalog",
  permission: "keys:write",
  input: { body: removePermissionSchema },
  handler: (ctx, { body }) => removePermission(ctx, body),
});

export const updateKeyPolicyOp = operation({
  name: "updateKeyPolicy",
  summary: "Change the organization's key policy",
  permission: "keys:write",
  input: { body: policySchema },
  handler: (ctx, { body }) => updateKeyPolicy(ctx, body),
});

export const revealKeyOp = operation({
  name: "revealKey",
  summary: "Copy a recoverable secret key's token (after re-authentication; audited)",
  input: { body: revealKeySchema },
  handler: (ctx, { body }) => revealKey(ctx, body),
});

export const transferKeysOp = operation({
  name: "transferKeys",
  summary: "Hand keys to another member",
  permission: "keys:write",
  input: { body: transferSchema },
  handler: (ctx, { body }) => transferKeys(ctx, body),
});

/** Least privilege: remove the permissions a key did not use in the last 30 days (key page). */
export const removeUnusedPermissionsOp = operation({
  name: "removeUnusedPermissions",
  summary: "Remove permissions a key did not use in the last 30 days",
  permission: "keys:write",
  input: { body: removeUnusedPermissionsSchema },
  handler: (ctx, { body }) => removeUnusedPermissions(ctx, body),
});
