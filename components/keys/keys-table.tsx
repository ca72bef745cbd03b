"use client";
import * as React from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Check, Columns3, KeyRound, Search, X } from "lucide-react";
import { DropdownMenu as M } from "radix-ui";
import { useTable, type ColumnVisibilityState, type RowSelectionState } from "@tanstack/react-table";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DataTable } from "@/components/ui/data-table";
import { Input, Select } from "@/components/ui/field";
import { cn } from "@/components/ui/cn";
import { ENV_LABELS, KEY_ENVIRONMENTS } from "@/lib/keys/key-names";
import type { KeyView } from "@/lib/keys/view";
import { PER_PAGE_OPTIONS } from "@/lib/pagination";
import { useStoredState } from "@/components/ui/use-stored-state";
import { getKeyColumns, KEY_COLUMN_LABELS, type HideableKeyColumn, type SortKey } from "./key-columns";
import { keyTableFeatures } from "./key-table-features";
import { useKeyActions } from "./key-actions";
import { CustomerPicker, type CustomerOption } from "@/components/customers/customer-picker";


export type KeyTableState = {
  q: string;
  status?: string;
  environment?: string;
  type?: string;
  owner?: string;
  customer?: string;
  org?: string;
  sort: SortKey;
  dir: "asc" | "desc";
  page: number;
  perPage: number;
};

const DEFAULTS: Record<string, string> = { sort: "createdAt", dir: "desc", page: "1", perPage: "25", q: "" };
const STATUS_OPTIONS = [
  ["", "Any status"],
  ["active", "Active"],
  ["suspended", "Suspended"],
  ["revoked", "Revoked"],
  ["expired", "Expired"],
  ["expiring", "Expires within 7 days"],
  ["owner_inactive", "Owner inactive"],
] as const;

/**
 * Columns shown until a person picks their own: what fits a 1366 px laptop without scrolling
 * sideways. The account view lists only the caller's own keys, so its Owner column says nothing new.
 */
const DEFAULT_HIDDEN: Record<"org" | "account", HideableKeyColumn[]> = {
  org: ["createdAt"],
  account: ["owner", "createdAt"],
};

function parseVisibility(raw: unknown): ColumnVisibilityState | null {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return null;
  const out: ColumnVisibilityState = {};
  for (const [id, shown] of Object.entries(raw)) if (id in KEY_COLUMN_LABELS && typeof shown === "boolean") out[id] = shown;
  return out;
}

