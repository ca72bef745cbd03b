"use client";
import * as React from "react";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { SignOutEverywhereButton } from "./sign-out-everywhere";
import { changePasswordAction, deleteAccountAction, updateProfileAction } from "@/app/_actions/account";
import type { DeletionPreview } from "@/lib/auth/profile";

export function AccountSettings({ name, email, hasPassword, preview }: { name: string; email: string; hasPassword: boolean; preview: DeletionPreview }) {
  const profile = useAction(updateProfileAction);
  const password = useAction(changePasswordAction);
  const del = useAction(deleteAccountAction);
  const [confirm, setConfirm] = React.useState("");
  const keyCount = preview.keys.reduce((n, g) => n + g.keys.length, 0);
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Profile" />
        <form
          className="flex flex-wrap items-end gap-3 p-5"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void profile.run([Object.fromEntries(new FormData(e.currentTarget))], { success: "Profile saved" });
          }}
        >
          <Field label="Name" htmlFor="profile-name" errors={profile.fieldErrors.name} className="min-w-[16rem] flex-1">
            <Input id="profile-name" name="name" defaultValue={name} maxLength={100} />
          </Field>
          <Button type="submit" pending={profile.pending}>
            Save
          </Button>
        </form>
      </Card>

      <Card>
        <CardHeader title={hasPassword ? "Change password" : "Set a password"} />
        <form
          className="grid gap-4 p-5 sm:grid-cols-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const form = e.currentTarget;
            void password.run([Object.fromEntries(new FormData(form))], { success: "Password changed", onSuccess: () => form.reset() });
          }}
        >
          {hasPassword && (
            <Field label="Current password" htmlFor="pw-current" errors={password.fieldErrors.currentPassword}>
              <Input id="pw-current" name="currentPassword" type="password" autoComplete="current-password" />
            </Field>
          )}
          <Field label="New password" htmlFor="pw-new" errors={password.fieldErrors.newPassword} hint="At least 8 characters.">
            <Input id="pw-new" name="newPassword" type="password" autoComplete="new-password" />
          </Field>
          <Field label="Confirm new password" htmlFor="pw-confirm" errors={password.fieldErrors.confirmPassword}>
            <Input id="pw-confirm" name="confirmPassword" type="password" autoComplete="new-password" />
          </Field>
          <div className="flex justify-end sm:col-span-3">
            <Button type="submit" pending={password.pending}>
              Change password
            </Button>
          </div>
        </form>
      </Card>

      <Card>
        <CardHeader
          title="Sessions"
          description="Signs you out on every browser and device, this one included."
          actions={
            <SignOutEverywhereButton />
          }
        />
      </Card>

      <Card className="border-red-200 dark:border-red-900/60">
        <CardHeader title="Delete account" description="Permanently deletes your account. Organizations where you are the only member are deleted with it." />
        <div className="space-y-4 p-5 text-sm">
          {preview.blockers.length > 0 && (
            <FormError message={`You are the last owner of ${preview.blockers.map((b) => b.name).join(", ")}. Make another member an owner first.`} />
          )}
          {keyCount > 0 ? (
            <div>
              <p className="font-medium">These {keyCount} keys you own will be revoked:</p>
              <ul className="mt-2 space-y-1" data-testid="deletion-keys">
                {preview.keys.map((g) => (
                  <li key={g.orgSlug}>
                    <span className="text-zinc-500 dark:text-zinc-400">{g.orgName}:</span> {g.keys.map((k) => k.name).join(", ")}
                  </li>
                ))}
              </ul>
            </div>
          ) : (
            <p className="text-zinc-600 dark:text-zinc-400">You own no keys.</p>
          )}
          <Field label={`Type ${email} to confirm`} htmlFor="delete-confirm" errors={del.fieldErrors.confirm}>
            <Input id="delete-confirm" value={confirm} onChange={(e) => setConfirm(e.target.value)} autoComplete="off" />
          </Field>
          <div className="flex justify-end">
            <ConfirmButton
              variant="danger"
              disabled={confirm.trim().toLowerCase() !== email.toLowerCase() || preview.blockers.length > 0}
              title="Delete your account?"
              description={`Your account is deleted and ${keyCount} key${keyCount === 1 ? "" : "s"} revoked. This cannot be undone.`}
              confirmLabel="Delete account"
              onConfirm={async () => {
                const r = await del.run([{ confirm }]);
                return r?.ok ?? true;
              }}
            >
              Delete account
            </ConfirmButton>
          </div>
        </div>
      </Card>
    </div>
  );
}
