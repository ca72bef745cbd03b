"use client";
import * as React from "react";
import { useRouter } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { CreditsLine } from "@/components/credits/credits-line";
import { FormError } from "@/components/ui/field";
import { useAction } from "@/components/ui/use-action";
import { updateKeyAction } from "@/app/_actions/keys";
import { absoluteTime, formatWindow } from "@/lib/format";
import type { KeyView } from "@/lib/keys/view";
import { EnvironmentBadge, KeyStatusBadge } from "./key-badges";
import { KeyFormFields, readKeyForm, type KeyFormContext } from "./key-form-fields";
import { useKeyActions } from "./key-actions";
import { TransferKey } from "./transfer-key";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1 py-2.5 sm:grid-cols-[10rem_1fr]">
      <dt className="text-sm text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="min-w-0 text-sm break-words">{children}</dd>
    </div>
  );
}

const SECTIONS = [
  { id: "summary", label: "Summary" },
  { id: "usage", label: "Usage" },
  { id: "settings", label: "Settings" },
  { id: "activity", label: "Activity" },
] as const;

/** One part of the key page, reachable from the section links (#summary, #usage, …). */
function Section({ id, title, description, children }: { id: (typeof SECTIONS)[number]["id"]; title: string; description?: string; children: React.ReactNode }) {
  return (
    // scroll-mt: the anchor lands below the sticky header and section links.
    <section id={id} aria-labelledby={`${id}-heading`} className="scroll-mt-28 space-y-4">
      <div>
        <h2 id={`${id}-heading`} className="text-sm font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
          {title}
        </h2>
        {description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>}
      </div>
      {children}
    </section>
  );
}

