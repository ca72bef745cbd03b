import Link from "next/link";
import { KeyRound } from "lucide-react";
import { requireUser } from "@/app/_lib/auth";
import { listOrganizationsForUser } from "@/lib/orgs/organizations";
import { OrgSwitcher } from "@/components/orgs/org-switcher";
import { UserMenu } from "@/components/orgs/user-menu";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const user = await requireUser();
  const orgs = await listOrganizationsForUser(user.id);
  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-30 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4 sm:px-6">
          <Link href="/" className="flex items-center gap-2 font-semibold" aria-label="Latchkey home">
            <KeyRound className="size-5 text-indigo-600 dark:text-indigo-400" aria-hidden />
            <span className="hidden sm:inline">Latchkey</span>
          </Link>
          <span className="text-zinc-300 dark:text-zinc-700" aria-hidden>
            /
          </span>
          <OrgSwitcher orgs={orgs.map((o) => ({ slug: o.slug, name: o.name, role: o.role }))} />
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu name={user.name ?? user.email ?? "Account"} email={user.email ?? ""} />
          </div>
        </div>
      </header>
      {children}
    </div>
  );
}
