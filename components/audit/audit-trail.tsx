// One resource's audit trail (a key's, a customer's) under an "Activity" heading.
import type { AuditEvent } from "@/lib/db";
import { AuditTable } from "./audit-table";

export function AuditTrail({ trail }: { trail: { rows: AuditEvent[]; total: number; ipsHidden: boolean } }) {
  return (
    <>
      <h2 className="mt-8 mb-3 text-base font-semibold">Activity</h2>
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
