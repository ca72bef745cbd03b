"use client";
// The named rate limits of the key and customer forms: rows of name, requests and window, added and
// removed in place; the server validates them (names unique, bounds) and names the row's field.
import * as React from "react";
import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import type { NamedLimit } from "@/lib/limits/named-limits";

const WINDOWS = [
  [1, "per second"],
  [10, "per 10 seconds"],
  [60, "per minute"],
  [3600, "per hour"],
  [86_400, "per day"],
] as const;

/** Reads the rows in order; a row with neither a name nor a number is an empty row and is skipped. */
export function readNamedLimits(f: FormData): Record<string, unknown>[] {
  const names = f.getAll("ratelimitName").map(String);
  const limits = f.getAll("ratelimitLimit").map(String);
  const windows = f.getAll("ratelimitWindow").map(String);
  return names
    .map((name, i) => ({ name: name.trim(), limit: (limits[i] ?? "").trim(), window: windows[i] ?? "60" }))
    .filter((r) => r.name !== "" || r.limit !== "");
}

type Row = { key: number; name: string; limit: string; window: string };
let rowKeys = 0;
const toRow = (l?: NamedLimit): Row => ({ key: rowKeys++, name: l?.name ?? "", limit: l ? String(l.limit) : "", window: String(l?.window ?? 60) });

export function NamedLimitFields({ initial, errors, idPrefix, hint }: { initial: NamedLimit[] | undefined; errors: Record<string, string[]>; idPrefix: string; hint?: string }) {
  const [rows, setRows] = React.useState<Row[]>(() => (initial ?? []).map(toRow));
  const id = (i: number, s: string) => `${idPrefix}-rl-${i}-${s}`;
  // After "Add rate limit", the new row's name field takes the focus.
  const focusLast = React.useRef(false);
  React.useEffect(() => {
    if (!focusLast.current) return;
    focusLast.current = false;
    document.getElementById(`${idPrefix}-rl-${rows.length - 1}-name`)?.focus();
  }, [rows.length, idPrefix]);
  const general = [...(errors.ratelimits ?? []), ...(errors.rateLimit ?? [])];
  const add = () => {
    // The first limit is suggested as "default" (what a request that names none counts against).
    setRows((r) => [...r, { ...toRow(), name: r.length === 0 ? "default" : "" }]);
    focusLast.current = true;
  };
  return (
    <fieldset className="space-y-2" data-testid="named-limits">
      <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">Rate limits</legend>
      <p className="text-xs text-zinc-500 dark:text-zinc-400">
        {hint ?? "Each limit counts requests in a sliding window. A request may name the limits it uses; otherwise all apply."}
        {rows.length === 0 && " None: no rate limit."}
      </p>
      {rows.map((r, i) => {
        const windowKnown = WINDOWS.some(([s]) => String(s) === r.window);
        return (
          <div key={r.key} className="grid grid-cols-[minmax(0,1fr)_minmax(0,1fr)] items-start gap-2 sm:grid-cols-[minmax(0,1.2fr)_minmax(0,1fr)_minmax(0,1fr)_auto]" data-testid="named-limit-row">
            <Field label="Limit name" htmlFor={id(i, "name")} errors={errors[`ratelimits.${i}.name`]}>
              <Input
                id={id(i, "name")}
                name="ratelimitName"
                defaultValue={r.name}
                maxLength={64}
                placeholder="default"
                aria-invalid={!!errors[`ratelimits.${i}.name`]}
                className="font-mono"
              />
            </Field>
            <Field label="Requests" htmlFor={id(i, "limit")} errors={errors[`ratelimits.${i}.limit`]}>
              <Input id={id(i, "limit")} name="ratelimitLimit" type="number" min={1} inputMode="numeric" defaultValue={r.limit} aria-invalid={!!errors[`ratelimits.${i}.limit`]} />
            </Field>
            <Field label="Window" htmlFor={id(i, "window")} errors={errors[`ratelimits.${i}.window`]}>
              <Select id={id(i, "window")} name="ratelimitWindow" defaultValue={r.window}>
                {!windowKnown && <option value={r.window}>per {r.window} seconds</option>}
                {WINDOWS.map(([s, l]) => (
                  <option key={s} value={s}>
                    {l}
                  </option>
                ))}
              </Select>
            </Field>
            <div className="flex items-end self-stretch pb-0.5 sm:pt-6">
              <Button type="button" variant="ghost" size="sm" aria-label={`Remove rate limit ${r.name || i + 1}`} onClick={() => setRows((all) => all.filter((x) => x.key !== r.key))}>
                <Trash2 className="size-4" aria-hidden />
                <span className="sm:sr-only">Remove</span>
              </Button>
            </div>
          </div>
        );
      })}
      {general.map((e) => (
        <p key={e} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {e}
        </p>
      ))}
      <Button type="button" variant="secondary" size="sm" onClick={add} disabled={rows.length >= 20}>
        <Plus className="size-4" aria-hidden /> Add rate limit
      </Button>
    </fieldset>
  );
}
