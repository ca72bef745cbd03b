import Link from "next/link";
import { BookOpen } from "lucide-react";
import { orgPageContext } from "@/app/_lib/org-page";
import { SettingsNav } from "@/components/orgs/settings-nav";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-8 md:py-10">
      <aside className="md:w-48 md:shrink-0">
        <p className="mb-3 hidden truncate px-3 text-xs font-semibold tracking-wide text-zinc-500 uppercase md:block dark:text-zinc-400">{ctx.org.name}</p>
        <SettingsNav slug={ctx.org.slug} />
        <Link
          href="/docs/api"
          className="mt-4 hidden items-center gap-2 rounded-md px-3 py-2 text-sm text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900 md:flex dark:text-zinc-400 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
        >
          <BookOpen className="size-4" aria-hidden />
          API reference
        </Link>
      </aside>
      <main className="min-w-0 flex-1">{children}</main>
    </div>
  );
}
