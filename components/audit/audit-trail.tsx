// One resource's audit trail (a key's, a customer's) under an "Activity" heading.
import type { AuditEvent } from "@/lib/db";
import { AuditTable } from "./audit-table";

export function AuditTrail({ trail, title = "Activity", className = "mt-8" }: { trail: { rows: AuditEvent[]; total: number; ipsHidden: boolean }; title?: string; className?: string }) {
  return (
    <>
      <h2 className={`${className} mb-3 text-base font-semibold`}>{title}</h2>
      <AuditTable
        actions={[]}
        page={1}
        perPage={50}
        total={trail.total}
        hideFilters
        hideIp={trail.ipsHidden}
        rows={trail.rows.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), actor: r.actorLabel, action: r.action, target: r.targetLabel ?? r.targetId, ip: r.ip, before: r.before, after: r.after }))}
      />
    </>
  );
}
