"use client";
import * as React from "react";
import { Plus } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from "@/components/ui/dialog";
import { Field, FormError, Select } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { createKeyAction } from "@/app/_actions/keys";
import { KeyFormFields, readKeyForm, type KeyFormContext } from "./key-form-fields";
import { TokenReveal } from "./token-reveal";

type Created = { name: string; type: "secret" | "public"; token: string; another: boolean; recoverable: boolean };

export type CreateTarget = { slug: string; name: string; form: KeyFormContext };

/** Creates a key in one of `orgs` (a choice appears when there are several, as in the account view). */
export function CreateKeyDialog({ orgs, label = "Create API key" }: { orgs: CreateTarget[]; label?: string }) {
  const [open, setOpen] = React.useState(false);
  const [slug, setSlug] = React.useState(orgs[0]?.slug ?? "");
  const target = orgs.find((o) => o.slug === slug) ?? orgs[0];
  const [created, setCreated] = React.useState<Created | null>(null);
  const [formKey, setFormKey] = React.useState(0);
  const [another, setAnother] = React.useState(false);
  const create = useAction(createKeyAction);
  const close = () => {
    setOpen(false);
    setCreated(null);
    create.reset();
  };
  return (
    <Dialog open={open} onOpenChange={(o) => (o ? setOpen(true) : close())}>
      <DialogTrigger asChild>
        <Button>
          <Plus className="size-4" aria-hidden /> {label}
        </Button>
      </DialogTrigger>
      <DialogContent title={created ? `“${created.name}” created` : "Create API key"} className="max-w-2xl" description={created ? undefined : "Keys let services and scripts act as their owner, within the permissions you grant."}>
        {created ? (
          <div className="space-y-4">
            <TokenReveal token={created.token} type={created.type} recoverable={created.recoverable} />
            <DialogFooter>
              {created.another ? (
                <Button
                  onClick={() => {
                    setCreated(null);
                    setFormKey((k) => k + 1);
                  }}
                >
                  Create another
                </Button>
              ) : null}
              <Button variant={created.another ? "secondary" : "primary"} onClick={close}>
                Done
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <form
            key={formKey}
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (create.pending) return; // a double submit creates one key
              const wantAnother = (e.nativeEvent as SubmitEvent).submitter?.getAttribute("data-another") === "1";
              setAnother(wantAnother);
              void create.run([slug, readKeyForm(e.currentTarget)], {
                onSuccess: (d) => setCreated({ name: d.name, type: d.type, token: d.token, another: wantAnother, recoverable: d.recoverable }),
              });
            }}
          >
            {orgs.length > 1 && (
              <Field label="Organization" htmlFor="key-org" className="mb-4" hint="The key belongs to this organization and runs as you.">
                <Select id="key-org" value={slug} onChange={(e) => setSlug(e.target.value)}>
                  {orgs.map((o) => (
                    <option key={o.slug} value={o.slug}>
                      {o.name}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            <KeyFormFields key={slug} ctx={target.form} errors={create.fieldErrors} />
            <div className="mt-4">{create.error && !Object.keys(create.fieldErrors).length && <FormError message={create.error} />}</div>
            <DialogFooter>
              <Button type="button" variant="secondary" onClick={close} disabled={create.pending}>
                Cancel
              </Button>
              <Button type="submit" variant="secondary" data-another="1" pending={create.pending && another} disabled={create.pending}>
                Create &amp; create another
              </Button>
              <Button type="submit" pending={create.pending && !another} disabled={create.pending}>
                Create
              </Button>
            </DialogFooter>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
