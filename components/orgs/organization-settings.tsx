"use client";
import type * as React from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { leaveOrganizationAction, updateOrganizationAction } from "@/app/_actions/organizations";

export function OrganizationSettings({
  slug,
  name,
  canEdit,
  isPersonal,
  children,
}: {
  slug: string;
  name: string;
  canEdit: boolean;
  isPersonal: boolean;
  /** More settings cards, shown before the danger zone. */
  children?: React.ReactNode;
}) {
  const router = useRouter();
  const update = useAction(updateOrganizationAction);
  const leave = useAction(leaveOrganizationAction);
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader title="Organization" description={canEdit ? undefined : "Only owners and admins can change these settings."} />
        <form
          className="space-y-4 p-5"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void update.run([slug, Object.fromEntries(new FormData(e.currentTarget))], {
              success: "Organization updated",
              onSuccess: (d) => router.replace(`/orgs/${d.slug}/settings`),
            });
          }}
        >
          <Field label="Name" htmlFor="org-name" errors={update.fieldErrors.name}>
            <Input id="org-name" name="name" defaultValue={name} disabled={!canEdit} maxLength={100} aria-invalid={!!update.fieldErrors.name} />
          </Field>
          <Field label="Slug" htmlFor="org-slug" errors={update.fieldErrors.slug} hint="Changing the slug changes every URL of this organization.">
            <Input id="org-slug" name="slug" defaultValue={slug} disabled={!canEdit} aria-invalid={!!update.fieldErrors.slug} />
          </Field>
          {canEdit && (
            <div className="flex justify-end">
              <Button type="submit" pending={update.pending}>
                Save changes
              </Button>
            </div>
          )}
        </form>
      </Card>
      {children}
      <Card className="border-red-200 dark:border-red-900/60">
        <CardHeader
          title="Leave organization"
          description={
            isPersonal
              ? "This is your personal organization. You can leave it once another member is an owner."
              : "You will lose access to this organization and its keys."
          }
          actions={
            <ConfirmButton
              variant="danger"
              title="Leave this organization?"
              description={`You will lose access to ${name} immediately. An owner or admin will have to invite you again.`}
              confirmLabel="Leave organization"
              onConfirm={async () => {
                const r = await leave.run([slug, {}]);
                return r?.ok ?? true;
              }}
            >
              Leave
            </ConfirmButton>
          }
        />
      </Card>
    </div>
  );
}
