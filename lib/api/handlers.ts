// Owns the management API's operations: each one parses its input with the shared zod schemas and
// calls the same lib/ functions as the pages and server actions, so the UI and the API cannot disagree.
import { z } from "zod";
import { getDb } from "../db";
import { listAuditEvents } from "../audit/audit";
import { createKey, EDITABLE_KEY_FIELDS, patchKey, rollKey } from "../keys/lifecycle";
import { changeKey } from "../keys/status";
import { getKey, keyListQuerySchema, listKeys } from "../keys/queries";
import { toKeyView } from "../keys/view";
import type { OrgContext } from "../context";
import { parseInput } from "../validation";
import { VERIFY_CODES } from "../verify/codes";
import { listRequestLog } from "../verify/usage-queries";
import { ApiProblemError } from "./problem";
import { toApiKey } from "./key-json";
import type { ApiResult } from "./idempotency";
import type { ApiContext } from "./with-api-key";

type IdParams = { id: string };
const ok = (body: unknown, status = 200, headers?: Record<string, string>): ApiResult => ({ status, body, headers });

async function keyJson(ctx: OrgContext, id: string) {
  return toApiKey(toKeyView(ctx.membership, await getKey(ctx, id)));
}

/** One page of a list, as every list route answers it. */
const pageResult = <T,>(data: T[], q: { page: number; perPage: number }, total: number) =>
  ok({ data, page: q.page, perPage: q.perPage, total, totalPages: Math.max(1, Math.ceil(total / q.perPage)) });

/** The query string as an object (the list schemas fall back to defaults for anything invalid). */
const queryObject = (q: URLSearchParams) => Object.fromEntries(q.entries());

export async function listKeysOp({ ctx, query }: ApiContext<Record<string, string>>): Promise<ApiResult> {
  const q = keyListQuerySchema.parse({ ...queryObject(query), org: undefined });
  const { rows, total } = await listKeys(ctx, q);
  return pageResult(rows.map((r) => toApiKey(toKeyView(ctx.membership, r))), q, total);
}

export async function createKeyOp({ ctx, body }: ApiContext<Record<string, string>>): Promise<ApiResult> {
  const created = await createKey(ctx, body ?? {});
  return ok({ key: await keyJson(ctx, created.key.id), token: created.token, tokenShown: false }, 201, { Location: `/api/v1/keys/${created.key.id}` });
}

export async function getKeyOp({ ctx, params }: ApiContext<IdParams>): Promise<ApiResult> {
  return ok(await keyJson(ctx, params.id));
}

export async function updateKeyOp({ ctx, params, body }: ApiContext<IdParams>): Promise<ApiResult> {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new ApiProblemError("invalid-request", "Send a JSON object with the fields to change.");
  const unknown = Object.keys(body).filter((k) => !EDITABLE_KEY_FIELDS.includes(k));
  if (unknown.length) {
    const f = unknown[0];
    const why = f === "type" || f === "environment" ? `${f} cannot be changed after creation` : `${f} is not a field of a key (fields: ${EDITABLE_KEY_FIELDS.join(", ")})`;
    throw new ApiProblemError("invalid-request", `${f}: ${why}.`, { field: f, errors: { [f]: [why] } });
  }
  await patchKey(ctx, params.id, body as Record<string, unknown>);
  return ok(await keyJson(ctx, params.id));
}

export async function deleteKeyOp({ ctx, params }: ApiContext<IdParams>): Promise<ApiResult> {
  await changeKey(ctx, "delete", { keyId: params.id });
  return ok(null, 204);
}

export async function rollKeyOp({ ctx, params, body }: ApiContext<IdParams>): Promise<ApiResult> {
  const input = body && typeof body === "object" && !Array.isArray(body) ? body : {};
  const rolled = await rollKey(ctx, { ...input, keyId: params.id });
  return ok({ key: await keyJson(ctx, rolled.key.id), token: rolled.token, tokenShown: false });
}

export function statusOp(action: "suspend" | "reactivate" | "revoke") {
  return async ({ ctx, params }: ApiContext<IdParams>): Promise<ApiResult> => {
    await changeKey(ctx, action, { keyId: params.id });
    return ok(await keyJson(ctx, params.id));
  };
}

export const logQuerySchema = z.object({
  code: z.enum(VERIFY_CODES, { error: `code must be one of ${VERIFY_CODES.join(", ")}` }).optional(),
  since: z.iso.datetime({ offset: true, error: "since must be an ISO 8601 date-time" }).optional(),
  page: z.coerce.number({ error: "page must be a number" }).int().min(1, "page starts at 1").default(1),
  perPage: z.coerce.number({ error: "perPage must be a number" }).int().min(1).max(100, "perPage is at most 100").default(25),
});

export async function keyLogsOp({ ctx, params, query }: ApiContext<IdParams>): Promise<ApiResult> {
  const q = parseInput(logQuerySchema, queryObject(query));
  const key = await getKey(ctx, params.id); // 404 unless the key is in the caller's organization
  const { rows, total } = await listRequestLog(key.id, { page: q.page, perPage: q.perPage, code: q.code, since: q.since ? new Date(q.since) : undefined });
  return pageResult(rows.map((r) => ({ at: r.at.toISOString(), code: r.code, ip: r.ip, method: r.method, path: r.path })), q, total);
}

export const auditQuerySchema = z.object({
  action: z.string().max(100).optional(),
  actorUserId: z.string().max(100).optional(),
  targetId: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true, error: "from must be an ISO 8601 date-time" }).optional(),
  to: z.iso.datetime({ offset: true, error: "to must be an ISO 8601 date-time" }).optional(),
  page: z.coerce.number({ error: "page must be a number" }).int().min(1, "page starts at 1").default(1),
  perPage: z.coerce.number({ error: "perPage must be a number" }).int().min(1).max(100, "perPage is at most 100").default(25),
});

export async function auditOp({ ctx, query }: ApiContext<Record<string, string>>): Promise<ApiResult> {
  const q = parseInput(auditQuerySchema, queryObject(query));
  const { rows, total } = await listAuditEvents(getDb(), ctx.org.id, {
    ...q,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  });
  return pageResult(
    rows.map((e) => ({
      id: e.id,
      at: e.createdAt.toISOString(),
      action: e.action,
      actor: { userId: e.actorUserId, keyId: e.actorKeyId, label: e.actorLabel },
      target: { type: e.targetType, id: e.targetId, label: e.targetLabel },
      ip: e.ip,
      before: e.before,
      after: e.after,
    })),
    q,
    total,
  );
}
