import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { UsageChart } from "@/components/keys/usage-chart";
import type { CustomerUsage as CustomerUsageData } from "@/lib/analytics/verifications";

const nf = new Intl.NumberFormat("en-US");

/** A customer's verifications (from the usage rollups): the last 24 hours and 30 days, per day by outcome, and its busiest keys. */
export function CustomerUsage({ usage, analyticsHref, keyHref }: { usage: CustomerUsageData; analyticsHref: string; keyHref: (id: string) => string }) {
  const month = usage.last30d;
  const stats = [
    { label: "Last 24 hours", total: usage.last24h.total, denied: usage.last24h.denied },
    { label: "Last 30 days", total: month.totals.total, denied: month.totals.denied },
  ];
  return (
    <Card className="mt-6" aria-label="Customer usage">
      <CardHeader
        title="Usage"
        description="Verifications of this customer's keys (counted for the customer a key had when it was verified). Days are UTC."
        actions={
          <Link href={analyticsHref} className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            Open in analytics
          </Link>
        }
      />
      <div className="space-y-4 px-5 py-4">
        <dl className="grid grid-cols-2 gap-3">
          {stats.map((s) => (
            <div key={s.label} className="rounded-md border border-zinc-200 px-4 py-3 dark:border-zinc-800">
              <dt className="text-xs font-medium text-zinc-500 dark:text-zinc-400">{s.label}</dt>
              <dd className="mt-1 text-lg font-semibold text-zinc-900 tabular-nums dark:text-zinc-50">{nf.format(s.total)}</dd>
              <dd className="text-xs text-zinc-500 dark:text-zinc-400">{nf.format(s.denied)} denied</dd>
            </div>
          ))}
        </dl>
        {month.totals.total === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No verifications of this customer&apos;s keys in the last 30 days.</p>
        ) : (
          <>
            <div className="text-zinc-500 dark:text-zinc-400">
              <UsageChart points={month.series.map(({ time, counts }) => ({ label: time.slice(5, 10), ...counts }))} codes={month.outcomes} label="Verifications per day by outcome, last 30 days" />
            </div>
            <div>
              <h3 className="mb-2 text-sm font-semibold">Busiest keys, last 30 days</h3>
              <ul className="divide-y divide-zinc-100 text-sm dark:divide-zinc-800" aria-label="Busiest keys">
                {month.topKeys.map((k) => (
                  <li key={k.keyId} className="flex items-center justify-between gap-3 py-1.5">
                    {k.name ? (
                      <Link href={keyHref(k.keyId)} className="min-w-0 truncate font-medium hover:underline">
                        {k.name}
                      </Link>
                    ) : (
                      <span className="min-w-0 truncate text-zinc-500 dark:text-zinc-400">Deleted key</span>
                    )}
                    <span className="tabular-nums">
                      {nf.format(k.total)}
                      {k.denied > 0 && <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">{nf.format(k.denied)} denied</span>}
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          </>
        )}
      </div>
    </Card>
  );
}
