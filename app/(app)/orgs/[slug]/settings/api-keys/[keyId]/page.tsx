import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { orgPageContext } from "@/app/_lib/org-page";
import { keyFormContext } from "@/app/_lib/key-form-context";
import { Card, CardHeader } from "@/components/ui/card";
import { KeyDetail } from "@/components/keys/key-detail";
import { AuditTable } from "@/components/audit/audit-table";
import { listAuditEvents } from "@/lib/audit/audit";
import { getDb } from "@/lib/db";
import { NotFoundError } from "@/lib/errors";
import { getKey } from "@/lib/keys/queries";
import { toKeyView } from "@/lib/keys/view";
import { absoluteTime } from "@/lib/format";

export const metadata = { title: "API key" };

export default async function KeyPage({ params }: { params: Promise<{ slug: string; keyId: string }> }) {
  const { slug, keyId } = await params;
  const ctx = await orgPageContext(slug);
  const row = await getKey(ctx, keyId).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const key = toKeyView(ctx.membership, row);
  const [form, trail] = await Promise.all([keyFormContext(ctx), listAuditEvents(getDb(), ctx.org.id, { page: 1, perPage: 50, targetId: key.id })]);
  return (
    <>
      <Link href={`/orgs/${ctx.org.slug}/settings/api-keys`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        <ChevronLeft className="size-4" aria-hidden /> API keys
      </Link>
      <KeyDetail keyView={key} form={form} members={form.members} />
      <Card className="mt-6">
        <CardHeader title="Usage" description="Verifications of this key appear here: requests per hour by outcome, and the request log." />
        <p className="px-5 py-6 text-sm text-zinc-600 dark:text-zinc-400">
          {key.lastUsedAt ? `Last used ${absoluteTime(key.lastUsedAt)} from ${key.lastUsedIp ?? "an unknown address"}.` : "This key has not been used yet."}
        </p>
      </Card>
      <h2 className="mt-8 mb-3 text-base font-semibold">Activity</h2>
      <AuditTable
        actions={[]}
        page={1}
        perPage={50}
        total={trail.total}
        hideFilters
        rows={trail.rows.map((r) => ({ id: r.id, createdAt: r.createdAt.toISOString(), actor: r.actorLabel, action: r.action, target: r.targetLabel ?? r.targetId, ip: r.ip, before: r.before, after: r.after }))}
      />
    </>
  );
}
