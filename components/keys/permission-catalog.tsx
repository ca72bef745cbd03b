"use client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { Field, Input } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { addPermissionAction, removePermissionAction } from "@/app/_actions/keys";

type Entry = { name: string; description: string | null; builtin: boolean };

export function PermissionCatalog({ slug, catalog, canEdit }: { slug: string; catalog: Entry[]; canEdit: boolean }) {
  const add = useAction(addPermissionAction);
  const remove = useAction(removePermissionAction);
  return (
    <div className="space-y-6">
      {canEdit && (
        <Card>
          <CardHeader title="Add a permission" description='Name it "resource:action". Public keys can hold only permissions ending in :read or :public.' />
          <form
            className="grid gap-4 p-5 sm:grid-cols-[1fr_2fr_auto] sm:items-start"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const form = e.currentTarget;
              void add.run([slug, Object.fromEntries(new FormData(form))], { success: "Permission added", onSuccess: () => form.reset() });
            }}
          >
            <Field label="Name" htmlFor="perm-name" errors={add.fieldErrors.name}>
              <Input id="perm-name" name="name" placeholder="customers:read" className="font-mono" aria-invalid={!!add.fieldErrors.name} />
            </Field>
            <Field label="Description" htmlFor="perm-desc" errors={add.fieldErrors.description}>
              <Input id="perm-desc" name="description" placeholder="Optional" />
            </Field>
            <Button type="submit" pending={add.pending} className="sm:mt-6">
              Add permission
            </Button>
          </form>
        </Card>
      )}
      <Card>
        <CardHeader title={`${catalog.length} permissions`} />
        <ul className="divide-y divide-zinc-100 dark:divide-zinc-800/60">
          {catalog.map((p) => (
            <li key={p.name} className="flex flex-wrap items-center gap-3 px-5 py-3 text-sm" data-testid={`permission-${p.name}`}>
              <code className="font-mono">{p.name}</code>
              {p.builtin && <Badge>Built in</Badge>}
              <span className="min-w-0 flex-1 truncate text-zinc-500 dark:text-zinc-400">{p.description}</span>
              {canEdit && !p.builtin && (
                <ConfirmButton
                  variant="ghost"
                  size="sm"
                  title={`Remove ${p.name}?`}
                  description="Keys can no longer be given this permission. A permission still held by a key cannot be removed."
                  confirmLabel="Remove permission"
                  onConfirm={async () => {
                    const r = await remove.run([slug, { name: p.name }], { success: `${p.name} removed` });
                    return r?.ok ?? true;
                  }}
                >
                  Remove
                </ConfirmButton>
              )}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
