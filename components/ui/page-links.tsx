import Link from "next/link";

/** "N things · page x of y" with Previous / Next links (server-rendered pagination). */
export function PageLinks({ summary, prevHref, nextHref, label = "Pagination" }: { summary: string; prevHref: string | null; nextHref: string | null; label?: string }) {
  const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
  return (
    <nav aria-label={label} className="flex items-center justify-between border-t border-zinc-200 px-5 py-3 text-sm dark:border-zinc-800">
      <span className="text-zinc-500 dark:text-zinc-400">{summary}</span>
      <span className="flex gap-3">
        {prevHref ? <Link className={link} href={prevHref}>Previous</Link> : <span className="text-zinc-500 dark:text-zinc-400">Previous</span>}
        {nextHref ? <Link className={link} href={nextHref}>Next</Link> : <span className="text-zinc-500 dark:text-zinc-400">Next</span>}
      </span>
    </nav>
  );
}
