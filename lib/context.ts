// Owns the types every layer passes around (who is acting, in which organization). It imports
// nothing of the domain, so any module may use it without creating an import cycle.
import type { Membership, Organization } from "./db/schema";

/** Who is acting: a signed-in user, or an API key acting as its owner. */
export type Actor = {
  userId: string | null;
  keyId?: string | null;
  label: string;
  ip: string | null;
  /** When a signed-in person last proved who they are (sign-in or re-authentication), for sensitive actions. */
  recentAuthAt?: Date | null;
};

/** A caller's view of one organization: resolved only through their membership. */
export type OrgContext = { org: Organization; membership: Membership; actor: Actor };
