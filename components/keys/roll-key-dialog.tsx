"use client";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { Field, Input, Select } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { rollKeyAction } from "@/app/_actions/keys";
import { GRACE_LABELS, GRACE_PERIODS, type GracePeriod } from "@/lib/keys/grace";
import { absoluteTime } from "@/lib/format";
import { TokenReveal } from "./token-reveal";

export type RollTarget = { id: string; name: string; expired: boolean; orgSlug: string; defaultGrace: GracePeriod };

export function RollKeyDialog({ target, onClose }: { target: RollTarget | null; onClose: () => void }) {
  const roll = useAction(rollKeyAction);
  const [result, setResult] = React.useState<{ token: string; type: "secret" | "public"; until: string | null; recoverable: boolean } | null>(null);
  const close = () => {
    setResult(null);
    roll.reset();
    onClose();
  };
  return (
    <Dialog open={target !== null} onOpenChange={(o) => !o && close()}>
      {target && (
        <DialogContent
          title={result ? "New key issued" : target.expired ? `Renew “${target.name}”` : `Roll “${target.name}”`}
          description={
            result
              ? undefined
              : target.expired
                ? "This key has expired. Rolling it issues a new token and a new expiry; the key becomes active again."
                : "Issues a new token for the same key: same id, name, permissions and settings."
          }
        >
          {result ? (
            <div className="space-y-4">
              <TokenReveal
                token={result.token}
                type={result.type}
                recoverable={result.recoverable}
                note={result.until ? `The previous token keeps working until ${absoluteTime(result.until)}.` : "The previous token no longer works."}
              />
              <DialogFooter>
                <Button onClick={close}>Done</Button>
              </DialogFooter>
            </div>
          ) : (
            <form
              className="space-y-4"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                const f = new FormData(e.currentTarget);
                const expires = String(f.get("expiresAt") ?? "");
                void roll.run(
                  [target.orgSlug, { id: target.id, grace: f.get("grace") ?? undefined, expiresAt: expires ? new Date(expires).toISOString() : null }],
                  { success: "Key rolled", onSuccess: (d) => setResult({ token: d.token, type: d.type, until: d.previousTokenValidUntil, recoverable: d.recoverable }) },
                );
              }}
            >
              {target.expired ? (
                <Field label="New expiry" htmlFor="roll-expires" errors={roll.fieldErrors.expiresAt}>
                  <Input id="roll-expires" name="expiresAt" type="datetime-local" required />
                </Field>
              ) : (
                <Field label="Old token keeps working for" htmlFor="roll-grace" errors={roll.fieldErrors.grace} hint="Never past the key's own expiry.">
                  <Select id="roll-grace" name="grace" defaultValue={target.defaultGrace}>
                    {GRACE_PERIODS.map((g) => (
                      <option key={g} value={g}>
                        {GRACE_LABELS[g]}
                      </option>
                    ))}
                  </Select>
                </Field>
              )}
              <DialogFooter>
                <Button type="button" variant="secondary" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" pending={roll.pending}>
                  {target.expired ? "Renew key" : "Roll key"}
                </Button>
              </DialogFooter>
            </form>
          )}
        </DialogContent>
      )}
    </Dialog>
  );
}
