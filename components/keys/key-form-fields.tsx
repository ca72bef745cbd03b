"use client";
import * as React from "react";
import { Field, Input, Select, Textarea } from "@/components/ui/field";
import { isPublicSafePermission, KEY_ENVIRONMENTS, ENV_LABELS, type KeyType } from "@/lib/keys/key-names";
import type { KeyView } from "@/lib/keys/view";
import { CreditFields, readCredits } from "@/components/credits/credit-fields";
import { NamedLimitFields, readNamedLimits } from "@/components/limits/named-limit-fields";
import { CustomerPicker, type CustomerOption } from "@/components/customers/customer-picker";
import { customerLabel } from "@/lib/customers/names";

export type KeyFormContext = {
  orgSlug: string;
  catalog: { name: string; description: string | null; builtin: boolean }[];
  members: { id: string; label: string }[];
  /** The organization's first customers by name, and how many it has (the picker searches the rest). */
  customers: { options: CustomerOption[]; total: number };
  myUserId: string;
  isAdmin: boolean;
  policy: { requireExpiry: boolean; maxLifetimeDays: number | null };
};

const EXPIRY_PRESETS = [
  ["", "Never"],
  ["7", "In 7 days"],
  ["30", "In 30 days"],
  ["90", "In 90 days"],
  ["365", "In 1 year"],
  ["custom", "Custom date…"],
] as const;
/** Turns the form into the input the create/update schemas expect. */
export function readKeyForm(form: HTMLFormElement): Record<string, unknown> {
  const f = new FormData(form);
  const str = (k: string) => String(f.get(k) ?? "");
  const preset = str("expiresPreset");
  let expiresAt: string | null = null;
  if (preset === "custom") expiresAt = str("expiresCustom") ? new Date(str("expiresCustom")).toISOString() : "";
  else if (preset === "keep") expiresAt = str("expiresKeep") || null;
  else if (preset) expiresAt = new Date(Date.now() + Number(preset) * 86_400_000).toISOString();
  return {
    name: str("name"),
    description: str("description"),
    ownerId: str("ownerId") || undefined,
    type: f.get("type") ?? undefined,
    environment: f.get("environment") ?? undefined,
    permissions: f.getAll("permissions").map(String),
    rules: str("rules"),
    ipAllowlist: str("ipAllowlist"),
    ratelimits: readNamedLimits(f),
    expiresAt: expiresAt === "" ? "invalid" : expiresAt,
    metadata: str("metadata"),
    externalId: str("externalId"),
    customerId: str("customerId") || null,
    credits: readCredits(f),
  };
}

function groupByResource(names: { name: string; description: string | null }[]) {
  const groups = new Map<string, { name: string; description: string | null }[]>();
  for (const p of names) {
    const resource = p.name.split(":")[0];
    groups.set(resource, [...(groups.get(resource) ?? []), p]);
  }
  return [...groups.entries()];
}

