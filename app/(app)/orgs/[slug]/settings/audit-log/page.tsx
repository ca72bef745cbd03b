import { orgPageContext } from "@/app/_lib/org-page";
import { first, pagination, type RawSearchParams } from "@/app/_lib/search-params";
import { Card, PageHeader } from "@/components/ui/card";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditActions, listAuditEvents } from "@/lib/audit/audit";
import { getDb } from "@/lib/db";
import { isAdminRole } from "@/lib/orgs/roles";

export const metadata = { title: "Audit log" };

export default async function AuditLogPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<RawSearchParams> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  if (!isAdminRole(ctx.membership.role)) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Card className="p-6 text-sm text-zinc-600 dark:text-zinc-400">Only owners and admins can view the audit log.</Card>
      </>
    );
  }
  const sp = await searchParams;
  const { page, perPage } = pagination(sp);
  const actions = await listAuditActions(getDb(), ctx.org.id);
  const action = first(sp.action);
  const { rows, total } = await listAuditEvents(getDb(), ctx.org.id, {
    page,
    perPage,
    action: action && actions.includes(action) ? action : undefined,
  });
  return (
    <>
      <PageHeader title="Audit log" description="Every change to keys, members and settings: who, what, when and from where." />
      <AuditTable
        actions={actions}
        currentAction={action}
        page={page}
        perPage={perPage}
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
