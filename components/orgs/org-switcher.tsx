"use client";
import Link from "next/link";
import { useParams, usePathname } from "next/navigation";
import { DropdownMenu as M } from "radix-ui";
import { Check, ChevronsUpDown, Plus } from "lucide-react";

type OrgItem = { slug: string; name: string; role: string };

const itemClass =
  "flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";

export function OrgSwitcher({ orgs }: { orgs: OrgItem[] }) {
  const params = useParams<{ slug?: string }>();
  const pathname = usePathname();
  const current = orgs.find((o) => o.slug === params.slug);
  // Switching keeps the user on the same settings page of the other organization.
  const section = params.slug ? pathname.split(`/orgs/${params.slug}`)[1] || "/settings" : "/settings/api-keys";
  return (
    <M.Root>
      <M.Trigger
        className="flex max-w-[14rem] items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium hover:bg-zinc-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-zinc-800"
      >
        <span className="sr-only">Switch organization: </span>
        <span className="truncate">{current?.name ?? "Select organization"}</span>
        <ChevronsUpDown className="size-4 shrink-0 text-zinc-500 dark:text-zinc-400" aria-hidden />
      </M.Trigger>
      <M.Portal>
        <M.Content
          align="start"
          sideOffset={6}
          className="z-50 w-64 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <M.Label className="px-2 py-1.5 text-xs font-medium text-zinc-500 dark:text-zinc-400">Organizations</M.Label>
          {orgs.map((o) => (
            <M.Item key={o.slug} asChild className={itemClass}>
              <Link href={`/orgs/${o.slug}${section}`}>
                <span className="min-w-0 flex-1 truncate">{o.name}</span>
                <span className="text-xs text-zinc-500 capitalize dark:text-zinc-400">{o.role}</span>
                {o.slug === current?.slug && <Check className="size-4 text-indigo-600" aria-label="current" />}
              </Link>
            </M.Item>
          ))}
          <M.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <M.Item asChild className={itemClass}>
            <Link href="/orgs/new">
              <Plus className="size-4" aria-hidden /> New organization
            </Link>
          </M.Item>
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}
