"use client";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { useReauthAction } from "@/components/auth/reauth-dialog";
import { updatePolicyAction } from "@/app/_actions/keys";
import { GRACE_LABELS, GRACE_PERIODS } from "@/lib/keys/grace";
import type { KeyPolicy } from "@/lib/keys/policy";

export function KeyPolicyForm({ slug, policy, canEdit }: { slug: string; policy: KeyPolicy; canEdit: boolean }) {
  const save = useReauthAction(updatePolicyAction);
  return (
    <Card>
      <form
        className="space-y-5 p-5"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          void save.run([slug, { requireExpiry: f.get("requireExpiry") === "on", maxLifetimeDays: f.get("maxLifetimeDays"), defaultGrace: f.get("defaultGrace") }], { success: "Key policy saved" });
        }}
      >
        {!canEdit && <p className="text-sm text-zinc-500 dark:text-zinc-400">Only owners and admins can change the key policy.</p>}
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="requireExpiry" defaultChecked={policy.requireExpiry} disabled={!canEdit} className="mt-1" />
          <span>
            <span className="font-medium">Require an expiry date</span>
            <span className="block text-zinc-500 dark:text-zinc-400">New and edited keys must have an expiry.</span>
          </span>
        </label>
        <Field label="Maximum lifetime (days)" htmlFor="policy-max" errors={save.fieldErrors.maxLifetimeDays} hint="Empty: no maximum. Setting one also requires an expiry.">
          <Input id="policy-max" name="maxLifetimeDays" type="number" min={1} max={3650} defaultValue={policy.maxLifetimeDays ?? ""} disabled={!canEdit} className="w-40" />
        </Field>
        <Field label="Default roll grace period" htmlFor="policy-grace" errors={save.fieldErrors.defaultGrace} hint="How long an old token keeps working after a roll, unless chosen otherwise.">
          <Select id="policy-grace" name="defaultGrace" defaultValue={policy.defaultGrace} disabled={!canEdit} className="w-56">
            {GRACE_PERIODS.map((g) => (
              <option key={g} value={g}>
                {GRACE_LABELS[g]}
              </option>
            ))}
          </Select>
        </Field>
        {canEdit && (
          <div className="flex justify-end">
            <Button type="submit" pending={save.pending}>
              Save policy
            </Button>
          </div>
        )}
      </form>
      {save.dialog}
    </Card>
  );
}
