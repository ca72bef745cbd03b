"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { KeyRound, UserRound } from "lucide-react";
import { cn } from "@/components/ui/cn";

export function AccountNav() {
  const pathname = usePathname();
  const items = [
    { href: "/account", label: "Profile", icon: UserRound },
    { href: "/account/api-keys", label: "My API keys", icon: KeyRound },
  ];
  return (
    <nav aria-label="Account" className="flex gap-1 overflow-x-auto md:flex-col">
      {items.map(({ href, label, icon: Icon }) => (
        <Link
          key={href}
          href={href}
          aria-current={pathname === href ? "page" : undefined}
          className={cn(
            "flex shrink-0 items-center gap-2 rounded-md px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-500",
            pathname === href
              ? "bg-zinc-200/70 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50"
              : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-900 dark:hover:text-zinc-100",
          )}
        >
          <Icon className="size-4" aria-hidden />
          {label}
        </Link>
      ))}
    </nav>
  );
}
