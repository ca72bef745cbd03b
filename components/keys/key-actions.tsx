"use client";
import * as React from "react";
import { useRouter } from "next/navigation";
import { ConfirmDialog } from "@/components/ui/confirm-button";
import { useAction } from "@/components/ui/use-action";
import { keyStatusAction } from "@/app/_actions/keys";
import { RollKeyDialog, type RollTarget } from "./roll-key-dialog";
import { useRevealKey } from "./reveal-key";

export type KeyAction = "suspend" | "reactivate" | "revoke" | "delete";
/** A key as the actions need it: which organization it belongs to decides where the action runs. */
type Target = { id: string; name: string; orgSlug: string };

const COPY: Record<KeyAction, { title: (n: string) => string; body: (n: string) => string; confirm: string; done: string }> = {
  suspend: {
    title: (n) => `Suspend ${n}?`,
    body: () => "Requests with the key are refused until it is reactivated. You can reactivate it at any time.",
    confirm: "Suspend",
    done: "suspended",
  },
  reactivate: { title: (n) => `Reactivate ${n}?`, body: () => "The key works again immediately.", confirm: "Reactivate", done: "reactivated" },
  revoke: {
    title: (n) => `Revoke ${n}?`,
    body: () => "Revoking is permanent: the key stops working at once and cannot be reactivated. Its history is kept.",
    confirm: "Revoke",
    done: "revoked",
  },
  delete: {
    title: (n) => `Delete ${n}?`,
    body: () => "The key stops working and disappears from the list. The audit log keeps its trace. This cannot be undone.",
    confirm: "Delete",
    done: "deleted",
  },
};

/** Confirmation and roll dialogs for key actions; `request` opens the right one. */
export function useKeyActions(opts: { onDone?: (action: KeyAction) => void } = {}) {
  const router = useRouter();
  const change = useAction(keyStatusAction);
  const [pending, setPending] = React.useState<{ action: KeyAction; targets: Target[] } | null>(null);
  const [roll, setRoll] = React.useState<RollTarget | null>(null);
  const { reveal, dialogs: revealDialogs } = useRevealKey();

  const label = (targets: Target[]) => (targets.length === 1 ? `“${targets[0].name}”` : `${targets.length} keys`);
  const dialogs = (
    <>
      {pending && (
        <ConfirmDialog
          open
          onOpenChange={(o) => !o && setPending(null)}
          title={COPY[pending.action].title(label(pending.targets))}
          description={COPY[pending.action].body(label(pending.targets))}
          confirmLabel={COPY[pending.action].confirm}
          onConfirm={async () => {
            const { action, targets } = pending;
            // Keys of several organizations (the account view) change one organization at a time.
            const bySlug = new Map<string, Target[]>();
            for (const t of targets) bySlug.set(t.orgSlug, [...(bySlug.get(t.orgSlug) ?? []), t]);
            let r: Awaited<ReturnType<typeof change.run>> | undefined;
            for (const [slug, group] of bySlug) {
              r = await change.run([slug, { action, keyIds: group.map((t) => t.id) }], {
                success: `${targets.length === 1 ? targets[0].name : `${group.length} key${group.length === 1 ? "" : "s"}`} ${COPY[action].done}`,
              });
              if (!r?.ok) break;
            }
            if (r?.ok) {
              opts.onDone?.(action);
              router.refresh();
            }
            return r?.ok ?? true;
          }}
        />
      )}
      {revealDialogs}
      <RollKeyDialog
        target={roll}
        onClose={() => {
          setRoll(null);
          router.refresh();
        }}
      />
    </>
  );
  const request = React.useCallback((action: KeyAction, targets: Target[]) => setPending({ action, targets }), []);
  const { run } = change;
  /**
   * The Active switch: off asks for confirmation (suspending stops a live integration), on
   * reactivates at once. Resolves when the change is done (or the dialog is open).
   */
  const setActive = React.useCallback(
    async (target: Target, active: boolean) => {
      if (!active) return request("suspend", [target]);
      const r = await run([target.orgSlug, { action: "reactivate", keyIds: [target.id] }], { success: `${target.name} reactivated` });
      // On success the action's answer carries the refreshed page; on failure (the key changed
      // elsewhere, the role was lowered) the switch must show the key as it really is.
      if (!r?.ok) router.refresh();
    },
    [request, run, router],
  );
  return { request, setActive, roll: setRoll, reveal, dialogs };
}
