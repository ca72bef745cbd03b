// Owns the rule for sensitive actions: the person proved who they are in the last 10 minutes.
import type { Actor } from "../context";
import { ReauthRequiredError } from "../errors";

export const REAUTH_WINDOW_MS = 10 * 60_000;

/**
 * Throws ReauthRequiredError unless the signed-in actor authenticated recently. An API key acting
 * for its owner is its own credential and is not asked (it has no password to type).
 */
export function requireRecentAuth(actor: Actor, now = new Date()): void {
  if (actor.keyId) return;
  const at = actor.recentAuthAt;
  if (!at || now.getTime() - at.getTime() > REAUTH_WINDOW_MS) throw new ReauthRequiredError();
}
