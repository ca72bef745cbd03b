"use client";
// Owns a JSON value remembered in the browser's local storage: read after hydration (the server
// renders `fallback`), written through, and shared by every component (and tab) using the same key.
import * as React from "react";

const EVENT = "latchkey:stored-state";
/** This page view's values, for browsers where local storage is unavailable. */
const memory = new Map<string, string>();

function subscribe(onChange: () => void) {
  window.addEventListener("storage", onChange);
  window.addEventListener(EVENT, onChange);
  return () => {
    window.removeEventListener("storage", onChange);
    window.removeEventListener(EVENT, onChange);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null; // storage disabled (private mode, policy)
  }
}

/**
 * `[value, set]` for the JSON value stored under `key`, `fallback` until one is saved or when the
 * stored one does not parse. `parse` may reject (return null) a value of an older shape.
 */
export function useStoredState<T>(key: string, fallback: T, parse: (raw: unknown) => T | null = (v) => v as T): [T, (next: T) => void] {
  // The raw string is the snapshot: stable between renders, so no re-render loop.
  const raw = React.useSyncExternalStore(
    subscribe,
    () => read(key),
    () => null,
  );
  const value = React.useMemo(() => {
    if (raw === null) return fallback;
    try {
      return parse(JSON.parse(raw)) ?? fallback;
    } catch {
      return fallback;
    }
  }, [raw, fallback, parse]);
  const set = React.useCallback(
    (next: T) => {
      const json = JSON.stringify(next);
      memory.set(key, json);
      try {
        window.localStorage.setItem(key, json);
      } catch {
        // Not remembered across visits, but it applies for this page view (memory).
      }
      window.dispatchEvent(new Event(EVENT));
    },
    [key],
  );
  return [value, set];
}
