import { AccountNav } from "@/components/account/account-nav";

export default function AccountLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 md:flex-row md:gap-10 md:py-10">
      <aside className="md:w-52 md:shrink-0">
        <p className="mb-3 hidden px-3 text-xs font-semibold tracking-wide text-zinc-500 uppercase md:block dark:text-zinc-400">Your account</p>
        <AccountNav />
      </aside>
      <main className="min-w-0 flex-1">{children}</main>
    </div>
  );
}
