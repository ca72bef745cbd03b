// Owns the audit log: who did what to which target, from where, with before/after (never a secret).
import { and, count, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, getDb, type AuditEvent, type DbOrTx } from "../db";
import { newId } from "../ids";
import type { Actor, OrgContext } from "../context";
import { id, pageQuery, text } from "../primitives";
import { isAdminRole, requireAdmin } from "../orgs/roles";


export type AuditInput = {
  organizationId: string;
  actor: Actor;
  action: string;
  target: { type: string; id: string; label?: string | null };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
};

export async function recordAudit(db: DbOrTx, e: AuditInput): Promise<void> {
  await db.insert(auditEvents).values({
    id: newId("evt"),
    organizationId: e.organizationId,
    actorUserId: e.actor.userId,
    actorKeyId: e.actor.keyId ?? null,
    actorLabel: e.actor.label,
    action: e.action,
    targetType: e.target.type,
    targetId: e.target.id,
    targetLabel: e.target.label ?? null,
    ip: e.actor.ip,
    before: e.before ?? null,
    after: e.after ?? null,
  });
}

/**
 * A day (`2026-11-23`: the whole day, UTC) or an ISO 8601 date-time. `end` makes a bare day mean
 * its last millisecond, so `from=…&to=…` with the same day covers that day.
 */
export function dayOrDateTime(label: string, end = false) {
  return z
    .string({ error: `${label} must be a date (YYYY-MM-DD) or an ISO 8601 date-time` })
    .max(40, `${label} must be a date (YYYY-MM-DD) or an ISO 8601 date-time`)
    .transform((v, ctx) => {
      const day = /^\d{4}-\d{2}-\d{2}$/.test(v);
      const ok = day || z.iso.datetime({ offset: true }).safeParse(v).success;
      const d = ok ? new Date(day ? `${v}T${end ? "23:59:59.999" : "00:00:00"}Z` : v) : new Date(NaN);
      if (Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 || d.getUTCFullYear() > 9999) {
        ctx.addIssue({ code: "custom", message: `${label} must be a date (YYYY-MM-DD) or an ISO 8601 date-time` });
        return z.NEVER;
      }
      return d;
    });
}

/** The audit log's filters, the same on its page and in `GET /api/v1/audit`. */
export const auditQuerySchema = z.object({
  action: text({ label: "action", max: 100 }).optional().describe("e.g. key.created, member.removed"),
  actorUserId: id("user").optional().describe("Only changes made by this user (or by their keys)."),
  targetId: text({ label: "targetId", max: 100 }).optional().describe("Only changes to this key, member, invitation or organization id."),
  from: dayOrDateTime("from").optional(),
  to: dayOrDateTime("to", true).optional(),
  ...pageQuery,
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

async function listAuditEvents(
  db: DbOrTx,
  organizationId: string,
  q: Partial<AuditQuery> & { page: number; perPage: number },
): Promise<{ rows: AuditEvent[]; total: number }> {
  const where: SQL[] = [eq(auditEvents.organizationId, organizationId)];
  if (q.action) where.push(eq(auditEvents.action, q.action));
  if (q.actorUserId) where.push(eq(auditEvents.actorUserId, q.actorUserId));
  if (q.targetId) where.push(eq(auditEvents.targetId, q.targetId));
  if (q.from) where.push(gte(auditEvents.createdAt, q.from));
  if (q.to) where.push(lte(auditEvents.createdAt, q.to));
  const cond = and(...where);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(auditEvents)
      .where(cond)
      .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
      .limit(q.perPage)
      .offset((q.page - 1) * q.perPage),
    db.select({ total: count() }).from(auditEvents).where(cond),
  ]);
  return { rows, total };
}

/** The organization's audit log: owners and admins only (it shows who did what from which address). */
export function listAuditLog(ctx: OrgContext, q: AuditQuery): Promise<{ rows: AuditEvent[]; total: number }> {
  requireAdmin(ctx.membership.role, "view the audit log");
  return listAuditEvents(getDb(), ctx.org.id, q);
}

/**
 * One key's or customer's trail, shown on its page to every member who can see it: who changed
 * what and when. Client addresses are the audit log's to show, so only owners and admins see them here.
 */
export async function listAuditTrail(ctx: OrgContext, targetId: string, page = { page: 1, perPage: 50 }): Promise<{ rows: AuditEvent[]; total: number; ipsHidden: boolean }> {
  const trail = await listAuditEvents(getDb(), ctx.org.id, { ...page, targetId });
  const ipsHidden = !isAdminRole(ctx.membership.role);
  return { ...trail, rows: ipsHidden ? trail.rows.map((r) => ({ ...r, ip: null })) : trail.rows, ipsHidden };
}

/** The actions that occur in the organization's log (the page's action filter). */
export async function listAuditActions(ctx: OrgContext): Promise<string[]> {
  requireAdmin(ctx.membership.role, "view the audit log");
  const db = getDb();
  const organizationId = ctx.org.id;
  const rows = await db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.organizationId, organizationId))
    .orderBy(auditEvents.action);
  return rows.map((r) => r.action);
}