/** The Columns menu: one checkbox per column a person can hide, and a way back to the default. */
function ColumnsMenu({ columns, onReset }: { columns: { id: string; visible: boolean; toggle: (v: boolean) => void }[]; onReset: () => void }) {
  const item = "flex cursor-default items-center gap-2 rounded-md py-1.5 pr-2 pl-7 text-sm outline-none relative data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";
  return (
    // Not modal: the table stays readable (and in the accessibility tree) while columns change.
    <M.Root modal={false}>
      <M.Trigger asChild>
        <Button variant="secondary" size="sm" className="h-9">
          <Columns3 className="size-4" aria-hidden /> Columns
        </Button>
      </M.Trigger>
      <M.Portal>
        <M.Content align="end" sideOffset={4} className="z-50 w-52 rounded-lg border border-zinc-200 bg-white p-1 text-zinc-900 shadow-lg dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-100">
          <M.Label className="px-2 py-1.5 text-xs font-medium text-zinc-600 dark:text-zinc-400">Show columns</M.Label>
          {columns.map((c) => (
            <M.CheckboxItem
              key={c.id}
              className={item}
              checked={c.visible}
              // Stay open: people usually change more than one column.
              onSelect={(e) => e.preventDefault()}
              onCheckedChange={(v) => c.toggle(v === true)}
            >
              <M.ItemIndicator className="absolute left-2 inline-flex">
                <Check className="size-4" aria-hidden />
              </M.ItemIndicator>
              {KEY_COLUMN_LABELS[c.id as HideableKeyColumn]}
            </M.CheckboxItem>
          ))}
          <M.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <M.Item className={item} onSelect={onReset}>
            Reset to default
          </M.Item>
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}

/** Reads and writes the table's state in the URL, so a view can be shared and survives reload. */
function useUrlState() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const [navigating, startTransition] = React.useTransition();
  // Changes made before the previous navigation lands build on it, not on the stale URL.
  const intended = React.useRef<string | null>(null);
  React.useEffect(() => {
    intended.current = null;
  }, [params]);
  const set = React.useCallback(
    (patch: Record<string, string | number | undefined>, resetPage = true) => {
      const next = new URLSearchParams(intended.current ?? params.toString());
      for (const [k, v] of Object.entries({ ...(resetPage ? { page: undefined } : {}), ...patch })) {
        const s = v === undefined ? "" : String(v);
        if (s === "" || DEFAULTS[k] === s) next.delete(k);
        else next.set(k, s);
      }
      const qs = next.toString();
      intended.current = qs;
      startTransition(() => router.replace(qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
    },
    [params, pathname, router],
  );
  /** The state as it will be once pending navigations land (what a quick second click builds on). */
  const current = React.useCallback((key: string) => new URLSearchParams(intended.current ?? params.toString()).get(key) ?? DEFAULTS[key], [params]);
  return { set, current, navigating };
}

export function KeysTable({
  rows,
  total,
  state,
  owners,
  customers,
  orgs,
  emptyAction,
  userId,
}: {
  rows: KeyView[];
  total: number;
  state: KeyTableState;
  /** Owner filter options (the organization view). */
  owners?: { id: string; label: string }[];
  /** The customer filter (the organization view, when it has customers): its first options and the chosen one. */
  customers?: { orgSlug: string; initial: { options: CustomerOption[]; total: number }; selected: CustomerOption | null };
  /** Organization filter options and column (the account view). */
  orgs?: { slug: string; name: string }[];
  emptyAction: React.ReactNode;
  /** The signed-in user: their column choice is remembered apart from other accounts on this browser. */
  userId: string;
}) {
  const { set, current, navigating } = useUrlState();
  const [search, setSearch] = React.useState(state.q);
  const [selection, setSelection] = React.useState<RowSelectionState>({});
  const [now] = React.useState(() => Date.now());
  const actions = useKeyActions({ onDone: () => setSelection({}) });
  const { request, roll, reveal, setActive } = actions;
  const view = orgs ? "account" : "org";
  const defaultVisibility = React.useMemo(() => Object.fromEntries(DEFAULT_HIDDEN[view].map((id) => [id, false])), [view]);
  const [columnVisibility, setColumnVisibility] = useStoredState<ColumnVisibilityState>(`latchkey:key-columns:${userId}:${view}`, defaultVisibility, parseVisibility);

  // Debounced search: the URL (and so the server query) follows the input.
  React.useEffect(() => {
    if (search === state.q) return;
    const t = setTimeout(() => set({ q: search }), 300);
    return () => clearTimeout(t);
  }, [search, state.q, set]);

  // eslint-disable-next-line react-hooks/set-state-in-effect -- a new page of rows clears the selection
  React.useEffect(() => setSelection({}), [rows]);

  const columns = React.useMemo(
    () =>
      getKeyColumns({
        showOrg: Boolean(orgs),
        now,
        sort: { key: state.sort, dir: state.dir },
        // From the intended URL, not the rendered props: two quick clicks sort descending, then ascending.
        onSort: (key) => set({ sort: key, dir: current("sort") === key && current("dir") === "desc" ? "asc" : "desc" }),
        onAction: (action, k) => request(action, [k]),
        onRoll: (k) => roll({ id: k.id, name: k.name, expired: k.status === "expired", orgSlug: k.orgSlug, defaultGrace: k.orgDefaultGrace }),
        onReveal: (k) => reveal(k),
        onSetActive: (k, active) => setActive(k, active),
      }),
    [orgs, now, state.sort, state.dir, set, current, request, roll, reveal, setActive],
  );

  const table = useTable({
    features: keyTableFeatures,
    columns,
    data: rows,
    getRowId: (r) => r.id,
    enableRowSelection: (row) => row.original.canDelete,
    state: { rowSelection: selection, columnVisibility },
    onRowSelectionChange: setSelection,
    onColumnVisibilityChange: (updater) => setColumnVisibility(typeof updater === "function" ? updater(columnVisibility) : updater),
  });

  const selected = rows.filter((r) => selection[r.id]);
  const filtered = Boolean(state.q || state.status || state.environment || state.type || state.owner || state.org);
  const pages = Math.max(1, Math.ceil(total / state.perPage));
  const from = total === 0 ? 0 : (state.page - 1) * state.perPage + 1;
  const to = Math.min(total, state.page * state.perPage);

  if (total === 0 && !filtered) {
    return (
      <Card className="px-6 py-14 text-center">
        <KeyRound className="mx-auto size-10 text-zinc-300 dark:text-zinc-600" aria-hidden />
        <h2 className="mt-4 text-base font-semibold">No API keys yet</h2>
        <p className="mx-auto mt-2 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
          API keys let your services and scripts call your APIs as a member of this organization, limited to the permissions, environment, addresses and rate you choose. A secret key is shown once, when you create it.
        </p>
        <div className="mt-6 flex justify-center">{emptyAction}</div>
      </Card>
    );
  }

  return (
    <Card>
      <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
        <div className="relative min-w-[14rem] flex-1">
          <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-zinc-500 dark:text-zinc-400" aria-hidden />
          <Input aria-label="Search keys" placeholder="Search by name, key ID or key ending…" value={search} onChange={(e) => setSearch(e.target.value)} className="pl-8" />
        </div>
        <Select aria-label="Filter by status" value={state.status ?? ""} onChange={(e) => set({ status: e.target.value })} className="w-auto">
          {STATUS_OPTIONS.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </Select>
        <Select aria-label="Filter by environment" value={state.environment ?? ""} onChange={(e) => set({ environment: e.target.value })} className="w-auto">
          <option value="">Any environment</option>
          {KEY_ENVIRONMENTS.map((e) => (
            <option key={e} value={e}>
              {ENV_LABELS[e]}
            </option>
          ))}
        </Select>
        <Select aria-label="Filter by type" value={state.type ?? ""} onChange={(e) => set({ type: e.target.value })} className="w-auto">
          <option value="">Any type</option>
          <option value="secret">Secret</option>
          <option value="public">Public</option>
        </Select>
        {owners && (
          <Select aria-label="Filter by owner" value={state.owner ?? ""} onChange={(e) => set({ owner: e.target.value })} className="w-auto max-w-[12rem]">
            <option value="">Any owner</option>
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </Select>
        )}
        {customers && (customers.initial.total > 0 || customers.selected) && (
          // Remounted when the URL's customer changes (a reset, back/forward): it starts from the page's choice.
          <CustomerFilter key={state.customer ?? ""} filter={customers} onChange={(id) => set({ customer: id })} />
        )}
        {orgs && (
          <Select aria-label="Filter by organization" value={state.org ?? ""} onChange={(e) => set({ org: e.target.value })} className="w-auto max-w-[14rem]">
            <option value="">Any organization</option>
            {orgs.map((o) => (
              <option key={o.slug} value={o.slug}>
                {o.name}
              </option>
            ))}
          </Select>
        )}
        {filtered && (
          <Button
            variant="ghost"
            size="sm"
            onClick={() => {
              setSearch("");
              set({ q: "", status: undefined, environment: undefined, type: undefined, owner: undefined, customer: undefined, org: undefined });
            }}
          >
            <X className="size-4" aria-hidden /> Clear
          </Button>
        )}
        <div className="ml-auto">
          <ColumnsMenu
            columns={table
              .getAllLeafColumns()
              .filter((c) => c.getCanHide())
              .map((c) => ({ id: c.id, visible: c.getIsVisible(), toggle: (v) => c.toggleVisibility(v) }))}
            onReset={() => setColumnVisibility(defaultVisibility)}
          />
        </div>
      </div>
      {selected.length > 0 && (
        <div role="region" aria-label="Bulk actions" className="flex flex-wrap items-center gap-2 border-b border-indigo-200 bg-indigo-50 px-5 py-2 text-sm dark:border-indigo-900 dark:bg-indigo-950/50">
          <span className="font-medium">{selected.length} selected</span>
          <Button size="sm" variant="secondary" onClick={() => actions.request("suspend", selected)} disabled={!selected.every((k) => k.status === "active")}>
            Suspend
          </Button>
          <Button size="sm" variant="secondary" onClick={() => actions.request("revoke", selected)} disabled={selected.some((k) => k.status === "revoked")}>
            Revoke
          </Button>
          <Button size="sm" variant="danger" onClick={() => actions.request("delete", selected)}>
            Delete
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setSelection({})}>
            Clear selection
          </Button>
        </div>
      )}
      <div className={cn("transition-opacity", navigating && "opacity-60")} aria-busy={navigating}>
        {rows.length === 0 ? (
          <p className="px-5 py-12 text-center text-sm text-zinc-500 dark:text-zinc-400">No keys match these filters.</p>
        ) : (
          <DataTable table={table} selected={selection} rowTestId={(k) => `key-row-${k.name}`} />
        )}
      </div>
      <nav aria-label="Pagination" className="flex flex-wrap items-center justify-between gap-3 border-t border-zinc-200 px-5 py-3 text-sm dark:border-zinc-800">
        <span className="text-zinc-500 dark:text-zinc-400" data-testid="pagination-summary">
          {from}–{to} of {total}
        </span>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
          <label className="flex items-center gap-2 text-zinc-500 dark:text-zinc-400">
            Per page
            <Select aria-label="Keys per page" value={String(state.perPage)} onChange={(e) => set({ perPage: e.target.value })} className="h-8 w-auto pr-8">
              {[...new Set([...PER_PAGE_OPTIONS, state.perPage])].sort((a, b) => a - b).map((n) => (
                <option key={n}>{n}</option>
              ))}
            </Select>
          </label>
          <span className="text-zinc-500 dark:text-zinc-400">
            Page {state.page} of {pages}
          </span>
          <Button size="sm" variant="secondary" disabled={state.page <= 1} onClick={() => set({ page: state.page - 1 }, false)}>
            Previous
          </Button>
          <Button size="sm" variant="secondary" disabled={state.page >= pages} onClick={() => set({ page: state.page + 1 }, false)}>
            Next
          </Button>
        </div>
      </nav>
      {actions.dialogs}
    </Card>
  );
}

function CustomerFilter({ filter, onChange }: { filter: NonNullable<React.ComponentProps<typeof KeysTable>["customers"]>; onChange: (id: string) => void }) {
  const [value, setValue] = React.useState(filter.selected);
  return (
    <CustomerPicker
      id="keys-customer-filter"
      orgSlug={filter.orgSlug}
      ariaLabel="Filter by customer"
      noneLabel="Any customer"
      value={value}
      initial={filter.initial}
      onChange={(c) => {
        setValue(c);
        onChange(c?.id ?? "");
      }}
      className="w-52"
    />
  );
}
