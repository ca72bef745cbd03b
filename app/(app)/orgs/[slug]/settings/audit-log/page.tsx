import { orgPageContext } from "@/app/_lib/org-page";
import { parsePageQuery, type RawSearchParams } from "@/lib/ops/operation";
import { Card, PageHeader } from "@/components/ui/card";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditActions } from "@/lib/audit/audit";
import { listAuditEventsOp } from "@/lib/audit/operations";
import { isAdminRole } from "@/lib/orgs/roles";
import { listMembers } from "@/lib/orgs/members";

export const metadata = { title: "Audit log" };

const isoDay = (d: Date | undefined) => d?.toISOString().slice(0, 10);

export default async function AuditLogPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<RawSearchParams> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  if (!isAdminRole(ctx.membership.role)) {
    // The domain refuses too (listAuditLog); this only says so kindly instead of an error page.
    return (
      <>
        <PageHeader title="Audit log" />
        <Card className="p-6 text-sm text-zinc-600 dark:text-zinc-400">Only owners and admins can view the audit log.</Card>
      </>
    );
  }
  const query = parsePageQuery(listAuditEventsOp.input.query, await searchParams);
  const [actions, members, { rows, total }] = await Promise.all([listAuditActions(ctx), listMembers(ctx), listAuditEventsOp.handler(ctx, { query, params: {}, body: {} })]);
  return (
    <>
      <PageHeader title="Audit log" description="Every change to keys, members and settings: who, what, when and from where." />
      <AuditTable
        actions={actions}
        currentAction={query.action}
        actors={members.map((m) => ({ id: m.userId, label: m.email ?? m.name ?? m.userId }))}
        filters={{ actorUserId: query.actorUserId, from: isoDay(query.from), to: isoDay(query.to) }}
        page={query.page}
        perPage={query.perPage}
        total={total}
        rows={rows.map((r) => ({
          id: r.id,
          createdAt: r.createdAt.toISOString(),
          actor: r.actorLabel,
          action: r.action,
          target: r.targetLabel ?? r.targetId,
          ip: r.ip,
          before: r.before,
          after: r.after,
        }))}
      />
    </>
  );
}
