// Owns organizations: creation (personal and team), lookup through membership, rename and slug.
import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { getDb, memberships, organizations, type DbOrTx, type Organization, type Role, type User } from "../db";
import { recordAudit } from "../audit/audit";
import type { Actor, OrgContext } from "../context";
import { ConflictError, NotFoundError } from "../errors";
import { newId, randomBase62 } from "../ids";
import { parseInput } from "../validation";
import { isSlug, RESERVED_SLUGS, slug, text } from "../primitives";
import { requireAdmin } from "./roles";
import { createDefaultPublicKey } from "../keys/lifecycle";

export const slugSchema = slug();

export const orgNameSchema = text({ label: "Name", min: 1, max: 100, required: "Name is required" });

export const createOrgSchema = z.object({ name: orgNameSchema, slug: slugSchema.optional().or(z.literal("").transform(() => undefined)) });
export const updateOrgSchema = z.object({ name: orgNameSchema, slug: slugSchema });


export function slugify(text: string): string {
  const base = text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return base.length >= 3 && !RESERVED_SLUGS.has(base) ? base : `org-${base || randomBase62(6).toLowerCase()}`;
}

async function slugTaken(db: DbOrTx, slug: string, exceptOrgId?: string): Promise<boolean> {
  const where = exceptOrgId ? and(eq(organizations.slug, slug), ne(organizations.id, exceptOrgId)) : eq(organizations.slug, slug);
  return (await db.select({ id: organizations.id }).from(organizations).where(where).limit(1)).length > 0;
}

async function uniqueSlug(db: DbOrTx, wanted: string): Promise<string> {
  if (!(await slugTaken(db, wanted))) return wanted;
  for (;;) {
    const candidate = `${wanted.slice(0, 41)}-${randomBase62(6).toLowerCase()}`;
    if (!(await slugTaken(db, candidate))) return candidate;
  }
}

async function insertOrganization(
  tx: DbOrTx,
  values: { name: string; slug: string; personalForUserId?: string },
  owner: { id: string },
  actor: Actor,
): Promise<Organization> {
  const [org] = await tx.insert(organizations).values({ id: newId("org", 16), ...values }).returning();
  await tx.insert(memberships).values({ organizationId: org.id, userId: owner.id, role: "owner" });
  await recordAudit(tx, {
    organizationId: org.id,
    actor,
    action: "organization.created",
    target: { type: "organization", id: org.id, label: org.name },
    after: { name: org.name, slug: org.slug },
  });
  await createDefaultPublicKey(tx, org, owner.id, actor);
  return org;
}

export async function createPersonalOrganization(tx: DbOrTx, user: User, ip: string | null): Promise<Organization> {
  const label = user.name || user.email || "user";
  const slug = await uniqueSlug(tx, slugify(user.name || user.email?.split("@")[0] || "personal"));
  const actor: Actor = { userId: user.id, label: user.email ?? label, ip };
  return insertOrganization(tx, { name: `${label}'s organization`, slug, personalForUserId: user.id }, user, actor);
}

export async function createOrganization(actor: Actor & { userId: string }, input: unknown): Promise<Organization> {
  const data = parseInput(createOrgSchema, input);
  return getDb().transaction(async (tx) => {
    let slug: string;
    if (data.slug) {
      if (await slugTaken(tx, data.slug)) throw new ConflictError("This slug is already taken", { slug: ["This slug is already taken"] });
      slug = data.slug;
    } else {
      slug = await uniqueSlug(tx, slugify(data.name));
    }
    return insertOrganization(tx, { name: data.name, slug }, { id: actor.userId }, actor);
  });
}

export type OrgWithRole = Organization & { role: Role };

export async function listOrganizationsForUser(userId: string): Promise<OrgWithRole[]> {
  const rows = await getDb()
    .select({ org: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.name));
  return rows.map((r) => ({ ...r.org, role: r.role }));
}

/**
 * The one door into an organization: resolves `slug` through the caller's membership.
 * A missing organization and one the caller is not a member of are the same NotFoundError.
 */
export async function resolveOrgContext(actor: Actor & { userId: string }, slug: string): Promise<OrgContext> {
  if (!isSlug(slug)) throw new NotFoundError("Organization not found"); // no query for what cannot be a slug
  const [row] = await getDb()
    .select({ org: organizations, membership: memberships })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.organizationId, organizations.id), eq(memberships.userId, actor.userId)))
    .where(eq(organizations.slug, String(slug).toLowerCase()))
    .limit(1);
  if (!row) throw new NotFoundError("Organization not found");
  return { org: row.org, membership: row.membership, actor };
}

export async function updateOrganization(ctx: OrgContext, input: unknown): Promise<Organization> {
  requireAdmin(ctx.membership.role, "change the organization's settings");
  const data = parseInput(updateOrgSchema, input);
  return getDb().transaction(async (tx) => {
    if (data.slug !== ctx.org.slug && (await slugTaken(tx, data.slug, ctx.org.id))) {
      throw new ConflictError("This slug is already taken", { slug: ["This slug is already taken"] });
    }
    const [org] = await tx
      .update(organizations)
      .set({ name: data.name, slug: data.slug })
      .where(eq(organizations.id, ctx.org.id))
      .returning();
    await recordAudit(tx, {
      organizationId: org.id,
      actor: ctx.actor,
      action: "organization.updated",
      target: { type: "organization", id: org.id, label: org.name },
      before: { name: ctx.org.name, slug: ctx.org.slug },
      after: { name: org.name, slug: org.slug },
    });
    return org;
  });
}
