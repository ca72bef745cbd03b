import { orgPageContext } from "@/app/_lib/org-page";
import { first, pagination, type RawSearchParams } from "@/app/_lib/search-params";
import { Card, PageHeader } from "@/components/ui/card";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditActions, listAuditEvents } from "@/lib/audit/audit";
import { getDb } from "@/lib/db";
import { isAdminRole } from "@/lib/orgs/roles";
import { listMembers } from "@/lib/orgs/members";

function day(v: string | undefined, endOfDay = false): Date | undefined {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return undefined;
  const d = new Date(`${v}T${endOfDay ? "23:59:59.999" : "00:00:00"}Z`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

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
  const [actions, members] = await Promise.all([listAuditActions(getDb(), ctx.org.id), listMembers(ctx)]);
  const action = first(sp.action);
  const actor = first(sp.actor);
  const from = first(sp.from);
  const to = first(sp.to);
  const { rows, total } = await listAuditEvents(getDb(), ctx.org.id, {
    page,
    perPage,
    action: action && actions.includes(action) ? action : undefined,
    actorUserId: actor || undefined,
    from: day(from),
    to: day(to, true),
  });
  return (
    <>
      <PageHeader title="Audit log" description="Every change to keys, members and settings: who, what, when and from where." />
      <AuditTable
        actions={actions}
        currentAction={action}
        actors={members.map((m) => ({ id: m.userId, label: m.email ?? m.name ?? m.userId }))}
        filters={{ actor, from, to }}
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
