"use client";
import * as React from "react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { FormError } from "@/components/ui/field";
import { useReauthAction } from "@/components/auth/reauth-dialog";
import { setTwoFactorRequirementAction } from "@/app/_actions/organizations";

/** The organization policy "Require two-factor authentication" (owners and admins; re-authentication). */
export function TwoFactorRequirement({ slug, required, canEdit, selfHasTwoFactor }: { slug: string; required: boolean; canEdit: boolean; selfHasTwoFactor: boolean }) {
  const save = useReauthAction(setTwoFactorRequirementAction);
  const [on, setOn] = React.useState(required);
  return (
    <Card>
      <CardHeader
        title="Two-factor authentication"
        description="When required, members without two-factor authentication are sent to set it up before they can open this organization. API keys keep working."
      />
      <div className="space-y-4 p-5 text-sm">
        <p>
          Status:{" "}
          <strong data-testid="two-factor-requirement">{on ? "Required of every member" : "Not required"}</strong>
        </p>
        {!canEdit && <p className="text-zinc-600 dark:text-zinc-400">Only owners and admins can change this.</p>}
        {canEdit && !on && !selfHasTwoFactor && (
          <p className="text-zinc-600 dark:text-zinc-400">
            Turn on two-factor for your own account first on your{" "}
            <Link href="/account/security" className="font-medium text-indigo-700 underline dark:text-indigo-300">
              security page
            </Link>
            .
          </p>
        )}
        <FormError message={save.error} />
        {canEdit && (
          <div className="flex justify-end">
            <Button
              variant={on ? "secondary" : "primary"}
              pending={save.pending}
              disabled={!on && !selfHasTwoFactor}
              onClick={() =>
                void save.run([slug, { requireTwoFactor: !on }], {
                  success: on ? "Two-factor is no longer required" : "Two-factor is now required",
                  onSuccess: (d) => setOn(d.requireTwoFactor),
                })
              }
            >
              {on ? "Stop requiring two-factor" : "Require two-factor authentication"}
            </Button>
          </div>
        )}
      </div>
      {save.dialog}
    </Card>
  );
}
