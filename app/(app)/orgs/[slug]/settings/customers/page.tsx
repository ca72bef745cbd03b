import Link from "next/link";
import { Search, Users } from "lucide-react";
import { orgPageContext } from "@/app/_lib/org-page";
import { Card, PageHeader } from "@/components/ui/card";
import { PageLinks } from "@/components/ui/page-links";
import { CreateCustomerDialog } from "@/components/customers/customer-form";
import { listCustomersOp } from "@/lib/customers/operations";
import { parsePageQuery, type RawSearchParams } from "@/lib/ops/operation";
import { isAdminRole } from "@/lib/orgs/roles";
import { creditsOf } from "@/lib/credits/credits";
import { CreditsLine } from "@/components/credits/credits-line";

export const metadata = { title: "Customers" };

export default async function CustomersPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<RawSearchParams> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  const query = parsePageQuery(listCustomersOp.input.query, await searchParams);
  const { rows, total } = await listCustomersOp.handler(ctx, { query, params: {}, body: {} });
  const base = `/orgs/${ctx.org.slug}/settings/customers`;
  const href = (page: number) => {
    const q = new URLSearchParams();
    if (query.q) q.set("q", query.q);
    if (page > 1) q.set("page", String(page));
    if (query.perPage !== 25) q.set("perPage", String(query.perPage));
    return `${base}${q.size ? `?${q}` : ""}`;
  };
  const pages = Math.max(1, Math.ceil(total / query.perPage));
  const create = isAdminRole(ctx.membership.role) ? <CreateCustomerDialog slug={ctx.org.slug} /> : null;
  return (
    <>
      <PageHeader title="Customers" description="Your own customers. Scope keys to a customer and every verification answer names it." actions={create} />
      <Card>
        <form method="get" className="flex gap-2 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800" role="search">
          <label className="relative flex-1">
            <span className="sr-only">Search customers</span>
            <Search className="pointer-events-none absolute top-2.5 left-3 size-4 text-zinc-500 dark:text-zinc-400" aria-hidden />
            <input
              name="q"
              defaultValue={query.q}
              placeholder="Search by name, external ID or id…"
              className="block w-full rounded-md border border-zinc-300 bg-white py-2 pr-3 pl-9 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
          </label>
        </form>
        {rows.length === 0 ? (
          <div className="px-5 py-12 text-center text-sm text-zinc-600 dark:text-zinc-400">
            <Users className="mx-auto mb-3 size-8 text-zinc-500 dark:text-zinc-400" aria-hidden />
            {query.q ? "No customers match this search." : "No customers yet. Add one, then scope keys to it from the key form."}
          </div>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
                <tr className="border-b border-zinc-200 dark:border-zinc-800">
                  <th scope="col" className="px-5 py-2.5 font-medium">Name</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">External ID</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Keys</th>
                  <th scope="col" className="px-3 py-2.5 font-medium">Credits</th>
                  <th scope="col" className="px-5 py-2.5 font-medium">Created</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((c) => (
                  <tr key={c.id} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                    <td className="px-5 py-3">
                      <Link href={`${base}/${c.id}`} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
                        {c.name}
                      </Link>
                      <p className="font-mono text-xs text-zinc-500 dark:text-zinc-400">{c.id}</p>
                    </td>
                    <td className="px-3 py-3 font-mono text-xs">{c.externalId}</td>
                    <td className="px-3 py-3 tabular-nums">{c.keyCount}</td>
                    <td className="px-3 py-3 whitespace-nowrap">
                      <CreditsCell customer={c} />
                    </td>
                    <td className="px-5 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                      <time dateTime={c.createdAt.toISOString()}>{c.createdAt.toISOString().slice(0, 10)}</time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <PageLinks
          summary={`${total.toLocaleString()} ${total === 1 ? "customer" : "customers"} · page ${query.page} of ${pages}`}
          prevHref={query.page > 1 ? href(query.page - 1) : null}
          nextHref={query.page < pages ? href(query.page + 1) : null}
        />
      </Card>
    </>
  );
}

function CreditsCell({ customer }: { customer: Parameters<typeof creditsOf>[0] }) {
  const credits = creditsOf(customer);
  return credits ? <CreditsLine credits={credits} className="text-sm" /> : <span className="text-zinc-500 dark:text-zinc-400">—</span>;
}
