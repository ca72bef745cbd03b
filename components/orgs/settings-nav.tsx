"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { KeyRound, ListChecks, ScrollText, Settings, ShieldCheck, Users } from "lucide-react";
import { cn } from "@/components/ui/cn";

export function SettingsNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/orgs/${slug}/settings`;
  const items = [
    { href: base, label: "General", icon: Settings, exact: true },
    { href: `${base}/api-keys`, label: "API keys", icon: KeyRound },
    { href: `${base}/permissions`, label: "Permissions", icon: ListChecks },
    { href: `${base}/key-policy`, label: "Key policy", icon: ShieldCheck },
    { href: `${base}/members`, label: "Members", icon: Users },
    { href: `${base}/audit-log`, label: "Audit log", icon: ScrollText },
  ];
  return (
    <nav aria-label="Organization settings" className="flex gap-1 overflow-x-auto md:flex-col">
      {items.map(({ href, label, icon: Icon, exact }) => {
        const active = exact ? pathname === href : pathname.startsWith(href);
        return (
          <Link
            key={href}
            href={href}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex shrink-0 items-center gap-2 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500",
              active
                ? "bg-zinc-200/70 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
                : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-zinc-100",
            )}
          >
            <Icon className="size-4" aria-hidden />
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
