import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { auditEvents, getDb, memberships, organizations } from "@/lib/db";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "@/lib/errors";
import { createOrganization, listOrganizationsForUser, resolveOrgContext, slugify, updateOrganization } from "./organizations";
import { actorOf, makeTeam, makeUser, uniq } from "@/test/factories";

describe("organizations", () => {
  it("sign-up creates a personal organization owned by the new user", async () => {
    const user = await makeUser("Personal");
    const orgs = await listOrganizationsForUser(user.id);
    expect(orgs).toHaveLength(1);
    expect(orgs[0].role).toBe("owner");
    expect(orgs[0].personalForUserId).toBe(user.id);
  });

  it("creates a team organization with a validated, unique slug", async () => {
    const user = await makeUser("Creator");
    const slug = `acme-${uniq()}`;
    const org = await createOrganization(actorOf(user), { name: "Acme", slug });
    expect(org.slug).toBe(slug);
    await expect(createOrganization(actorOf(user), { name: "Other", slug })).rejects.toMatchObject({
      fieldErrors: { slug: ["This slug is already taken"] },
    });
    await expect(createOrganization(actorOf(user), { name: "Bad", slug: "Not A Slug!" })).rejects.toBeInstanceOf(ValidationError);
    await expect(createOrganization(actorOf(user), { name: "" })).rejects.toMatchObject({ fieldErrors: { name: ["Name is required"] } });
    // Without a slug, one is derived from the name and made unique.
    const a = await createOrganization(actorOf(user), { name: "Same Name" });
    const b = await createOrganization(actorOf(user), { name: "Same Name" });
    expect(a.slug).not.toBe(b.slug);
  });

  it("slugify produces valid slugs", () => {
    expect(slugify("Acme, Inc.")).toBe("acme-inc");
    expect(slugify("ab")).toMatch(/^org-/);
    expect(slugify("new")).toMatch(/^org-/);
  });

  it("a non-member cannot see an organization: NotFound, same as a missing one", async () => {
    const { org } = await makeTeam();
    const outsider = await makeUser("Outsider");
    await expect(resolveOrgContext(actorOf(outsider), org.slug)).rejects.toBeInstanceOf(NotFoundError);
    await expect(resolveOrgContext(actorOf(outsider), "no-such-org-here")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("owners and admins rename and re-slug; members and viewers are refused and nothing changes", async () => {
    const { org, ctx } = await makeTeam();
    for (const role of ["member", "viewer"] as const) {
      await expect(updateOrganization(await ctx(role), { name: "Hijacked", slug: `hij-${uniq()}` })).rejects.toBeInstanceOf(ForbiddenError);
    }
    const [unchanged] = await getDb().select().from(organizations).where(eq(organizations.id, org.id));
    expect(unchanged.name).toBe(org.name);

    const newSlug = `renamed-${uniq()}`;
    const updated = await updateOrganization(await ctx("admin"), { name: "Renamed", slug: newSlug });
    expect(updated).toMatchObject({ name: "Renamed", slug: newSlug });
    const events = await getDb().select().from(auditEvents).where(eq(auditEvents.organizationId, org.id));
    const event = events.find((e) => e.action === "organization.updated");
    expect(event?.before).toMatchObject({ name: org.name, slug: org.slug });
    expect(event?.after).toMatchObject({ name: "Renamed", slug: newSlug });
  });

  it("refuses a slug that another organization uses", async () => {
    const one = await makeTeam();
    const two = await makeTeam();
    await expect(updateOrganization(await one.ctx("owner"), { name: "x", slug: two.org.slug })).rejects.toBeInstanceOf(ConflictError);
  });

  it("membership of org A gives nothing in org B", async () => {
    const a = await makeTeam();
    const b = await makeTeam();
    for (const role of ["owner", "admin", "member", "viewer"] as const) {
      await expect(resolveOrgContext(actorOf(a.people[role]), b.org.slug)).rejects.toBeInstanceOf(NotFoundError);
    }
    const rows = await getDb().select().from(memberships).where(eq(memberships.organizationId, b.org.id));
    expect(rows.map((r) => r.userId)).not.toContain(a.people.owner.id);
  });
});