/** Links to the page's sections; stays in view under the app header while reading. */
function SectionLinks() {
  return (
    <nav aria-label="Sections of this key" className="sticky top-14 z-20 -mx-1 overflow-x-auto border-b border-zinc-200 bg-zinc-50/95 px-1 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/95">
      <ul className="flex gap-1 py-2 text-sm">
        {SECTIONS.map((s) => (
          <li key={s.id}>
            <a href={`#${s.id}`} className="block rounded-md px-3 py-1.5 font-medium whitespace-nowrap text-zinc-700 hover:bg-zinc-200/70 hover:text-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-zinc-100">
              {s.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/**
 * The key page in the order a person reads it: what the key is (summary), what it does (usage),
 * how to change it (settings), what happened to it (activity). `usage` and `activity` are
 * rendered by the page (server components) and placed here.
 */
export function KeyDetail({
  keyView: k,
  form,
  members,
  usage,
  activity,
}: {
  keyView: KeyView;
  form: KeyFormContext;
  members: { id: string; label: string }[];
  usage: React.ReactNode;
  activity: React.ReactNode;
}) {
  const slug = k.orgSlug;
  const router = useRouter();
  const update = useAction(updateKeyAction);
  const actions = useKeyActions({ onDone: (a) => a === "delete" && router.push(`/orgs/${slug}/settings/api-keys`) });
  const target = [{ id: k.id, name: k.name, orgSlug: k.orgSlug }];
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {k.name} <KeyStatusBadge status={k.status} />
          </h1>
          {k.description && <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{k.description}</p>}
        </div>
        <div className="flex flex-wrap gap-2">
          {k.canManage && (
            <>
            <Button variant="secondary" onClick={() => actions.roll({ id: k.id, name: k.name, expired: k.status === "expired", orgSlug: k.orgSlug, defaultGrace: k.orgDefaultGrace })}>
              {k.status === "expired" ? "Renew" : "Roll"}
            </Button>
            {k.status === "suspended" ? (
              <Button variant="secondary" onClick={() => actions.request("reactivate", target)}>
                Reactivate
              </Button>
            ) : (
              k.status === "active" && (
                <Button variant="secondary" onClick={() => actions.request("suspend", target)}>
                  Suspend
                </Button>
              )
            )}
            <Button variant="danger" onClick={() => actions.request("revoke", target)}>
              Revoke
            </Button>
            </>
          )}
          {k.canDelete && (
            <Button variant="ghost" className="text-red-600 dark:text-red-400" onClick={() => actions.request("delete", target)}>
              Delete
            </Button>
          )}
        </div>
      </div>

      <SectionLinks />

      <Section id="summary" title="Summary">
        <Card>
          <CardHeader title="Details" />
          <dl className="divide-y divide-zinc-100 px-5 dark:divide-zinc-800/60">
            <Row label="Key ID">
              <span className="flex items-center gap-2">
                <code className="font-mono text-xs">{k.id}</code> <CopyButton value={k.id} label="Copy ID" />
              </span>
            </Row>
            <Row label="Key">
              {k.publicToken ? (
                <span className="flex flex-wrap items-center gap-2">
                  <code className="font-mono text-xs break-all">{k.publicToken}</code> <CopyButton value={k.publicToken} label="Copy key" />
                </span>
              ) : (
                <span className="flex flex-wrap items-center gap-2">
                  <code className="font-mono text-xs">
                    {k.prefix}…{k.last4}
                  </code>
                  {k.recoverable && k.canManage && (
                    <Button size="sm" variant="secondary" onClick={() => actions.reveal(target[0])}>
                      Copy key
                    </Button>
                  )}
                  {!k.recoverable && k.orgKeyRecoverable && k.type === "secret" && (
                    <span className="text-xs text-zinc-600 dark:text-zinc-400">Created while recoverable keys were off: it cannot be recovered. Roll it for a recoverable token.</span>
                  )}
                </span>
              )}
            </Row>
            {k.previousTokenValidUntil && <Row label="Previous token">Still valid until {absoluteTime(k.previousTokenValidUntil)}</Row>}
            <Row label="Type">
              <span className="capitalize">{k.type}</span>
            </Row>
            <Row label="Environment">
              <EnvironmentBadge environment={k.environment} />
            </Row>
            <Row label="Owner">{k.ownerLabel ?? "—"}</Row>
            {k.effectivePermissions.length !== k.permissions.length && (
              <Row label="Effective now">
                <span className="text-amber-700 dark:text-amber-400">
                  {k.effectivePermissions.length ? k.effectivePermissions.join(", ") : "No permissions"} — capped by the owner&apos;s current role
                </span>
              </Row>
            )}
            <Row label="Permissions">
              {k.permissions.length ? (
                <span className="flex flex-wrap gap-1">
                  {k.permissions.map((p) => (
                    <Badge key={p} className="font-mono">
                      {p}
                    </Badge>
                  ))}
                </span>
              ) : (
                "None"
              )}
            </Row>
            <Row label="Rules">{k.rules ? <pre className="font-mono text-xs whitespace-pre-wrap">{k.rules}</pre> : "None (all requests)"}</Row>
            <Row label="IP allowlist">{k.ipAllowlist.length ? <code className="font-mono text-xs">{k.ipAllowlist.join(", ")}</code> : "Any address"}</Row>
            <Row label="Rate limits">
              {k.appliedLimits.length ? (
                <ul className="space-y-0.5" data-testid="key-limits">
                  {k.appliedLimits.map((l) => (
                    <li key={l.name}>
                      <code className="font-mono text-xs">{l.name}</code> {l.limit.toLocaleString()} requests per {formatWindow(l.window)}
                      {l.holder === "customer" && <span className="text-zinc-500 dark:text-zinc-400"> — the customer&apos;s, shared by its keys</span>}
                    </li>
                  ))}
                </ul>
              ) : (
                "None"
              )}
            </Row>
            <Row label="Credits">
              <KeyCredits k={k} />
            </Row>
            <Row label="Expires">{k.expiresAt ? absoluteTime(k.expiresAt) : "Never"}</Row>
            <Row label="External ID">{k.externalId ?? "—"}</Row>
            <Row label="Metadata">{Object.keys(k.metadata).length ? <code className="font-mono text-xs">{JSON.stringify(k.metadata)}</code> : "—"}</Row>
            <Row label="Created">{absoluteTime(k.createdAt)}</Row>
            <Row label="Last used">{k.lastUsedAt ? `${absoluteTime(k.lastUsedAt)} from ${k.lastUsedIp ?? "?"}` : "Never"}</Row>
          </dl>
        </Card>
      </Section>

      <Section id="usage" title="Usage">
        {usage}
      </Section>

      <Section id="settings" title="Settings" description={k.canManage ? undefined : "Only the key's owner or an organization admin can change this key."}>
        {k.canManage && (
          <Card>
            <CardHeader title="Edit key" description="Type and environment are fixed at creation." />
            <form
              className="p-5"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void update.run([slug, { id: k.id, ...readKeyForm(e.currentTarget) }], { success: "Key updated", onSuccess: () => router.refresh() });
              }}
            >
              <KeyFormFields ctx={form} errors={update.fieldErrors} initial={k} idPrefix="edit" />
              <div className="mt-4">{update.error && !Object.keys(update.fieldErrors).length && <FormError message={update.error} />}</div>
              <div className="mt-4 flex justify-end">
                <Button type="submit" pending={update.pending}>
                  Save changes
                </Button>
              </div>
            </form>
          </Card>
        )}
        {form.isAdmin && k.status !== "revoked" && <TransferKey keyView={k} members={members} />}
      </Section>

      <Section id="activity" title="Activity">
        {activity}
      </Section>
      {actions.dialogs}
    </div>
  );
}

/** The credits verification takes from: the key's own, else its customer's, else none (no limit on use). */
function KeyCredits({ k }: { k: KeyView }) {
  const credits = k.credits ?? k.customerCredits;
  if (!credits) return <span data-testid="key-credits">None: verifications are not counted against credits</span>;
  const refill = credits.refill ? `; refilled to ${credits.refill.amount.toLocaleString("en-US")} ${credits.refill.interval}` : "";
  const next = "nextRefillAt" in credits && credits.nextRefillAt ? `, next ${absoluteTime(credits.nextRefillAt)}` : "";
  const low = credits.lowThreshold !== null ? `; low at ${credits.lowThreshold.toLocaleString("en-US")}` : "";
  return (
    <span data-testid="key-credits">
      <CreditsLine credits={credits} className="inline text-sm" /> left{refill}
      {next}
      {low}
      {!k.credits && <span className="text-zinc-500 dark:text-zinc-400"> — the customer&apos;s, shared by its keys</span>}
    </span>
  );
}
