import type { ReactNode } from "react";
import Link from "next/link";
import { BarChart3 } from "lucide-react";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { UsageChart } from "@/components/keys/usage-chart";
import { ANALYTICS_RANGES, type AnalyticsPageQuery, type AnalyticsRange, type KeyVolume, type OrgAnalytics } from "@/lib/analytics/verifications";
import { chartPoints } from "./chart-points";
import { ENV_LABELS, KEY_ENVIRONMENTS } from "@/lib/keys/key-names";

const RANGE_LABELS: Record<AnalyticsRange, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days", "90d": "90 days" };
const nf = new Intl.NumberFormat("en-US");
const pct = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(part && part < whole / 1000 ? 2 : 1)}%` : "—");

export function AnalyticsDashboard({
  base,
  query,
  data,
  keyOptions,
  customerOptions = [],
}: {
  base: string;
  query: AnalyticsPageQuery;
  data: OrgAnalytics;
  keyOptions: { id: string; name: string }[];
  /** The organization's customers (the filter is shown when it has any). */
  customerOptions?: { id: string; name: string }[];
}) {
  const href = (p: Partial<AnalyticsPageQuery>) => {
    const merged = { ...query, ...p };
    const q = new URLSearchParams();
    if (merged.range !== "7d") q.set("range", merged.range);
    if (merged.key) q.set("key", merged.key);
    if (merged.environment) q.set("environment", merged.environment);
    if (merged.customer) q.set("customer", merged.customer);
    const s = q.toString();
    return `${base}${s ? `?${s}` : ""}`;
  };
  const filtered = !!(query.key || query.environment || query.customer);
  const cleared = { key: undefined, environment: undefined, customer: undefined };
  const keyHref = (id: string) => `${base.replace(/\/analytics$/, "/api-keys")}/${id}`;
  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 lg:flex-row lg:items-end lg:justify-between">
        <nav aria-label="Period" className="inline-flex w-fit rounded-md border border-zinc-200 p-0.5 text-sm dark:border-zinc-800">
          {(Object.keys(ANALYTICS_RANGES) as AnalyticsRange[]).map((r) => (
            <Link
              key={r}
              href={href({ range: r })}
              aria-current={r === query.range ? "true" : undefined}
              className="rounded px-3 py-1 text-zinc-600 hover:bg-zinc-100 aria-[current]:bg-zinc-900 aria-[current]:text-white dark:text-zinc-300 dark:hover:bg-zinc-800 dark:aria-[current]:bg-zinc-100 dark:aria-[current]:text-zinc-900"
            >
              {r}
            </Link>
          ))}
        </nav>
        {/* Keyed by the URL's state: the selects are uncontrolled, and a client navigation keeps the DOM. */}
        <form key={`${query.range}|${query.key}|${query.environment}|${query.customer}`} method="get" action={base} className="flex flex-wrap items-end gap-2" aria-label="Filters">
          {query.range !== "7d" && <input type="hidden" name="range" value={query.range} />}
          <label className="text-sm">
            <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">Key</span>
            <select name="key" defaultValue={query.key ?? ""} className="h-9 w-52 max-w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
              <option value="">All keys</option>
              {keyOptions.map((k) => (
                <option key={k.id} value={k.id}>
                  {k.name}
                </option>
              ))}
            </select>
          </label>
          {customerOptions.length > 0 && (
            <label className="text-sm">
              <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">Customer</span>
              <select name="customer" defaultValue={query.customer ?? ""} className="h-9 w-44 max-w-full rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
                <option value="">All customers</option>
                {customerOptions.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="text-sm">
            <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">Environment</span>
            <select name="environment" defaultValue={query.environment ?? ""} className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
              <option value="">All environments</option>
              {KEY_ENVIRONMENTS.map((e) => (
                <option key={e} value={e}>
                  {ENV_LABELS[e]}
                </option>
              ))}
            </select>
          </label>
          <button className="h-9 rounded-md border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">Apply</button>
          {filtered && (
            <Link href={href(cleared)} className="h-9 px-2 text-sm leading-9 font-medium text-indigo-600 hover:underline dark:text-indigo-400">
              Clear
            </Link>
          )}
        </form>
      </div>

      {data.totals.total === 0 ? (
        <Card>
          <div className="flex flex-col items-center px-6 py-14 text-center">
            <BarChart3 className="mb-3 size-8 text-zinc-400" aria-hidden />
            <h2 className="text-base font-semibold text-zinc-900 dark:text-zinc-100">No verifications in the last {RANGE_LABELS[query.range]}</h2>
            <p className="mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
              {filtered
                ? "Nothing matches these filters in this period. Clear them or pick a longer period."
                : "When your services verify keys through POST /api/v1/keys/verify, their outcomes appear here within a few seconds."}
            </p>
            <div className="mt-4 flex gap-4 text-sm font-medium">
              {filtered ? (
                <Link href={href(cleared)} className="text-indigo-600 hover:underline dark:text-indigo-400">
                  Clear filters
                </Link>
              ) : (
                <Link href="/docs/api" className="text-indigo-600 hover:underline dark:text-indigo-400">
                  How to verify a key
                </Link>
              )}
            </div>
          </div>
        </Card>
      ) : (
        <>
          <dl className="grid grid-cols-3 gap-3">
            {[
              { label: "Verifications", value: nf.format(data.totals.total), sub: `last ${RANGE_LABELS[query.range]}` },
              { label: "Valid", value: nf.format(data.totals.valid), sub: pct(data.totals.valid, data.totals.total) },
              { label: "Denied", value: nf.format(data.totals.denied), sub: pct(data.totals.denied, data.totals.total) },
            ].map((s) => (
              <Card key={s.label} className="px-4 py-3">
                <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{s.label}</dt>
                <dd className="mt-1 text-lg font-semibold text-zinc-900 tabular-nums sm:text-2xl dark:text-zinc-50">{s.value}</dd>
                <dd className="text-xs text-zinc-500 dark:text-zinc-400">{s.sub}</dd>
              </Card>
            ))}
          </dl>
          <Card>
            <CardHeader title="Verifications over time" description={`Per ${data.bucket} (UTC), by outcome.`} />
            <div className="px-2 pt-4 text-zinc-500 sm:px-5 dark:text-zinc-400">
              <UsageChart points={chartPoints(data, query.range)} codes={data.outcomes} label={`Verifications per ${data.bucket} by outcome`} />
            </div>
          </Card>
          <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
            <KeyTable
              title="Top keys by volume"
              label="Top keys"
              rows={data.topKeys}
              keyHref={keyHref}
              columns={["Verifications", "Share"]}
              cells={(k) => [nf.format(k.total), pct(k.total, data.totals.total)]}
              empty="No key was verified."
            />
            <KeyTable
              title="Most denied keys"
              label="Most denied keys"
              rows={data.mostDenied}
              keyHref={keyHref}
              columns={["Denied", "Main failure"]}
              cells={(k) => [
                `${nf.format(k.denied)} (${pct(k.denied, k.total)})`,
                k.mainFailure ? (
                  <Badge key="f" tone={k.mainFailure === "RATE_LIMITED" ? "amber" : "red"}>
                    {k.mainFailure}
                  </Badge>
                ) : (
                  "—"
                ),
              ]}
              empty="No verification was denied."
            />
          </div>
          <Card>
            <CardHeader title="By environment" />
            <div className="overflow-x-auto">
              <table className="w-full text-sm" aria-label="Verifications by environment">
                <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
                  <tr className="border-b border-zinc-200 dark:border-zinc-800">
                    <th scope="col" className="px-5 py-2 font-medium">Environment</th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">Verifications</th>
                    <th scope="col" className="px-3 py-2 text-right font-medium">Denied</th>
                    <th scope="col" className="px-5 py-2 text-right font-medium whitespace-nowrap">Denial rate</th>
                  </tr>
                </thead>
                <tbody>
                  {data.environments.map((e) => (
                    <tr key={e.environment} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                      <td className="px-5 py-2">
                        <Link href={href({ environment: e.environment })} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
                          {ENV_LABELS[e.environment]}
                        </Link>
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">{nf.format(e.total)}</td>
                      <td className="px-3 py-2 text-right tabular-nums">{nf.format(e.denied)}</td>
                      <td className="px-5 py-2 text-right tabular-nums">{pct(e.denied, e.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}

function KeyTable({
  title,
  label,
  rows,
  keyHref,
  columns,
  cells,
  empty,
}: {
  title: string;
  label: string;
  rows: KeyVolume[];
  keyHref: (id: string) => string;
  columns: [string, string];
  cells: (k: KeyVolume) => ReactNode[];
  empty: string;
}) {
  return (
    <Card className="min-w-0">
      <CardHeader title={title} />
      {rows.length === 0 ? (
        <p className="px-5 py-6 text-sm text-zinc-500 dark:text-zinc-400">{empty}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" aria-label={label}>
            <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-5 py-2 font-medium">Key</th>
                <th scope="col" className="px-3 py-2 text-right font-medium">{columns[0]}</th>
                <th scope="col" className="px-5 py-2 text-right font-medium">{columns[1]}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((k) => {
                const [a, b] = cells(k);
                return (
                  <tr key={k.keyId} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                    <td className="max-w-48 truncate px-5 py-2">
                      {k.name ? (
                        <Link href={keyHref(k.keyId)} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
                          {k.name}
                        </Link>
                      ) : (
                        <span className="text-zinc-500 dark:text-zinc-400" title={k.keyId}>
                          Deleted key
                        </span>
                      )}
                    </td>
                    <td className="px-3 py-2 text-right whitespace-nowrap tabular-nums">{a}</td>
                    <td className="px-5 py-2 text-right whitespace-nowrap tabular-nums">{b}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
