"use client";
import * as React from "react";
import Link from "next/link";
import { ArrowDown, ArrowUp, ArrowUpDown, Copy, MoreHorizontal } from "lucide-react";
import { DropdownMenu as M } from "radix-ui";
import { toast } from "sonner";
import type { ColumnDef } from "@tanstack/react-table";
import { Badge } from "@/components/ui/badge";
import { Switch } from "@/components/ui/switch";
import { CreditsLine } from "@/components/credits/credits-line";
import { formatWindow, relativeTime } from "@/lib/format";
import type { KeyView } from "@/lib/keys/view";
import { EnvironmentBadge, KeyStatusBadge } from "./key-badges";
import type { KeyAction } from "./key-actions";
import type { keyTableFeatures } from "./key-table-features";

export type SortKey = "name" | "createdAt" | "lastUsedAt" | "expiresAt";

type Options = {
  /** Show the Organization column (the account view lists keys of several organizations). */
  showOrg: boolean;
  sort: { key: SortKey; dir: "asc" | "desc" };
  onSort: (key: SortKey) => void;
  onAction: (action: KeyAction, key: KeyView) => void;
  onRoll: (key: KeyView) => void;
  /** "Copy key" for recoverable keys (after re-authentication). */
  onReveal: (key: KeyView) => void;
  /** The in-row Active switch: off suspends (after confirmation), on reactivates. */
  onSetActive: (key: KeyView, active: boolean) => Promise<void>;
  now: number;
};

/** What the Columns menu calls each column a person can hide. */
export const KEY_COLUMN_LABELS = {
  organization: "Organization",
  status: "Status",
  environment: "Environment",
  owner: "Owner",
  permissions: "Permissions",
  rateLimit: "Limits and credits",
  expiresAt: "Expires",
  lastUsedAt: "Last used",
  createdAt: "Created",
} as const;
export type HideableKeyColumn = keyof typeof KEY_COLUMN_LABELS;

/** Turning it on shows the key active (and busy) until the server answers; off asks first. */
function ActiveSwitch({ k, onSetActive }: { k: KeyView } & Pick<Options, "onSetActive">) {
  const [pending, startTransition] = React.useTransition();
  const [active, setActive] = React.useOptimistic(k.status === "active");
  return (
    <Switch
      checked={active}
      onCheckedChange={(on) => {
        if (!on) return void onSetActive(k, false);
        startTransition(async () => {
          setActive(true);
          await onSetActive(k, true);
        });
      }}
      pending={pending}
      aria-label={`Active: ${k.name}`}
      title={active ? "Turn off to suspend the key" : "Turn on to reactivate the key"}
    />
  );
}

/** Status with, for those allowed to suspend and reactivate the key, its Active switch. */
function StatusCell({ k, onSetActive }: { k: KeyView } & Pick<Options, "onSetActive">) {
  const switchable = k.canManage && (k.status === "active" || k.status === "suspended");
  return (
    <span className="inline-flex items-center gap-2 whitespace-nowrap">
      {switchable && <ActiveSwitch k={k} onSetActive={onSetActive} />}
      <KeyStatusBadge status={k.status} />
    </span>
  );
}

const WEEK = 7 * 86_400_000;

function SortHeader({ label, column, sort, onSort }: { label: string; column: SortKey } & Pick<Options, "sort" | "onSort">) {
  const active = sort.key === column;
  const Icon = !active ? ArrowUpDown : sort.dir === "asc" ? ArrowUp : ArrowDown;
  return (
    <button
      type="button"
      onClick={() => onSort(column)}
      aria-label={`${label}${active ? `, sorted ${sort.dir === "asc" ? "ascending" : "descending"}` : ""}. Sort by ${label}`}
      className="inline-flex items-center gap-1 uppercase hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:text-zinc-100"
    >
      {label} <Icon className="size-3.5" aria-hidden />
    </button>
  );
}

const menuItem = "flex cursor-default items-center rounded-md px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

