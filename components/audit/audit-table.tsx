import { PageLinks } from "@/components/ui/page-links";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";

type Row = {
  id: string;
  createdAt: string;
  actor: string;
  action: string;
  target: string;
  ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

function diff(before: Row["before"], after: Row["after"]) {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys
    .map((k) => ({ k, b: before?.[k], a: after?.[k] }))
    .filter(({ a, b }) => JSON.stringify(a) !== JSON.stringify(b));
}

const inputClass = "h-9 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900";

const show = (v: unknown) => (v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

export function AuditTable({
  rows,
  actions,
  currentAction,
  page,
  perPage,
  total,
  hideFilters,
  hideIp,
  actors = [],
  filters = {},
}: {
  rows: Row[];
  actions: string[];
  currentAction?: string;
  page: number;
  perPage: number;
  total: number;
  hideFilters?: boolean;
  /** Client addresses are for owners and admins (the domain removes them for other roles). */
  hideIp?: boolean;
  actors?: { id: string; label: string }[];
  filters?: { actorUserId?: string; from?: string; to?: string };
}) {
  const pages = Math.max(1, Math.ceil(total / perPage));
  const href = (p: number) => {
    const q = new URLSearchParams();
    if (currentAction) q.set("action", currentAction);
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    if (p > 1) q.set("page", String(p));
    if (perPage !== 25) q.set("perPage", String(perPage));
    return `?${q}`;
  };
  return (
    <Card>
      {!hideFilters && (
      <form className="flex flex-wrap items-end gap-3 border-b border-zinc-200 px-5 py-4 dark:border-zinc-800" method="get">
        <label className="text-sm">
          <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">Action</span>
          <select
            name="action"
            defaultValue={currentAction ?? ""}
            className={inputClass}
          >
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">Actor</span>
          <select name="actorUserId" defaultValue={filters.actorUserId ?? ""} className={inputClass}>
            <option value="">Anyone</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">From</span>
          <input type="date" name="from" defaultValue={filters.from ?? ""} className={inputClass} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block text-xs font-medium text-zinc-500 dark:text-zinc-400">To</span>
          <input type="date" name="to" defaultValue={filters.to ?? ""} className={inputClass} />
        </label>
        <button className="h-9 rounded-md border border-zinc-300 px-3 text-sm font-medium hover:bg-zinc-50 dark:border-zinc-700 dark:hover:bg-zinc-800">
          Filter
        </button>
      </form>
      )}
      {rows.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-zinc-500 dark:text-zinc-400">No events match.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-zinc-500 uppercase dark:text-zinc-400">
              <tr className="border-b border-zinc-200 dark:border-zinc-800">
                <th scope="col" className="px-5 py-2.5 font-medium">Time</th>
                <th scope="col" className="px-5 py-2.5 font-medium">Actor</th>
                <th scope="col" className="px-5 py-2.5 font-medium">Action</th>
                <th scope="col" className="px-5 py-2.5 font-medium">Target</th>
                {!hideIp && <th scope="col" className="px-5 py-2.5 font-medium">IP</th>}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const changes = diff(r.before, r.after);
                return (
                  <tr key={r.id} className="border-b border-zinc-100 align-top last:border-0 dark:border-zinc-800/60">
                    <td className="px-5 py-3 whitespace-nowrap text-zinc-500 dark:text-zinc-400">
                      <time dateTime={r.createdAt}>{new Date(r.createdAt).toISOString().replace("T", " ").slice(0, 19)} UTC</time>
                    </td>
                    <td className="px-5 py-3">{r.actor}</td>
                    <td className="px-5 py-3">
                      <Badge tone="indigo">{r.action}</Badge>
                      {changes.length > 0 && (
                        <details className="mt-2 text-xs">
                          <summary className="cursor-pointer text-zinc-500 dark:text-zinc-400">Changes</summary>
                          <dl className="mt-1 space-y-0.5 font-mono">
                            {changes.map(({ k, b, a }) => (
                              <div key={k}>
                                <dt className="inline text-zinc-500 dark:text-zinc-400">{k}: </dt>
                                <dd className="inline">
                                  <span className="text-red-600 line-through dark:text-red-400">{show(b)}</span> →{" "}
                                  <span className="text-emerald-700 dark:text-emerald-400">{show(a)}</span>
                                </dd>
                              </div>
                            ))}
                          </dl>
                        </details>
                      )}
                    </td>
                    <td className="px-5 py-3">{r.target}</td>
                    {!hideIp && <td className="px-5 py-3 font-mono text-xs text-zinc-500 dark:text-zinc-400">{r.ip ?? "—"}</td>}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <PageLinks
        summary={`${total} event${total === 1 ? "" : "s"} · page ${page} of ${pages}`}
        prevHref={page > 1 ? href(page - 1) : null}
        nextHref={page < pages ? href(page + 1) : null}
      />
    </Card>
  );
}
