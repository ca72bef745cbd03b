// Owns credits on keys and customers: their settings, and taking a verification's cost from them
// exactly — one conditional UPDATE in PostgreSQL per verification, so no number of instances can
// answer more valid verifications than there were credits. A refill that is due is applied by the
// same statement (so it happens once, by whichever verification comes first after the boundary).
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, customers, getDb } from "../db";
import { nextRefillAt, REFILL_INTERVALS, type CreditSettings, type RefillInterval } from "./credit-names";

export const creditsSchema = z
  .object({
    remaining: z.coerce.number({ error: "Enter a number of credits" }).int("Use a whole number").min(0, "At least 0").max(1_000_000_000, "At most 1,000,000,000"),
    refill: z
      .object({
        amount: z.coerce.number({ error: "Enter a refill amount" }).int("Use a whole number").min(1, "Refill at least 1 credit").max(1_000_000_000),
        interval: z.enum(REFILL_INTERVALS, { error: "Refill daily or monthly" }),
        refillDay: z.coerce.number().int().min(1, "Day 1 to 31").max(31, "Day 1 to 31").nullish(),
      })
      .nullish()
      .transform((v) => v ?? null),
    lowThreshold: z.coerce.number().int().min(0).max(1_000_000_000).nullish().transform((v) => v ?? null),
  })
  .nullish()
  .transform((v) => v ?? null)
  .describe("Credits: `remaining`, an optional `refill` ({ amount, interval: daily | monthly, refillDay }) and a `lowThreshold`. Null: no credit limit.");
export type CreditsInput = z.output<typeof creditsSchema>;

export type CreditColumns = {
  creditsRemaining: number | null;
  creditsRefillAmount: number | null;
  creditsRefillInterval: RefillInterval | null;
  creditsRefillDay: number | null;
  creditsNextRefillAt: Date | null;
  creditsLowThreshold: number | null;
};

/** The columns that store `credits` (set now: a refill is next due after `now`). */
export function creditColumns(credits: CreditsInput, now: Date): CreditColumns {
  if (!credits) return { creditsRemaining: null, creditsRefillAmount: null, creditsRefillInterval: null, creditsRefillDay: null, creditsNextRefillAt: null, creditsLowThreshold: null };
  const refill = credits.refill;
  return {
    creditsRemaining: credits.remaining,
    creditsRefillAmount: refill?.amount ?? null,
    creditsRefillInterval: refill?.interval ?? null,
    creditsRefillDay: refill?.interval === "monthly" ? (refill.refillDay ?? 1) : null,
    creditsNextRefillAt: refill ? nextRefillAt(refill.interval, refill.refillDay ?? null, now) : null,
    creditsLowThreshold: credits.lowThreshold,
  };
}

/** A holder's credits as a person sees them now (a refill that is due counts as done). */
export function creditsOf(row: CreditColumns, now = new Date()): (CreditSettings & { nextRefillAt: string | null }) | null {
  if (row.creditsRemaining === null) return null;
  const due = row.creditsNextRefillAt !== null && row.creditsNextRefillAt.getTime() <= now.getTime() && row.creditsRefillAmount !== null;
  const refill = row.creditsRefillAmount !== null && row.creditsRefillInterval ? { amount: row.creditsRefillAmount, interval: row.creditsRefillInterval, refillDay: row.creditsRefillDay } : null;
  return {
    remaining: due ? row.creditsRefillAmount! : row.creditsRemaining,
    refill,
    lowThreshold: row.creditsLowThreshold,
    nextRefillAt: refill ? (due ? nextRefillAt(refill.interval, refill.refillDay, now) : row.creditsNextRefillAt)!.toISOString() : null,
  };
}

/** Credits in the shape the edit forms and PATCH read back (so an unchanged form changes nothing). */
export function creditsInputOf(row: CreditColumns): CreditsInput {
  const c = creditsOf(row);
  return c ? { remaining: c.remaining, refill: c.refill, lowThreshold: c.lowThreshold } : null;
}

export type CreditHolder = {
  kind: "key" | "customer";
  id: string;
  refillInterval: RefillInterval | null;
  refillDay: number | null;
  /** The holder's updatedAt (epoch ms) when it was read: credits leased before an edit are void after it. */
  version?: number;
};
export type CreditOutcome = { allowed: boolean; remaining: number };

/**
 * Takes `cost` credits from the holder if it has that many (after a refill that is due), in one
 * statement. `cost` 0 only checks that some credit is left.
 */
export async function consumeCredits(holder: CreditHolder, cost: number, now: Date): Promise<CreditOutcome> {
  const t = holder.kind === "key" ? apiKeys : customers;
  const at = now.toISOString();
  const due = sql`(${t.creditsNextRefillAt} is not null and ${t.creditsRefillAmount} is not null and ${t.creditsNextRefillAt} <= ${at}::timestamptz)`;
  const effective = sql<number>`(case when ${due} then ${t.creditsRefillAmount} else ${t.creditsRemaining} end)`;
  const db = getDb();
  if (cost > 0) {
    const next = holder.refillInterval ? nextRefillAt(holder.refillInterval, holder.refillDay, now).toISOString() : null;
    const [row] = await db
      .update(t)
      .set({
        creditsRemaining: sql`${effective} - ${cost}`,
        creditsNextRefillAt: sql`case when ${due} then ${next}::timestamptz else ${t.creditsNextRefillAt} end`,
      })
      .where(and(eq(t.id, holder.id), isNotNull(t.creditsRemaining), sql`${effective} >= ${cost}`))
      .returning({ remaining: t.creditsRemaining });
    if (row) return { allowed: true, remaining: row.remaining ?? 0 };
  }
  const [row] = await db.select({ remaining: effective }).from(t).where(eq(t.id, holder.id));
  const remaining = Number(row?.remaining ?? 0);
  return { allowed: cost === 0 && remaining > 0, remaining };
}