function RowMenu({ k, onAction, onRoll, onReveal }: { k: KeyView } & Pick<Options, "onAction" | "onRoll" | "onReveal">) {
  return (
    <M.Root>
      <M.Trigger aria-label={`Actions for ${k.name}`} className="rounded-md p-1 text-zinc-500 hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800 dark:text-zinc-400">
        <MoreHorizontal className="size-4" />
      </M.Trigger>
      <M.Portal>
        <M.Content align="end" className="z-50 w-48 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          <M.Item
            className={menuItem}
            onSelect={() => {
              void navigator.clipboard?.writeText(k.id).catch(() => undefined);
              toast.success("Key ID copied");
            }}
          >
            Copy key ID
          </M.Item>
          {k.recoverable && k.canManage && (
            <M.Item className={menuItem} onSelect={() => onReveal(k)}>
              Copy key…
            </M.Item>
          )}
          <M.Item asChild className={menuItem}>
            <Link href={`/orgs/${k.orgSlug}/settings/api-keys/${k.id}`}>{k.canManage ? "View and edit" : "View"}</Link>
          </M.Item>
          {k.canManage && (
            <>
              <M.Item className={menuItem} onSelect={() => onRoll(k)}>
                {k.status === "expired" ? "Renew…" : "Roll…"}
              </M.Item>
              {k.status === "suspended" ? (
                <M.Item className={menuItem} onSelect={() => onAction("reactivate", k)}>
                  Reactivate
                </M.Item>
              ) : (
                k.status === "active" && (
                  <M.Item className={menuItem} onSelect={() => onAction("suspend", k)}>
                    Suspend…
                  </M.Item>
                )
              )}
              <M.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
              <M.Item className={`${menuItem} text-red-600 dark:text-red-400`} onSelect={() => onAction("revoke", k)}>
                Revoke…
              </M.Item>
            </>
          )}
          {k.canDelete && (
            <M.Item className={`${menuItem} text-red-600 dark:text-red-400`} onSelect={() => onAction("delete", k)}>
              Delete…
            </M.Item>
          )}
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}

export function getKeyColumns(o: Options): ColumnDef<typeof keyTableFeatures, KeyView>[] {
  const org: ColumnDef<typeof keyTableFeatures, KeyView>[] = o.showOrg
    ? [{ id: "organization", header: "Organization", cell: ({ row }) => <span className="whitespace-nowrap">{row.original.orgName}</span> }]
    : [];
  return [
    {
      id: "select",
      enableHiding: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all keys on this page"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected();
          }}
          onChange={(e) => table.toggleAllRowsSelected(e.target.checked)}
        />
      ),
      cell: ({ row }) => (
        <input type="checkbox" aria-label={`Select ${row.original.name}`} checked={row.getIsSelected()} disabled={!row.getCanSelect()} onChange={(e) => row.toggleSelected(e.target.checked)} />
      ),
    },
    {
      id: "name",
      enableHiding: false,
      header: () => <SortHeader label="Name" column="name" sort={o.sort} onSort={o.onSort} />,
      // The key's visible start sits under its name: sk_/pk_ says secret or public, prod/stg/dev the environment.
      cell: ({ row: { original: k } }) => (
        <div className="max-w-[15rem] min-w-[8rem]">
          <Link href={`/orgs/${k.orgSlug}/settings/api-keys/${k.id}`} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100" title={k.description ?? undefined}>
            {k.name}
          </Link>
          <span className="flex items-center gap-1">
            <code className="font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400" title={`${k.type === "secret" ? "Secret" : "Public"} key ${k.id}`}>
              {k.prefix}…{k.last4}
            </code>
            <button
              type="button"
              aria-label={`Copy the ID of ${k.name}`}
              title={`Copy key ID (${k.id})`}
              className="rounded p-0.5 text-zinc-500 hover:bg-zinc-100 hover:text-zinc-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-zinc-400 dark:hover:bg-zinc-800"
              onClick={() => {
                void navigator.clipboard?.writeText(k.id).catch(() => undefined);
                toast.success("Key ID copied");
              }}
            >
              <Copy className="size-3.5" aria-hidden />
            </button>
          </span>
          {k.customer && (
            <Link href={`/orgs/${k.orgSlug}/settings/customers/${k.customer.id}`} className="block truncate text-xs text-zinc-600 hover:underline dark:text-zinc-400" title={`Customer ${k.customer.externalId}`}>
              {k.customer.name}
            </Link>
          )}
        </div>
      ),
    },
    ...org,
    { id: "status", header: "Status", cell: ({ row }) => <StatusCell k={row.original} onSetActive={o.onSetActive} /> },
    { id: "environment", header: "Env", cell: ({ row }) => <EnvironmentBadge environment={row.original.environment} /> },
    { id: "owner", header: "Owner", cell: ({ row }) => <span className="block max-w-[6.5rem] truncate text-zinc-600 dark:text-zinc-400" title={row.original.ownerLabel ?? undefined}>{row.original.ownerLabel ?? "—"}</span> },
    {
      id: "permissions",
      header: "Permissions",
      cell: ({ row: { original: k } }) =>
        k.permissions.length === 0 ? (
          <span className="text-zinc-500 dark:text-zinc-400">None</span>
        ) : (
          <div className="flex flex-wrap gap-1">
            {k.permissions.slice(0, 1).map((p) => (
              <Badge key={p} className="font-mono">
                {p}
              </Badge>
            ))}
            {k.permissions.length > 1 && (
              <Badge tone="indigo" title={k.permissions.slice(1).join(", ")} tabIndex={0} aria-label={`and ${k.permissions.slice(1).join(", ")}`}>
                +{k.permissions.length - 1}
              </Badge>
            )}
          </div>
        ),
    },
    {
      id: "rateLimit",
      header: "Limits",
      cell: ({ row: { original: k } }) => {
        // The key's own limits (a customer's are shown on the customer); "default" first.
        const [first, ...more] = [...k.ratelimits].sort((a, b) => Number(b.name === "default") - Number(a.name === "default"));
        // Credits: the key's own, else its customer's (which verification then takes from).
        const credits = k.credits ?? k.customerCredits;
        if (!first && !credits) return <span className="text-zinc-500 dark:text-zinc-400">—</span>;
        return (
          <div className="whitespace-nowrap">
            {first && (
              <p title={k.ratelimits.map((l) => `${l.name}: ${l.limit.toLocaleString("en-US")} / ${formatWindow(l.window)}`).join("\n")}>
                {first.limit.toLocaleString("en-US")} / {formatWindow(first.window)}
                {more.length > 0 && <span className="text-zinc-500 dark:text-zinc-400"> +{more.length}</span>}
              </p>
            )}
            {credits && <CreditsLine credits={credits} shared={!k.credits} />}
          </div>
        );
      },
    },
    {
      id: "expiresAt",
      header: () => <SortHeader label="Expires" column="expiresAt" sort={o.sort} onSort={o.onSort} />,
      cell: ({ row: { original: k } }) => {
        if (!k.expiresAt) return <span className="text-zinc-500 dark:text-zinc-400">Never</span>;
        const left = new Date(k.expiresAt).getTime() - o.now;
        return (
          <span title={k.expiresAt} className={left > 0 && left < WEEK ? "font-medium whitespace-nowrap text-amber-700 dark:text-amber-400" : "whitespace-nowrap"}>
            {relativeTime(k.expiresAt, o.now)}
          </span>
        );
      },
    },
    {
      id: "lastUsedAt",
      header: () => <SortHeader label="Last used" column="lastUsedAt" sort={o.sort} onSort={o.onSort} />,
      cell: ({ row: { original: k } }) => (
        <div className="whitespace-nowrap text-zinc-600 dark:text-zinc-400">
          {relativeTime(k.lastUsedAt, o.now)}
          {k.usage24h !== undefined && <p className="text-xs tabular-nums" title="Verifications in the last 24 hours">{k.usage24h.toLocaleString()} in 24 h</p>}
        </div>
      ),
    },
    {
      id: "createdAt",
      header: () => <SortHeader label="Created" column="createdAt" sort={o.sort} onSort={o.onSort} />,
      cell: ({ row }) => (
        <span className="whitespace-nowrap text-zinc-600 dark:text-zinc-400" title={row.original.createdAt}>
          {relativeTime(row.original.createdAt, o.now)}
        </span>
      ),
    },
    { id: "actions", enableHiding: false, header: () => <span className="sr-only">Actions</span>, cell: ({ row }) => <RowMenu k={row.original} onAction={o.onAction} onRoll={o.onRoll} onReveal={o.onReveal} /> },
  ];
}
