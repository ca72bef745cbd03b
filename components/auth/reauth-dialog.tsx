"use client";
// Owns asking a person to prove who they are again before a sensitive action, then retrying it.
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { reauthenticateAction } from "@/app/_actions/security";

type Result<T> = { ok: true; data: T } | { ok: false; error: string; code?: string; fieldErrors?: Record<string, string[]> };
type RunOptions<T> = { success?: string | ((data: T) => string); onSuccess?: (data: T) => void };

function ReauthDialog({ open, onDone, onCancel }: { open: boolean; onDone: () => void; onCancel: () => void }) {
  const confirm = useAction(reauthenticateAction);
  return (
    <Dialog open={open} onOpenChange={(o) => !o && onCancel()}>
      <DialogContent title="Confirm it's you" description="This is a sensitive action. Enter your password, or a code from your authenticator app, to continue.">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const credential = String(new FormData(e.currentTarget).get("credential") ?? "");
            void confirm.run([{ credential }]).then((r) => r?.ok && onDone());
          }}
        >
          <Field label="Password or authentication code" htmlFor="reauth-credential" errors={confirm.fieldErrors.credential}>
            <Input id="reauth-credential" name="credential" type="password" autoComplete="current-password" autoFocus aria-invalid={!!confirm.fieldErrors.credential} />
          </Field>
          <DialogFooter>
            <Button type="button" variant="secondary" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" pending={confirm.pending}>
              Confirm
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

/**
 * useAction for a sensitive action: when the server answers `reauth_required`, a dialog asks for
 * the password or a code and the action runs again with the same input. Render `dialog`.
 */
export function useReauthAction<A extends unknown[], T>(action: (...args: A) => Promise<Result<T>>) {
  const inner = useAction(action);
  const [pendingRetry, setPendingRetry] = React.useState<{ retry: () => void; cancel: () => void } | null>(null);
  const { run: innerRun } = inner;
  const run = React.useCallback(
    async (args: A, opts: RunOptions<T> = {}): Promise<Result<T> | undefined> => {
      const first = await innerRun(args, opts);
      if (!first || first.ok || first.code !== "reauth_required") return first;
      return new Promise((resolve) => {
        setPendingRetry({
          retry: () => {
            setPendingRetry(null);
            void innerRun(args, opts).then(resolve);
          },
          cancel: () => {
            setPendingRetry(null);
            resolve(first);
          },
        });
      });
    },
    [innerRun],
  );
  const dialog = <ReauthDialog open={!!pendingRetry} onDone={() => pendingRetry?.retry()} onCancel={() => pendingRetry?.cancel()} />;
  return { ...inner, run, dialog, error: inner.error && pendingRetry ? null : inner.error };
}
