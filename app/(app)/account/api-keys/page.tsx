import { requireUser, actorFor } from "@/app/_lib/auth";
import { keyFormContext } from "@/app/_lib/key-form-context";
import { parsePageQuery, type RawSearchParams } from "@/lib/ops/operation";
import { PageHeader } from "@/components/ui/card";
import { KeysTable } from "@/components/keys/keys-table";
import { CreateKeyDialog, type CreateTarget } from "@/components/keys/create-key-dialog";
import { listKeysOwnedBy, myKeysQuerySchema } from "@/lib/keys/queries";
import { toKeyView } from "@/lib/keys/view";
import { usageLast24h } from "@/lib/verify/usage-queries";
import { hasTwoFactor } from "@/lib/auth/two-factor";
import { listOrganizationsForUser, resolveOrgContext } from "@/lib/orgs/organizations";

export const metadata = { title: "My API keys" };

export default async function MyApiKeysPage({ searchParams }: { searchParams: Promise<RawSearchParams> }) {
  const user = await requireUser("/account/api-keys");
  const raw = await searchParams;
  const query = parsePageQuery(myKeysQuerySchema, raw);
  const [{ rows, total }, orgs] = await Promise.all([listKeysOwnedBy(user.id, query), listOrganizationsForUser(user.id)]);
  // Keys created here are always owned by the signed-in user; viewers cannot create keys.
  const me = actorFor(user, null);
  // Organizations that require two-factor of a member without it offer no creation here either.
  const targets: CreateTarget[] = (
    await Promise.all(
      orgs
        .filter((o) => o.role !== "viewer")
        .map(async (o) => {
          const ctx = await resolveOrgContext(me, o.slug);
          if (ctx.org.requireTwoFactor && !hasTwoFactor(user)) return null;
          const form = await keyFormContext(ctx);
          return { slug: o.slug, name: o.name, form: { ...form, isAdmin: false, members: [{ id: user.id, label: user.email ?? user.id }] } };
        }),
    )
  ).filter((t) => t !== null);
  const usage = await usageLast24h(rows.map((r) => r.id));
  const create = targets.length ? <CreateKeyDialog orgs={targets} /> : null;
  return (
    <>
      <PageHeader title="My API keys" description="Every key that runs under your account, in all your organizations. A key can never do more than your role allows." actions={create} />
      <KeysTable
        rows={rows.map((r) => ({ ...toKeyView({ role: r.ownerRole ?? "viewer", userId: user.id }, r), usage24h: usage.get(r.id) ?? 0 }))}
        total={total}
        state={query}
        orgs={orgs.map((o) => ({ slug: o.slug, name: o.name }))}
        emptyAction={create}
        userId={user.id}
      />
    </>
  );
}
