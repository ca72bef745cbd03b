import type { Metadata } from "next";
import Link from "next/link";
import { openApiDocument } from "@/lib/openapi";
import { ApiReference } from "@/components/docs/api-reference";

export const metadata: Metadata = { title: "API reference" };

export default function ApiDocsPage() {
  const doc = openApiDocument();
  return (
    <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
      <header className="mb-8">
        <p className="text-sm font-semibold text-indigo-600 dark:text-indigo-400">
          <Link href="/">Latchkey</Link>
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900 dark:text-zinc-50">API reference</h1>
        <p className="mt-2 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
          Authenticate with <code className="font-mono text-xs">Authorization: Bearer &lt;secret key&gt;</code>. A key acts in its own organization as its
          owner, capped by the owner&apos;s role; it needs <code className="font-mono text-xs">keys:read</code>, <code className="font-mono text-xs">keys:write</code> or{" "}
          <code className="font-mono text-xs">audit:read</code> for each route, and its IP allowlist, rules and rate limit apply to these requests too. Machine-readable:{" "}
          <a href="/api/v1/openapi.json" className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">/api/v1/openapi.json</a> (OpenAPI 3.1).
        </p>
      </header>
      <ApiReference doc={doc as unknown as Record<string, unknown>} />
    </main>
  );
}
