// Owns the audit log: who did what to which target, from where, with before/after (never a secret).
import { and, count, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import { auditEvents, type AuditEvent, type DbOrTx } from "../db";
import { newId } from "../ids";
import type { Actor } from "../context";


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

export type AuditQuery = {
  page: number;
  perPage: number;
  action?: string;
  actorUserId?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
};

export async function listAuditEvents(
  db: DbOrTx,
  organizationId: string,
  q: AuditQuery,
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

export async function listAuditActions(db: DbOrTx, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ action: auditEvents.action })
    .from(auditEvents)
    .where(eq(auditEvents.organizationId, organizationId))
    .orderBy(auditEvents.action);
  return rows.map((r) => r.action);
}
