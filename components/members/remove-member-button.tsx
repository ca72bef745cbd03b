"use client";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-button";
import { Select } from "@/components/ui/field";
import { useReauthAction } from "@/components/auth/reauth-dialog";
import { removeMemberAction } from "@/app/_actions/organizations";

type Fate = "keep" | "transfer" | "revoke";

/** Removal asks what happens to the member's keys: transfer them, revoke them, or keep them (they stop working). */
export function RemoveMemberButton({ slug, member, keyCount, others }: { slug: string; member: { userId: string; label: string }; keyCount: number; others: { id: string; label: string }[] }) {
  const [open, setOpen] = React.useState(false);
  const [fate, setFate] = React.useState<Fate>(keyCount ? "transfer" : "keep");
  const [to, setTo] = React.useState(others[0]?.id ?? "");
  const remove = useReauthAction(removeMemberAction);
  return (
    <>
      <Button variant="ghost" size="sm" onClick={() => setOpen(true)}>
        Remove
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Remove ${member.label}?`}
        confirmLabel="Remove member"
        description={
          <span className="block space-y-3">
            <span className="block">{member.label} will lose access to this organization at once. You can invite them again later.</span>
            {keyCount > 0 && (
              <span className="block space-y-2 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
                <span className="block font-medium text-zinc-800 dark:text-zinc-200">
                  They own {keyCount} key{keyCount === 1 ? "" : "s"} here.
                </span>
                {(
                  [
                    ["transfer", "Transfer them to"],
                    ["revoke", "Revoke them"],
                    ["keep", "Keep them (they stop working until transferred)"],
                  ] as const
                ).map(([value, label]) => (
                  <label key={value} className="flex items-center gap-2">
                    <input type="radio" name="key-fate" value={value} checked={fate === value} onChange={() => setFate(value)} />
                    {label}
                    {value === "transfer" && (
                      <Select aria-label="New owner of the keys" value={to} onChange={(e) => setTo(e.target.value)} className="ml-1 h-8 w-auto" disabled={fate !== "transfer"}>
                        {others.map((o) => (
                          <option key={o.id} value={o.id}>
                            {o.label}
                          </option>
                        ))}
                      </Select>
                    )}
                  </label>
                ))}
              </span>
            )}
          </span>
        }
        onConfirm={async () => {
          const r = await remove.run([slug, { userId: member.userId, keys: fate, transferTo: fate === "transfer" ? to : undefined }], { success: `${member.label} was removed` });
          return r?.ok ?? true;
        }}
      />
      {remove.dialog}
    </>
  );
}
