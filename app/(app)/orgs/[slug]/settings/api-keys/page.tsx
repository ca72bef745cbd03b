import { orgPageContext } from "@/app/_lib/org-page";
import { keyFormContext } from "@/app/_lib/key-form-context";
import { parsePageQuery, type RawSearchParams } from "@/lib/ops/operation";
import { PageHeader } from "@/components/ui/card";
import { KeysTable } from "@/components/keys/keys-table";
import { CreateKeyDialog } from "@/components/keys/create-key-dialog";
import { listKeysOp } from "@/lib/keys/operations";
import { toKeyView } from "@/lib/keys/view";
import { usageLast24h } from "@/lib/verify/usage-queries";
import { getCustomer } from "@/lib/customers/customers";
import { customerLabel } from "@/lib/customers/names";
import { NotFoundError } from "@/lib/errors";

export const metadata = { title: "API keys" };

export default async function ApiKeysPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<RawSearchParams> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  const raw = await searchParams;
  const query = parsePageQuery(listKeysOp.input.query, raw);
  const [{ rows, total }, form, filterCustomer] = await Promise.all([
    listKeysOp.handler(ctx, { query, params: {}, body: {} }),
    keyFormContext(ctx),
    // A customer id in the URL that is not this organization's filters to nothing, named nowhere.
    query.customer ? getCustomer(ctx, query.customer).catch((e: unknown) => (e instanceof NotFoundError ? null : Promise.reject(e))) : null,
  ]);
  const usage = await usageLast24h(rows.map((r) => r.id));
  const canCreate = ctx.membership.role !== "viewer";
  const create = canCreate ? <CreateKeyDialog orgs={[{ slug: ctx.org.slug, name: ctx.org.name, form }]} /> : null;
  return (
    <>
      <PageHeader title="API keys" description={`Keys that let services and scripts act for ${ctx.org.name}.`} actions={create} />
      <KeysTable
        rows={rows.map((r) => ({ ...toKeyView(ctx.membership, r), usage24h: usage.get(r.id) ?? 0 }))}
        total={total}
        state={query}
        owners={form.members}
        customers={{ orgSlug: ctx.org.slug, initial: form.customers, selected: filterCustomer && { id: filterCustomer.id, label: customerLabel(filterCustomer) } }}
        emptyAction={create}
        userId={ctx.membership.userId}
      />
    </>
  );
}
