"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { Field, Select } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { transferKeysAction } from "@/app/_actions/keys";
import type { KeyView } from "@/lib/keys/view";

/** Lets an admin hand a key to another member (restoring a key whose owner left). */
export function TransferKey({ keyView: k, members }: { keyView: KeyView; members: { id: string; label: string }[] }) {
  const router = useRouter();
  const transfer = useAction(transferKeysAction);
  const candidates = members.filter((m) => m.id !== k.ownerId);
  const inactive = k.status === "owner_inactive";
  return (
    <Card className={inactive ? "border-red-300 dark:border-red-900" : undefined}>
      <CardHeader
        title="Transfer key"
        description={
          inactive
            ? `${k.ownerLabel ?? "The owner"} is no longer a member, so this key does not work. Transfer it to a member to restore it.`
            : "The key will act with the new owner's rights."
        }
      />
      {candidates.length === 0 ? (
        <p className="px-5 py-4 text-sm text-zinc-600 dark:text-zinc-400">There is no other member to transfer it to. Invite someone first.</p>
      ) : (
      <form
        className="flex flex-wrap items-end gap-3 p-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const ownerId = String(new FormData(e.currentTarget).get("ownerId") ?? "");
          void transfer.run([k.orgSlug, { keyIds: [k.id], ownerId }], { success: "Key transferred", onSuccess: () => router.refresh() });
        }}
      >
        <Field label="New owner" htmlFor="transfer-owner" errors={transfer.fieldErrors.ownerId ?? transfer.fieldErrors.permissions} className="min-w-[16rem] flex-1">
          <Select id="transfer-owner" name="ownerId" defaultValue="">
            <option value="" disabled>
              Choose a member…
            </option>
            {candidates.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit" pending={transfer.pending}>
          Transfer
        </Button>
      </form>
      )}
    </Card>
  );
}
