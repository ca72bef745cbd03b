"use client";
import type * as React from "react";
import { Loader2 } from "lucide-react";
import { Switch as S } from "radix-ui";
import { cn } from "./cn";

/** An on/off switch (role="switch"); `pending` shows progress and blocks a second change. */
export function Switch({
  checked,
  onCheckedChange,
  pending,
  disabled,
  className,
  ...props
}: { checked: boolean; onCheckedChange: (checked: boolean) => void; pending?: boolean; disabled?: boolean; className?: string } & Pick<
  React.ComponentProps<typeof S.Root>,
  "aria-label" | "title" | "id"
>) {
  return (
    <S.Root
      {...props}
      checked={checked}
      onCheckedChange={onCheckedChange}
      disabled={disabled || pending}
      aria-busy={pending || undefined}
      className={cn(
        "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border border-transparent transition-colors",
        "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed",
        // Off is a zinc track darker than the page (3:1 against white and zinc-900 alike).
        "bg-zinc-400 data-[state=checked]:bg-emerald-600 dark:bg-zinc-600 dark:data-[state=checked]:bg-emerald-500",
        pending && "opacity-70",
        className,
      )}
    >
      <S.Thumb className="pointer-events-none flex size-4 translate-x-0.5 items-center justify-center rounded-full bg-white shadow-sm transition-transform data-[state=checked]:translate-x-[1.125rem]">
        {pending && <Loader2 className="size-3 animate-spin text-zinc-500" aria-hidden />}
      </S.Thumb>
    </S.Root>
  );
}
