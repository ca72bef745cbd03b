import { KeyRound } from "lucide-react";
import { ThemeToggle } from "@/components/ui/theme-toggle";

export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <div className="flex justify-end p-4">
        <ThemeToggle />
      </div>
      <main className="flex flex-1 items-start justify-center px-4 pt-8 pb-16 sm:pt-16">
        <div className="w-full max-w-sm">
          <div className="mb-8 flex items-center justify-center gap-2 text-lg font-semibold">
            <KeyRound className="size-6 text-indigo-600 dark:text-indigo-400" aria-hidden />
            Latchkey
          </div>
          {children}
        </div>
      </main>
    </div>
  );
}
