import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { orgPageContext } from "@/app/_lib/org-page";
import { keyFormContext } from "@/app/_lib/key-form-context";
import { KeyDetail } from "@/components/keys/key-detail";
import { AuditTrail } from "@/components/audit/audit-trail";
import { listAuditTrail } from "@/lib/audit/audit";
import { NotFoundError } from "@/lib/errors";
import { getKey } from "@/lib/keys/queries";
import { keyPageQuerySchema } from "@/lib/keys/operations";
import { isId } from "@/lib/primitives";
import { parsePageQuery, type RawSearchParams } from "@/lib/ops/operation";
import { toKeyView } from "@/lib/keys/view";
import { KeyRequestLog, KeyUsage, USAGE_RANGE_HOURS } from "@/components/keys/key-usage";
import { listRequestLog } from "@/lib/verify/usage-queries";
import { keyUsageSeries } from "@/lib/analytics/verifications";
import { keyPermissionUsage } from "@/lib/keys/permission-usage";
import { PermissionUsage } from "@/components/keys/permission-usage";

export const metadata = { title: "API key" };

export default async function KeyPage({ params, searchParams }: { params: Promise<{ slug: string; keyId: string }>; searchParams: Promise<RawSearchParams> }) {
  const { slug, keyId } = await params;
  const sp = await searchParams;
  const ctx = await orgPageContext(slug);
  if (!isId("key", keyId)) notFound();
  const row = await getKey(ctx, keyId).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const key = toKeyView(ctx.membership, row);
  const { range, code, page } = parsePageQuery(keyPageQuerySchema, sp);
  const now = new Date();
  const since = new Date(now.getTime() - USAGE_RANGE_HOURS[range] * 3600_000);
  const [form, trail, chart, log, permissionUsage] = await Promise.all([
    keyFormContext(ctx),
    listAuditTrail(ctx, key.id),
    keyUsageSeries(ctx, key.id, range, now),
    listRequestLog(key.id, { page, perPage: 25, code, since }),
    keyPermissionUsage(ctx, key.id, now),
  ]);
  const base = `/orgs/${ctx.org.slug}/settings/api-keys/${key.id}`;
  return (
    <>
      <Link href={`/orgs/${ctx.org.slug}/settings/api-keys`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        <ChevronLeft className="size-4" aria-hidden /> API keys
      </Link>
      <KeyDetail
        keyView={key}
        form={form}
        members={form.members}
        usage={
          <>
            <KeyUsage base={base} range={range} code={code} page={page} chart={chart} />
            <PermissionUsage orgSlug={ctx.org.slug} keyId={key.id} keyName={key.name} usage={permissionUsage} canManage={key.canManage} />
          </>
        }
        activity={
          <>
            <KeyRequestLog base={base} range={range} code={code} page={page} log={log} perPage={25} />
            <AuditTrail trail={trail} title="Audit trail" className="mt-2" />
          </>
        }
      />
    </>
  );
}
