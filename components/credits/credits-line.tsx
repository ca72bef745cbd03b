// Owns how a holder's remaining credits read in a table cell: the count, amber at or below the
// low-credits threshold (or at none left), the refill in the tooltip.
import { cn } from "@/components/ui/cn";
import type { CreditSettings } from "@/lib/credits/credit-names";

/** `shared`: a key drawing on its customer's credits ("(customer)"). */
export function CreditsLine({ credits, shared = false, className }: { credits: CreditSettings; shared?: boolean; className?: string }) {
  const low = credits.remaining === 0 || (credits.lowThreshold !== null && credits.remaining <= credits.lowThreshold);
  const refill = credits.refill ? `; refills to ${credits.refill.amount.toLocaleString("en-US")} ${credits.refill.interval}` : "";
  return (
    <span
      className={cn("block text-xs tabular-nums", low ? "font-medium text-amber-700 dark:text-amber-400" : "text-zinc-600 dark:text-zinc-400", className)}
      title={`${credits.remaining.toLocaleString("en-US")} credits left${shared ? ", shared by the customer's keys" : ""}${refill}`}
    >
      {credits.remaining.toLocaleString("en-US")} credits{shared ? " (customer)" : ""}
    </span>
  );
}

