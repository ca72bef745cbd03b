"use client";
import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/field";

/** Shows a freshly issued token. Secret tokens are shown this once and never again. */
export function TokenReveal({ token, type, note, recoverable = false }: { token: string; type: "secret" | "public"; note?: string; recoverable?: boolean }) {
  return (
    <div className="space-y-3">
      {type === "secret" ? (
        <p className="flex gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          {recoverable
            ? "Copy this key now and store it somewhere safe. Your organization keeps keys recoverable: it can be copied again from the key's page after confirming it's you (audited)."
            : "Copy this key now and store it somewhere safe. It will not be shown again."}
        </p>
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">This is a public key: its token stays visible on the key&apos;s page.</p>
      )}
      <div className="flex items-center gap-2">
        <Input readOnly value={token} aria-label="New API key" data-testid="new-token" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
        <CopyButton value={token} label="Copy key" />
      </div>
      {note && <p className="text-xs text-zinc-500 dark:text-zinc-400">{note}</p>}
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        Services check a key with <code className="font-mono">POST /api/v1/keys/verify</code>; a key with <code className="font-mono">keys:write</code> can also
        manage keys. See the{" "}
        <Link href="/docs/api" target="_blank" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
          API reference
        </Link>
        .
      </p>
    </div>
  );
}
