"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { createOrganizationAction } from "@/app/_actions/organizations";

export function NewOrganizationForm() {
  const router = useRouter();
  const { run, pending, fieldErrors } = useAction(createOrganizationAction);
  return (
    <Card className="p-6">
      <form
        className="space-y-4"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void run([Object.fromEntries(new FormData(e.currentTarget))], {
            success: "Organization created",
            onSuccess: ({ slug }) => router.push(`/orgs/${slug}/settings`),
          });
        }}
      >
        <Field label="Name" htmlFor="org-name" errors={fieldErrors.name}>
          <Input id="org-name" name="name" required maxLength={100} aria-invalid={!!fieldErrors.name} />
        </Field>
        <Field label="Slug" htmlFor="org-slug" errors={fieldErrors.slug} hint="Used in URLs. Leave empty to derive it from the name.">
          <Input id="org-slug" name="slug" placeholder="acme-inc" aria-invalid={!!fieldErrors.slug} />
        </Field>
        <div className="flex justify-end">
          <Button type="submit" pending={pending}>
            Create organization
          </Button>
        </div>
      </form>
    </Card>
  );
}
