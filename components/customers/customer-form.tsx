"use client";
// Creating (a dialog), editing and deleting a customer: the fields, their errors, and confirmation.
import * as React from "react";
import { useRouter } from "next/navigation";
import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormError, Input, Textarea } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import type { CreditSettings } from "@/lib/credits/credit-names";
import { CreditFields, readCredits } from "@/components/credits/credit-fields";
import { NamedLimitFields, readNamedLimits } from "@/components/limits/named-limit-fields";
import type { NamedLimit } from "@/lib/limits/named-limits";
import { createCustomerAction, deleteCustomerAction, updateCustomerAction } from "@/app/_actions/customers";

type Initial = { id: string; externalId: string; name: string; metadata: Record<string, unknown>; credits: CreditSettings | null; ratelimits: NamedLimit[] };

function read(form: HTMLFormElement) {
  const f = new FormData(form);
  return { name: String(f.get("name") ?? ""), externalId: String(f.get("externalId") ?? ""), metadata: String(f.get("metadata") ?? ""), credits: readCredits(f), ratelimits: readNamedLimits(f) };
}

function Fields({ initial, errors }: { initial?: Initial; errors: Record<string, string[]> }) {
  return (
    <div className="space-y-4">
      <Field label="Name" htmlFor="customer-name" errors={errors.name}>
        <Input id="customer-name" name="name" required maxLength={200} defaultValue={initial?.name} placeholder="Acme Inc." />
      </Field>
      <Field label="External ID" htmlFor="customer-external" errors={errors.externalId} hint="The customer's id in your own system; unique in this organization.">
        <Input id="customer-external" name="externalId" required maxLength={255} defaultValue={initial?.externalId} placeholder="cus_42 or acme" />
      </Field>
      <CreditFields initial={initial?.credits} errors={errors} idPrefix="customer" />
      <NamedLimitFields
        initial={initial?.ratelimits}
        errors={errors}
        idPrefix="customer"
        hint="Shared by all of this customer's keys: together they count against each limit. A key's own limit of the same name replaces it for that key."
      />
      <Field label="Metadata (JSON)" htmlFor="customer-metadata" errors={errors.metadata} hint="Returned by verification with the customer. Up to 4 KiB.">
        <Textarea id="customer-metadata" name="metadata" rows={3} defaultValue={initial && Object.keys(initial.metadata).length ? JSON.stringify(initial.metadata, null, 2) : ""} placeholder='{"plan":"pro"}' />
      </Field>
    </div>
  );
}

export function CreateCustomerDialog({ slug }: { slug: string }) {
  const router = useRouter();
  const [open, setOpen] = React.useState(false);
  const create = useAction(createCustomerAction);
  return (
    <Dialog open={open} onOpenChange={(o) => (setOpen(o), o || create.reset())}>
      <DialogTrigger asChild>
        <Button>
          <Plus className="size-4" aria-hidden /> Add customer
        </Button>
      </DialogTrigger>
      <DialogContent title="Add customer" description="Keys scoped to a customer name it in every verification answer.">
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void create.run([slug, read(e.currentTarget)], {
              success: (c) => `${c.name} added`,
              onSuccess: (c) => {
                setOpen(false);
                router.push(`/orgs/${slug}/settings/customers/${c.id}`);
              },
            });
          }}
        >
          <Fields errors={create.fieldErrors} />
          {create.error && !Object.keys(create.fieldErrors).length ? <FormError message={create.error} /> : null}
          <DialogFooter>
            <Button type="submit" pending={create.pending}>
              Add customer
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

export function EditCustomerForm({ slug, customer, keyCount }: { slug: string; customer: Initial; keyCount: number }) {
  const router = useRouter();
  const update = useAction(updateCustomerAction);
  const del = useAction(deleteCustomerAction);
  const [confirming, setConfirming] = React.useState(false);
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        void update.run([slug, { id: customer.id, ...read(e.currentTarget) }], { success: "Customer saved", onSuccess: () => router.refresh() });
      }}
    >
      <Fields initial={customer} errors={update.fieldErrors} />
      {update.error && !Object.keys(update.fieldErrors).length ? <FormError message={update.error} /> : null}
      <div className="flex flex-wrap justify-between gap-2">
        <Button type="button" variant="danger" onClick={() => setConfirming(true)}>
          <Trash2 className="size-4" aria-hidden /> Delete customer
        </Button>
        <Button type="submit" pending={update.pending}>
          Save changes
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Delete “${customer.name}”?`}
        description={
          keyCount > 0
            ? `${keyCount} ${keyCount === 1 ? "key is" : "keys are"} scoped to this customer: Latchkey will refuse until they are deleted or scoped to another customer.`
            : "The customer is removed; the audit log keeps its trace. This cannot be undone."
        }
        confirmLabel="Delete customer"
        onConfirm={async () => {
          const r = await del.run([slug, { id: customer.id }], { success: "Customer deleted" });
          if (r?.ok) router.push(`/orgs/${slug}/settings/customers`);
          return r?.ok ?? false;
        }}
      />
    </form>
  );
}
