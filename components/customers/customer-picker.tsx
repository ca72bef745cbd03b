"use client";
// Owns choosing one of an organization's customers, however many it has: a combobox (WAI-ARIA
// "combobox with listbox popup") that shows the first customers by name at once and asks the server
// (the listCustomers operation, by name, external ID or id) as the user types. Keyboard: ↓/↑ move,
// Enter chooses, Escape closes the list (not the dialog around it), Tab leaves with the choice kept.
import * as React from "react";
import { Check, ChevronsUpDown, Loader2 } from "lucide-react";
import { searchCustomersAction } from "@/app/_actions/customers";
import { cn } from "@/components/ui/cn";

export type CustomerOption = { id: string; label: string };

/** How many matches one search shows (the hint says when there are more). */
const SHOWN = 20;

export function CustomerPicker({
  id,
  orgSlug,
  name,
  value,
  onChange,
  initial,
  noneLabel,
  ariaLabel,
  invalid,
  className,
}: {
  id: string;
  orgSlug: string;
  /** Submitted with the form under this name (the chosen id, or "" for none). */
  name?: string;
  value: CustomerOption | null;
  onChange: (c: CustomerOption | null) => void;
  /** The first customers by name and how many there are, from the page (shown before any typing). */
  initial: { options: CustomerOption[]; total: number };
  /** The choice that clears it: "No customer" in a form, "Any customer" in a filter. */
  noneLabel: string;
  ariaLabel?: string;
  invalid?: boolean;
  className?: string;
}) {
  const listId = `${id}-list`;
  const [open, setOpen] = React.useState(false);
  const [query, setQuery] = React.useState("");
  // What the last search found (null before any): without a query the page's first customers show.
  const [found, setFound] = React.useState<{ options: CustomerOption[]; total: number } | null>(null);
  const [searching, setSearching] = React.useState(false);
  const [failed, setFailed] = React.useState<string | null>(null);
  const [active, setActive] = React.useState(0);
  const asked = React.useRef(0);
  const timer = React.useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  React.useEffect(() => () => clearTimeout(timer.current), []);

  const shown = query.trim() ? (found ?? { options: [], total: 0 }) : initial;
  // The list: "none" first, the chosen customer next when the first page does not have it, then the customers shown.
  const keepChosen = !query.trim() && value && !shown.options.some((o) => o.id === value.id);
  const options: (CustomerOption | null)[] = [null, ...(keepChosen ? [value] : []), ...shown.options];

  const search = (text: string) => {
    setQuery(text);
    setOpen(true);
    setActive(0);
    clearTimeout(timer.current);
    const n = ++asked.current;
    const q = text.trim();
    setFailed(null);
    if (!q) return setSearching(false);
    setSearching(true);
    timer.current = setTimeout(async () => {
      const r = await searchCustomersAction(orgSlug, { q, perPage: SHOWN }).catch(() => null);
      if (n !== asked.current) return; // typed on, or closed, meanwhile: a later answer counts
      setSearching(false);
      if (r?.ok) {
        setFound(r.data);
        setActive(r.data.options.length ? 1 : 0);
      } else setFailed(r?.error ?? "Could not reach the server. Check your connection and try again.");
    }, 150);
  };

  const close = () => {
    clearTimeout(timer.current);
    asked.current++;
    setOpen(false);
    setQuery("");
    setSearching(false);
    setFailed(null);
  };
  const choose = (c: CustomerOption | null) => {
    onChange(c);
    close();
  };
  const openList = () => {
    if (open) return;
    setOpen(true);
    setActive(Math.max(0, options.findIndex((o) => (o?.id ?? null) === (value?.id ?? null))));
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (!open) return openList();
      const step = e.key === "ArrowDown" ? 1 : -1;
      setActive((a) => (a + step + options.length) % options.length);
    } else if (e.key === "Enter") {
      if (!open) return; // Enter on a closed picker submits the form, as in any field
      e.preventDefault();
      choose(options[active] ?? null);
    } else if (e.key === "Escape") {
      if (open) close();
    } else if (e.key === "Tab") {
      if (open) close();
    }
  };

  const more = shown.total - shown.options.length;
  const optionId = (i: number) => `${id}-opt-${i}`;
  // The active option stays in sight as the arrows move it through a list longer than its box.
  React.useEffect(() => {
    if (open) document.getElementById(`${id}-opt-${active}`)?.scrollIntoView({ block: "nearest" });
  }, [open, active, id]);
  return (
    <div className={cn("relative", className)}>
      {name && <input type="hidden" name={name} value={value?.id ?? ""} />}
      <input
        id={id}
        role="combobox"
        aria-label={ariaLabel}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open ? optionId(active) : undefined}
        aria-invalid={invalid || undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={open ? "Search by name or external ID" : noneLabel}
        value={open ? query : (value?.label ?? "")}
        onChange={(e) => search(e.target.value)}
        onFocus={(e) => e.currentTarget.select()}
        onClick={openList}
        onKeyDown={onKeyDown}
        onBlur={close}
        className={cn(
          "block h-9 w-full rounded-md border border-zinc-300 bg-white py-2 pr-8 pl-3 text-sm text-zinc-900 shadow-xs placeholder:text-zinc-500",
          "focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-0 focus-visible:outline-indigo-500/40",
          "aria-invalid:border-red-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:placeholder:text-zinc-400",
        )}
      />
      <span className="pointer-events-none absolute inset-y-0 right-2 flex items-center text-zinc-500 dark:text-zinc-400" aria-hidden>
        {searching ? <Loader2 className="size-4 animate-spin" /> : <ChevronsUpDown className="size-4" />}
      </span>
      {open && (
        <div
          // A press anywhere in the list (its scrollbar included) keeps the focus in the input, so the list stays open.
          onMouseDown={(e) => e.preventDefault()}
          className="absolute z-50 mt-1 w-full min-w-[16rem] overflow-hidden rounded-md border border-zinc-200 bg-white shadow-lg dark:border-zinc-700 dark:bg-zinc-900"
        >
          <ul id={listId} role="listbox" aria-label={ariaLabel ?? "Customers"} className="max-h-64 overflow-y-auto py-1 text-sm">
            {options.map((o, i) => {
              const selected = (o?.id ?? null) === (value?.id ?? null);
              return (
                <li
                  key={o?.id ?? ""}
                  id={optionId(i)}
                  role="option"
                  aria-selected={selected}
                  // mousedown, not click: the input keeps focus (its blur would close the list first)
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(o);
                  }}
                  onMouseMove={() => setActive(i)}
                  className={cn(
                    "flex cursor-pointer items-center gap-2 px-3 py-1.5 text-zinc-900 dark:text-zinc-100",
                    i === active && "bg-indigo-50 dark:bg-indigo-950",
                    !o && "text-zinc-600 dark:text-zinc-300",
                  )}
                >
                  <Check className={cn("size-4 shrink-0 text-indigo-600 dark:text-indigo-400", !selected && "invisible")} aria-hidden />
                  <span className="truncate">{o?.label ?? noneLabel}</span>
                </li>
              );
            })}
          </ul>
          <p role="status" className="border-t border-zinc-200 px-3 py-1.5 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
            {failed
              ? failed
              : searching
                ? "Searching…"
                : query.trim() && shown.options.length === 0
                  ? `No customer matches “${query.trim()}”.`
                  : more > 0
                    ? `${shown.options.length} of ${shown.total.toLocaleString("en-US")} shown: type to find the others.`
                    : `${shown.total.toLocaleString("en-US")} ${shown.total === 1 ? "customer" : "customers"}.`}
          </p>
        </div>
      )}
    </div>
  );
}
