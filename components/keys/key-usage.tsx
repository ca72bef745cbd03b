import Link from "next/link";
import { Card, CardHeader } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { PageLinks } from "@/components/ui/page-links";
import { absoluteTime } from "@/lib/format";
import type { KeyRequestLogRow } from "@/lib/db";
import { VERIFY_CODES } from "@/lib/verify/codes";
import { ANALYTICS_RANGE_NAMES, type AnalyticsRange, type UsageSeries } from "@/lib/analytics/verifications";
import { chartPoints } from "@/components/analytics/chart-points";
import { UsageChart } from "./usage-chart";

/** How far back each range of the key page reaches (the chart's buckets come with its series). */
export const USAGE_RANGE_HOURS: Record<AnalyticsRange, number> = { "24h": 24, "7d": 24 * 7, "30d": 24 * 30, "90d": 24 * 90 };

type UsageQuery = { base: string; range: AnalyticsRange; code?: string; page: number };

/** A link to the key page with the usage range, outcome filter and log page (defaults left out). */
function usageHref({ base, range, code, page }: UsageQuery, patch: Partial<Omit<UsageQuery, "base">>, anchor: string) {
  const q = new URLSearchParams();
  const merged = { range, code, page, ...patch };
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== "" && !(k === "page" && v === 1) && !(k === "range" && v === "24h")) q.set(k, String(v));
  const s = q.toString();
  return `${base}${s ? `?${s}` : ""}#${anchor}`;
}

const PERIOD_LABELS: Record<AnalyticsRange, string> = { "24h": "24 hours", "7d": "7 days", "30d": "30 days", "90d": "90 days" };
const periodLabel = (range: AnalyticsRange) => PERIOD_LABELS[range];

/** Verifications by outcome over the chosen range: per hour up to 7 days, per day beyond. */
export function KeyUsage({ chart, ...query }: UsageQuery & { chart: UsageSeries }) {
  const { range } = query;
  const total = chart.series.reduce((n, b) => n + Object.values(b.counts).reduce((m, c) => m + c, 0), 0);
  return (
    <Card>
      <CardHeader
        title="Verifications"
        description={`${total} verification${total === 1 ? "" : "s"} in the last ${periodLabel(range)}, by outcome.`}
        actions={
          <nav aria-label="Usage range" className="flex gap-1 text-sm">
            {ANALYTICS_RANGE_NAMES.map((r) => (
              <Link key={r} href={usageHref(query, { range: r, page: 1 }, "usage")} aria-current={r === range ? "true" : undefined} className="rounded-md px-2 py-1 aria-[current]:bg-zinc-200/70 hover:bg-zinc-100 dark:aria-[current]:bg-zinc-800 dark:hover:bg-zinc-800">
                {r}
              </Link>
            ))}
          </nav>
        }
      />
      <div className="px-5 pt-4 text-zinc-500 dark:text-zinc-400">{total ? <UsageChart points={chartPoints(chart, range)} codes={chart.outcomes} label={`Verifications per ${chart.bucket} by outcome`} /> : <p className="pb-4 text-sm">No verifications in this period.</p>}</div>
    </Card>
  );
}

/** The key's recent requests (same range as the chart), filterable by outcome, 25 a page. */
export function KeyRequestLog({ log, perPage, ...query }: UsageQuery & { log: { rows: KeyRequestLogRow[]; total: number }; perPage: number }) {
  const { base, range, code, page } = query;
  const pages = Math.max(1, Math.ceil(log.total / perPage));
  return (
    <Card id="request-log" className="scroll-mt-28">
      <CardHeader title="Request log" description={`Verifications of this key in the last ${periodLabel(range)}, newest first.`} />
      <form method="get" action={`${base}#request-log`} className="flex flex-wrap items-end gap-3 px-5 py-3">
        <input type="hidden" name="range" value={range} />
        <label className="text-sm">
          <span className="mb-1 block text-xs font-medium text-zinc-600 dark:text-zinc-400">Outcome</span>
          <select name="code" defaultValue={code ?? ""} className="h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900">
            <option value="">All outcomes</option>
            {VERIFY_CODES.filter((c) => c !== "MALFORMED" && c !== "NOT_FOUND").map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <button className="h-9 rounded-md border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">Filter</button>
      </form>
      {log.rows.length === 0 ? (
        <p className="border-t border-zinc-200 px-5 py-6 text-sm text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">No requests recorded{code ? ` with ${code}` : ""} in this period.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm" aria-label="Request log">
            <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
              <tr className="border-y border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-5 py-2 font-medium">Time</th>
                <th scope="col" className="px-3 py-2 font-medium">Outcome</th>
                <th scope="col" className="px-3 py-2 font-medium">Client</th>
                <th scope="col" className="px-3 py-2 font-medium">Request</th>
              </tr>
            </thead>
            <tbody>
              {log.rows.map((r) => (
                <tr key={r.id} className="border-b border-zinc-100 last:border-0 dark:border-zinc-800/60">
                  <td className="px-5 py-2 whitespace-nowrap text-zinc-500 dark:text-zinc-400">{absoluteTime(r.at.toISOString())}</td>
                  <td className="px-3 py-2">
                    <Badge tone={r.code === "VALID" ? "green" : r.code === "RATE_LIMITED" ? "amber" : "red"}>{r.code}</Badge>
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{r.ip ?? "—"}</td>
                  <td className="px-3 py-2 font-mono text-xs break-all">{r.method || r.path ? `${r.method ?? ""} ${r.path ?? ""}` : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks
        label="Request log pages"
        summary={`${log.total} request${log.total === 1 ? "" : "s"} · page ${page} of ${pages}`}
        prevHref={page > 1 ? usageHref(query, { page: page - 1 }, "request-log") : null}
        nextHref={page < pages ? usageHref(query, { page: page + 1 }, "request-log") : null}
      />
    </Card>
  );
}
