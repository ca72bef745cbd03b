// Owns how an organization page resolves its context: signed in, and a member, or 404.
import { cache } from "react";
import { notFound } from "next/navigation";
import { NotFoundError } from "@/lib/errors";
import { resolveOrgContext } from "@/lib/orgs/organizations";
import type { OrgContext } from "@/lib/context";
import { actorFor, requireUser } from "./auth";
import { clientIp } from "./request";

export const orgPageContext = cache(async (slug: string): Promise<OrgContext> => {
  const user = await requireUser(`/orgs/${slug}/settings`);
  try {
    return await resolveOrgContext(actorFor(user, await clientIp()), slug);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
});
