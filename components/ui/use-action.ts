"use client";
import * as React from "react";
import { toast } from "sonner";

type Result<T> = { ok: true; data: T } | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[]> };

/** Runs a server action with a pending flag, field errors for the form, and a toast for the outcome. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<Result<T>>) {
  const [pending, startTransition] = React.useTransition();
  const [fieldErrors, setFieldErrors] = React.useState<Record<string, string[]>>({});
  const [error, setError] = React.useState<string | null>(null);

  const run = React.useCallback(
    (args: A, opts: { success?: string | ((data: T) => string); onSuccess?: (data: T) => void } = {}) =>
      new Promise<Result<T> | undefined>((resolve) => {
        startTransition(async () => {
          let result: Result<T> | undefined;
          try {
            result = await action(...args);
          } catch (e) {
            // Next rejects the promise of an action that redirected: that is navigation, not failure.
            if (String((e as { digest?: unknown })?.digest ?? "").startsWith("NEXT_REDIRECT")) return resolve(undefined);
            result = { ok: false, error: "Could not reach the server. Check your connection and try again." };
          }
          // An action that redirects resolves to nothing: the router is already navigating.
          if (!result) return resolve(undefined);
          if (result.ok) {
            setFieldErrors({});
            setError(null);
            const msg = typeof opts.success === "function" ? opts.success(result.data) : opts.success;
            if (msg) toast.success(msg);
            opts.onSuccess?.(result.data);
          } else {
            setFieldErrors(result.fieldErrors ?? {});
            setError(result.error);
            // Field errors are shown beside their fields; a toast would repeat them (and cover the form).
            // A re-authentication request opens its dialog instead (components/auth/reauth-dialog.tsx).
            if (result.code !== "reauth_required" && (!result.fieldErrors || Object.keys(result.fieldErrors).length === 0)) toast.error(result.error);
          }
          resolve(result);
        });
      }),
    [action],
  );
  return { run, pending, fieldErrors, error, reset: () => (setFieldErrors({}), setError(null)) };
}