export function KeyFormFields({ ctx, errors, initial, idPrefix = "key" }: { ctx: KeyFormContext; errors: Record<string, string[]>; initial?: KeyView; idPrefix?: string }) {
  const [type, setType] = React.useState<KeyType>(initial?.type ?? "secret");
  const [preset, setPreset] = React.useState<string>(initial?.expiresAt ? "keep" : ctx.policy.requireExpiry || ctx.policy.maxLifetimeDays ? "30" : "");
  const id = (s: string) => `${idPrefix}-${s}`;
  const err = (k: string) => errors[k];
  const selected = new Set(initial?.permissions ?? []);
  const [customer, setCustomer] = React.useState<CustomerOption | null>(initial?.customer ? { id: initial.customer.id, label: customerLabel(initial.customer) } : null);
  return (
    <div className="space-y-4">
      <Field label="Name" htmlFor={id("name")} errors={err("name")}>
        <Input id={id("name")} name="name" required maxLength={100} defaultValue={initial?.name} aria-invalid={!!err("name")} placeholder="Billing service" />
      </Field>
      <Field label="Description" htmlFor={id("description")} errors={err("description")}>
        <Input id={id("description")} name="description" maxLength={500} defaultValue={initial?.description ?? ""} placeholder="Optional" />
      </Field>
      <Field
        label="Customer"
        htmlFor={id("customer")}
        errors={err("customerId")}
        hint={ctx.customers.total ? "Verification answers name the customer. Type to search by name or external ID." : "No customers yet: add them under Settings → Customers."}
      >
        <CustomerPicker
          id={id("customer")}
          orgSlug={ctx.orgSlug}
          name="customerId"
          value={customer}
          onChange={setCustomer}
          initial={ctx.customers}
          noneLabel="No customer"
          invalid={!!err("customerId")}
        />
      </Field>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Owner" htmlFor={id("owner")} errors={err("ownerId")} hint="The key acts with this member's rights.">
          <Select id={id("owner")} name="ownerId" defaultValue={initial?.ownerId ?? ctx.myUserId} disabled={!ctx.isAdmin}>
            {ctx.members.map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </Select>
        </Field>
        {!initial && (
          <Field label="Environment" htmlFor={id("environment")} errors={err("environment")} hint="Cannot be changed later.">
            <Select id={id("environment")} name="environment" defaultValue="production">
              {KEY_ENVIRONMENTS.map((e) => (
                <option key={e} value={e}>
                  {ENV_LABELS[e]}
                </option>
              ))}
            </Select>
          </Field>
        )}
      </div>
      {!initial && (
        <fieldset>
          <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Type</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {(
              [
                ["secret", "Secret", "Server-side only. Shown once."],
                ["public", "Public", "Identifies an app; read-only permissions."],
              ] as const
            ).map(([value, label, hint]) => (
              <label key={value} className="flex cursor-pointer gap-2 rounded-md border border-zinc-300 p-3 text-sm has-checked:border-indigo-500 has-checked:bg-indigo-50/50 dark:border-zinc-700 dark:has-checked:bg-indigo-950/40">
                <input type="radio" name="type" value={value} checked={type === value} onChange={() => setType(value)} className="mt-0.5" />
                <span>
                  <span className="font-medium">{label}</span>
                  <span className="block text-xs text-zinc-500 dark:text-zinc-400">{hint}</span>
                </span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-zinc-800 dark:text-zinc-200">Permissions</legend>
        <div className="max-h-48 space-y-3 overflow-y-auto rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          {groupByResource(ctx.catalog).map(([resource, perms]) => (
            <div key={resource}>
              <p className="mb-1 text-xs font-semibold text-zinc-500 uppercase dark:text-zinc-400">{resource}</p>
              <div className="flex flex-wrap gap-x-4 gap-y-1">
                {perms.map((p) => {
                  const blocked = type === "public" && !isPublicSafePermission(p.name);
                  return (
                    <label key={p.name} className={`flex items-center gap-1.5 text-sm ${blocked ? "opacity-50" : ""}`} title={blocked ? "Public keys hold only :read or :public permissions" : (p.description ?? undefined)}>
                      <input type="checkbox" name="permissions" value={p.name} defaultChecked={selected.has(p.name)} disabled={blocked} />
                      <span className="font-mono text-xs">{p.name}</span>
                    </label>
                  );
                })}
              </div>
            </div>
          ))}
        </div>
        {err("permissions")?.map((e) => (
          <p key={e} role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
            {e}
          </p>
        ))}
      </fieldset>
      <NamedLimitFields
        initial={initial?.ratelimits}
        errors={errors}
        idPrefix={idPrefix}
        hint="Each limit counts this key's requests in a sliding window; a request may name the limits it uses, otherwise all apply. A limit named like one of its customer's replaces that one for this key."
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field
          label="Expires"
          htmlFor={id("expires")}
          errors={err("expiresAt")}
          hint={ctx.policy.maxLifetimeDays ? `Policy: at most ${ctx.policy.maxLifetimeDays} days.` : ctx.policy.requireExpiry ? "Policy: an expiry is required." : undefined}
        >
          <Select id={id("expires")} name="expiresPreset" value={preset} onChange={(e) => setPreset(e.target.value)}>
            {initial?.expiresAt && <option value="keep">Keep ({new Date(initial.expiresAt).toLocaleDateString()})</option>}
            {EXPIRY_PRESETS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </Select>
          {initial?.expiresAt && <input type="hidden" name="expiresKeep" value={initial.expiresAt} />}
        </Field>
        {preset === "custom" && (
          <Field label="Expiry date" htmlFor={id("expires-custom")}>
            <Input id={id("expires-custom")} name="expiresCustom" type="datetime-local" required />
          </Field>
        )}
      </div>
      <details className="group rounded-md border border-zinc-200 dark:border-zinc-800" open={Boolean(initial?.rules || initial?.ipAllowlist.length || err("rules") || err("ipAllowlist") || err("metadata"))}>
        <summary className="cursor-pointer px-3 py-2 text-sm font-medium">Restrictions and metadata</summary>
        <div className="space-y-4 border-t border-zinc-200 p-3 dark:border-zinc-800">
          <Field label="Rules" htmlFor={id("rules")} errors={err("rules")} hint={'One per line: "allow GET,HEAD /v1/customers/**" or "deny * /v1/admin/**". First match wins.'}>
            <Textarea id={id("rules")} name="rules" rows={3} defaultValue={initial?.rules ?? ""} aria-invalid={!!err("rules")} />
          </Field>
          <Field label="IP allowlist" htmlFor={id("ips")} errors={err("ipAllowlist")} hint="Addresses or CIDR ranges, one per line. Empty: any address.">
            <Textarea id={id("ips")} name="ipAllowlist" rows={2} defaultValue={initial?.ipAllowlist.join("\n") ?? ""} aria-invalid={!!err("ipAllowlist")} />
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <CreditFields initial={initial?.credits} errors={errors} idPrefix={id("k")} />
            <Field label="External ID" htmlFor={id("external")} errors={err("externalId")} hint="E.g. the customer this key belongs to.">
              <Input id={id("external")} name="externalId" defaultValue={initial?.externalId ?? ""} />
            </Field>
            <Field label="Metadata (JSON)" htmlFor={id("metadata")} errors={err("metadata")}>
              <Textarea id={id("metadata")} name="metadata" rows={2} defaultValue={initial && Object.keys(initial.metadata).length ? JSON.stringify(initial.metadata) : ""} placeholder='{"plan":"pro"}' />
            </Field>
          </div>
        </div>
      </details>
    </div>
  );
}
