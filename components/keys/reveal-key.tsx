"use client";
// Owns "Copy key" for recoverable keys: asks to re-authenticate when needed, then shows the token
// once in a dialog (the server records every reveal in the audit log).
import * as React from "react";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Input } from "@/components/ui/field";
import { useReauthAction } from "@/components/auth/reauth-dialog";
import { revealKeyAction } from "@/app/_actions/keys";

type Target = { id: string; name: string; orgSlug: string };

export function useRevealKey() {
  const reveal = useReauthAction(revealKeyAction);
  const [shown, setShown] = React.useState<{ name: string; token: string } | null>(null);
  const { run } = reveal;
  const request = React.useCallback(
    (k: Target) => void run([k.orgSlug, { keyId: k.id }], { onSuccess: ({ token }) => setShown({ name: k.name, token }) }),
    [run],
  );
  const dialogs = (
    <>
      {reveal.dialog}
      <Dialog open={!!shown} onOpenChange={(o) => !o && setShown(null)}>
        <DialogContent title={`Key “${shown?.name ?? ""}”`} description="This reveal is recorded in the organization's audit log. Close this dialog when you have copied the key.">
          <div className="flex items-center gap-2">
            <Input readOnly value={shown?.token ?? ""} aria-label="Revealed API key" data-testid="revealed-token" className="font-mono text-xs" onFocus={(e) => e.currentTarget.select()} />
            {shown && <CopyButton value={shown.token} label="Copy key" />}
          </div>
          <DialogFooter>
            <Button variant="secondary" onClick={() => setShown(null)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
  return { reveal: request, pending: reveal.pending, dialogs };
}
