import { orgPageContext } from "@/app/_lib/org-page";
import { SettingsNav } from "@/components/orgs/settings-nav";

export default async function SettingsLayout({ children, params }: { children: React.ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const ctx = await orgPageContext(slug);
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-10 md:py-10">
      <aside className="md:w-52 md:shrink-0">
        <p className="mb-3 hidden truncate px-3 text-xs font-semibold tracking-wide text-zinc-500 uppercase md:block">{ctx.org.name}</p>
        <SettingsNav slug={ctx.org.slug} />
      </aside>
      <main className="min-w-0 flex-1">{children}</main>
    </div>
  );
}
