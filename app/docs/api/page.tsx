import type { Metadata } from "next";
import Link from "next/link";
import { ApiReference } from "@/components/docs/api-reference";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export const metadata: Metadata = { title: "API reference" };

export default function ApiDocsPage() {
  return (
    // Scalar renders the reference in its own <main> (named "API documentation for …"): this page
    // wraps it in a plain element, so there is one main landmark and the header is the banner.
    <div className="min-w-0">
      <header className="border-b border-zinc-200 bg-white px-4 py-4 sm:px-6 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="flex items-start justify-between gap-4">
          <div className="min-w-0">
            <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">
              <Link href="/">Latchkey</Link>
            </p>
            <h1 className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">API reference</h1>
          </div>
          <ThemeToggle />
        </div>
        <p className="mt-2 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          Authenticate with <code className="font-mono text-xs">Authorization: Bearer &lt;secret key&gt;</code>. A key acts in its own organization as its
          owner, capped by the owner&apos;s role; it needs the permission each operation names, and its IP allowlist, rules and rate limit apply to these
          requests too. To try a request here, paste a key under Authentication: it stays in this tab and is sent only to this server. Machine-readable:{" "}
          <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">
            /api/v1/openapi.json
          </a>{" "}
          (OpenAPI 3.1).
        </p>
      </header>
      <ApiReference />
    </div>
  );
}
