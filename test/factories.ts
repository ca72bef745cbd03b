// Builds users and organizations for integration tests through the real domain functions.
import { randomBytes } from "node:crypto";
import { signUp } from "@/lib/auth/accounts";
import { getDb, memberships, type Role, type User } from "@/lib/db";
import { createOrganization, resolveOrgContext } from "@/lib/orgs/organizations";
import type { Actor, OrgContext } from "@/lib/context";

export const uniq = () => randomBytes(4).toString("hex");

export async function makeUser(name = "User"): Promise<User> {
  return signUp({ name: `${name} ${uniq()}`, email: `${name.toLowerCase()}-${uniq()}@example.com`, password: "password-1234" }, "127.0.0.1");
}

/** The user as a person who signed in just now (sensitive actions need no re-authentication). */
export function actorOf(user: User, recentAuthAt: Date | null = new Date()): Actor & { userId: string } {
  return { userId: user.id, label: user.email!, ip: "127.0.0.1", recentAuthAt };
}

/** An organization owned by a new user, plus one user in each other role. */
export async function makeTeam() {
  const owner = await makeUser("Owner");
  const org = await createOrganization(actorOf(owner), { name: `Team ${uniq()}` });
  const people: Record<Role, User> = { owner, admin: await makeUser("Admin"), member: await makeUser("Member"), viewer: await makeUser("Viewer") };
  for (const role of ["admin", "member", "viewer"] as const) {
    await getDb().insert(memberships).values({ organizationId: org.id, userId: people[role].id, role });
  }
  const ctx = (role: Role): Promise<OrgContext> => resolveOrgContext(actorOf(people[role]), org.slug);
  return { org, people, ctx };
}
