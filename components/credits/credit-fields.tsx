"use client";
// The credits part of the key and customer forms: remaining, an optional refill, a low threshold.
import { Field, Input, Select } from "@/components/ui/field";
import type { CreditSettings } from "@/lib/credits/credit-names";

/** Reads the credit fields of a form: empty "remaining" means no credit limit. */
export function readCredits(f: FormData): Record<string, unknown> | null {
  const str = (k: string) => String(f.get(k) ?? "").trim();
  if (str("creditsRemaining") === "") return null;
  const interval = str("creditsRefillInterval");
  return {
    remaining: str("creditsRemaining"),
    refill: interval ? { amount: str("creditsRefillAmount"), interval, refillDay: interval === "monthly" ? str("creditsRefillDay") || 1 : null } : null,
    lowThreshold: str("creditsLowThreshold") || null,
  };
}

export function CreditFields({ initial, errors, idPrefix }: { initial: CreditSettings | null | undefined; errors: Record<string, string[]>; idPrefix: string }) {
  const id = (s: string) => `${idPrefix}-credits-${s}`;
  const err = (k: string) => [...(errors[`credits.${k}`] ?? []), ...(k === "remaining" ? (errors.credits ?? []) : [])];
  return (
    <fieldset className="space-y-3">
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Credits</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Remaining" htmlFor={id("remaining")} errors={err("remaining")} hint="Each valid verification takes its cost. Empty: no limit.">
          <Input id={id("remaining")} name="creditsRemaining" type="number" min={0} inputMode="numeric" defaultValue={initial?.remaining ?? ""} placeholder="No limit" />
        </Field>
        <Field label="Low at" htmlFor={id("low")} errors={err("lowThreshold")} hint="Flag the holder as low below this.">
          <Input id={id("low")} name="creditsLowThreshold" type="number" min={0} inputMode="numeric" defaultValue={initial?.lowThreshold ?? ""} placeholder="Optional" />
        </Field>
        <Field label="Refill" htmlFor={id("interval")} errors={err("refill.interval")}>
          <Select id={id("interval")} name="creditsRefillInterval" defaultValue={initial?.refill?.interval ?? ""}>
            <option value="">Never</option>
            <option value="daily">Daily (midnight UTC)</option>
            <option value="monthly">Monthly</option>
          </Select>
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Refill to" htmlFor={id("amount")} errors={err("refill.amount")}>
            <Input id={id("amount")} name="creditsRefillAmount" type="number" min={1} inputMode="numeric" defaultValue={initial?.refill?.amount ?? ""} />
          </Field>
          <Field label="On day" htmlFor={id("day")} errors={err("refill.refillDay")} hint="Monthly only.">
            <Input id={id("day")} name="creditsRefillDay" type="number" min={1} max={31} inputMode="numeric" defaultValue={initial?.refill?.refillDay ?? ""} placeholder="1" />
          </Field>
        </div>
      </div>
    </fieldset>
  );
}
