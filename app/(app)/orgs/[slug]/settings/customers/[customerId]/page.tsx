import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { orgPageContext } from "@/app/_lib/org-page";
import { Card, PageHeader } from "@/components/ui/card";
import { AuditTrail } from "@/components/audit/audit-trail";
import { EditCustomerForm } from "@/components/customers/customer-form";
import { KeyStatusBadge } from "@/components/keys/key-badges";
import { listAuditTrail } from "@/lib/audit/audit";
import { getCustomer } from "@/lib/customers/customers";
import { NotFoundError } from "@/lib/errors";
import { keyListQuerySchema, listKeys } from "@/lib/keys/queries";
import { toKeyView } from "@/lib/keys/view";
import { isAdminRole } from "@/lib/orgs/roles";
import { isId } from "@/lib/primitives";
import { creditsOf } from "@/lib/credits/credits";
import { describeLimit } from "@/lib/limits/named-limits";
import { customerUsage } from "@/lib/analytics/verifications";
import { CustomerUsage } from "@/components/customers/customer-usage";

export const metadata = { title: "Customer" };

export default async function CustomerPage({ params }: { params: Promise<{ slug: string; customerId: string }> }) {
  const { slug, customerId } = await params;
  const ctx = await orgPageContext(slug);
  if (!isId("cus", customerId)) notFound();
  const customer = await getCustomer(ctx, customerId).catch((e) => {
    if (e instanceof NotFoundError) notFound();
    throw e;
  });
  const [keys, trail, usage] = await Promise.all([
    listKeys(ctx, keyListQuerySchema.parse({ customer: customer.id, perPage: 100, sort: "name", dir: "asc" })),
    listAuditTrail(ctx, customer.id),
    customerUsage(ctx, customer.id),
  ]);
  const base = `/orgs/${ctx.org.slug}/settings`;
  const credits = creditsOf(customer);
  const low = credits && credits.lowThreshold !== null && credits.remaining < credits.lowThreshold;
  return (
    <>
      <Link href={`${base}/customers`} className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
        <ChevronLeft className="size-4" aria-hidden /> Customers
      </Link>
      <PageHeader title={customer.name} description={`External ID ${customer.externalId} · ${customer.id}`} />
      {credits && (
        <p className="mb-4 text-sm text-zinc-700 dark:text-zinc-300">
          <span className="font-medium tabular-nums">{credits.remaining.toLocaleString()}</span> credits left, shared by the customer&apos;s keys
          {credits.refill ? `; refilled to ${credits.refill.amount.toLocaleString()} ${credits.refill.interval === "daily" ? "every day" : `on day ${credits.refill.refillDay ?? 1} of each month`}` : ""}.
          {low && <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-950 dark:text-amber-200">Low on credits</span>}
        </p>
      )}
      {customer.ratelimits.length > 0 && (
        <p className="mb-4 text-sm text-zinc-700 dark:text-zinc-300" data-testid="customer-limits">
          Rate limits shared by the customer&apos;s keys:{" "}
          {customer.ratelimits.map((l, i) => (
            <span key={l.name}>
              {i > 0 && ", "}
              <code className="font-mono text-xs">{l.name}</code> {describeLimit(l)}
            </span>
          ))}
          .
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card className="p-5">
          <h2 className="mb-3 text-base font-semibold">Keys ({keys.total})</h2>
          {keys.rows.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">No keys are scoped to this customer. Choose it as the customer when creating or editing a key.</p>
          ) : (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800">
              {keys.rows.map((row) => {
                const k = toKeyView(ctx.membership, row);
                return (
                  <li key={k.id} className="flex items-center justify-between gap-3 py-2 text-sm">
                    <span className="min-w-0">
                      <Link href={`${base}/api-keys/${k.id}`} className="font-medium hover:underline">
                        {k.name}
                      </Link>
                      <code className="ml-2 font-mono text-xs text-zinc-500 dark:text-zinc-400">
                        {k.prefix}…{k.last4}
                      </code>
                    </span>
                    <KeyStatusBadge status={k.status} />
                  </li>
                );
              })}
            </ul>
          )}
        </Card>
        <Card className="p-5">
          <h2 className="mb-3 text-base font-semibold">Details</h2>
          {isAdminRole(ctx.membership.role) ? (
            <EditCustomerForm slug={ctx.org.slug} customer={{ id: customer.id, name: customer.name, externalId: customer.externalId, metadata: customer.metadata, credits: credits, ratelimits: customer.ratelimits }} keyCount={customer.keyCount} />
          ) : (
            <dl className="space-y-2 text-sm">
              <div>
                <dt className="text-zinc-500 dark:text-zinc-400">External ID</dt>
                <dd className="font-mono">{customer.externalId}</dd>
              </div>
              <div>
                <dt className="text-zinc-500 dark:text-zinc-400">Metadata</dt>
                <dd className="font-mono text-xs break-all">{JSON.stringify(customer.metadata)}</dd>
              </div>
            </dl>
          )}
        </Card>
      </div>
      <CustomerUsage usage={usage} analyticsHref={`${base}/analytics?range=30d&customer=${customer.id}`} keyHref={(id) => `${base}/api-keys/${id}`} />
      <AuditTrail trail={trail} />
    </>
  );
}
