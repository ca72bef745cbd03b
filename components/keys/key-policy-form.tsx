"use client";
import * as React from "react";
import { ConfirmDialog } from "@/components/ui/confirm-button";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { useReauthAction } from "@/components/auth/reauth-dialog";
import { updatePolicyAction } from "@/app/_actions/keys";
import { GRACE_LABELS, GRACE_PERIODS } from "@/lib/keys/grace";
import type { KeyPolicy } from "@/lib/keys/policy";

export function KeyPolicyForm({ slug, policy, canEdit }: { slug: string; policy: KeyPolicy; canEdit: boolean }) {
  const save = useReauthAction(updatePolicyAction);
  const [recoverable, setRecoverable] = React.useState(policy.recoverable);
  const [confirmOff, setConfirmOff] = React.useState(false);
  const submit = (f: FormData) =>
    void save.run(
      [slug, { requireExpiry: f.get("requireExpiry") === "on", maxLifetimeDays: f.get("maxLifetimeDays"), defaultGrace: f.get("defaultGrace"), recoverable }],
      { success: "Key policy saved" },
    );
  const formRef = React.useRef<HTMLFormElement>(null);
  return (
    <Card>
      <form
        className="space-y-5 p-5"
        noValidate
        ref={formRef}
        onSubmit={(e) => {
          e.preventDefault();
          // Turning recoverable keys off deletes the stored tokens: ask first.
          if (policy.recoverable && !recoverable) setConfirmOff(true);
          else submit(new FormData(e.currentTarget));
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
        <label className="flex items-start gap-3 text-sm">
          <input type="checkbox" name="recoverable" checked={recoverable} onChange={(e) => setRecoverable(e.target.checked)} disabled={!canEdit} className="mt-1" />
          <span>
            <span className="font-medium">Recoverable keys</span>
            <span className="block text-zinc-500 dark:text-zinc-400">
              New secret keys are also stored encrypted, so that their owner or an admin can copy them again after confirming it&apos;s them; every copy is
              recorded in the audit log. Off by default. Keys created while this is off cannot be recovered; turning it off deletes the stored keys.
            </span>
            {save.fieldErrors.recoverable?.map((m) => (
              <span key={m} role="alert" className="block text-xs text-red-600 dark:text-red-400">
                {m}
              </span>
            ))}
          </span>
        </label>
        {canEdit && (
          <div className="flex justify-end">
            <Button type="submit" pending={save.pending}>
              Save policy
            </Button>
          </div>
        )}
      </form>
      {save.dialog}
      <ConfirmDialog
        open={confirmOff}
        onOpenChange={setConfirmOff}
        title="Turn off recoverable keys?"
        description="The stored copies of this organization's keys are deleted: no existing key can be copied again. The keys themselves keep working."
        confirmLabel="Turn off and save"
        onConfirm={async () => {
          if (formRef.current) submit(new FormData(formRef.current));
        }}
      />
    </Card>
  );
}
