"use client";
import { DropdownMenu as M } from "radix-ui";
import Link from "next/link";
import { KeyRound, LogOut, UserRound } from "lucide-react";

const item = "flex cursor-default items-center gap-2 rounded-md px-2 py-1.5 text-sm outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800";
import { signOutAction } from "@/app/_actions/auth";

export function UserMenu({ name, email }: { name: string; email: string }) {
  const initials = name
    .split(/\s+/)
    .map((w) => w[0])
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <M.Root>
      <M.Trigger
        className="flex size-8 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500"
      >
        {initials || "?"}
        <span className="sr-only"> Open user menu</span>
      </M.Trigger>
      <M.Portal>
        <M.Content align="end" sideOffset={6} className="z-50 w-60 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900">
          <div className="px-2 py-1.5">
            <p className="truncate text-sm font-medium">{name}</p>
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{email}</p>
          </div>
          <M.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <M.Item asChild className={item}>
            <Link href="/account/api-keys">
              <KeyRound className="size-4" aria-hidden /> My API keys
            </Link>
          </M.Item>
          <M.Item asChild className={item}>
            <Link href="/account">
              <UserRound className="size-4" aria-hidden /> Account
            </Link>
          </M.Item>
          <M.Separator className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <M.Item
            onSelect={() => void signOutAction()}
            className={item}
          >
            <LogOut className="size-4" aria-hidden /> Sign out
          </M.Item>
        </M.Content>
      </M.Portal>
    </M.Root>
  );
}
