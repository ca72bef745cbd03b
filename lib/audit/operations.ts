// Owns the audit log's operation (its page and GET /api/v1/audit derive from it).
import { operation } from "../ops/operation";
import { pageResult } from "../primitives";
import { auditQuerySchema, listAuditLog } from "./audit";

export const listAuditEventsOp = operation({
  name: "listAuditEvents",
  summary: "The organization's audit log, newest first",
  description: "Owners' and admins' keys only (a key never does more than its owner). `from`/`to` take a day (`2026-11-23`, the whole day in UTC) or an ISO 8601 date-time.",
  permission: "audit:read",
  input: { query: auditQuerySchema },
  handler: (ctx, { query }) => listAuditLog(ctx, query),
  rest: {
    method: "GET",
    path: "/api/v1/audit",
    tag: "Audit",
    ok: { status: 200, schema: "AuditPage", description: "One page of audit events." },
    present: (_ctx, { rows, total }, { query }) => ({
      status: 200,
      body: pageResult(
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
        query,
        total,
      ),
    }),
  },
});
