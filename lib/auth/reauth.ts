// Owns the rule for sensitive actions: the person proved who they are in the last 10 minutes.
import type { Actor } from "../context";
import { ReauthRequiredError } from "../errors";

/** 10 minutes unless REAUTH_WINDOW_SECONDS says otherwise (the e2e suite uses a few seconds). */
export const REAUTH_WINDOW_MS = 10 * 60_000;

function windowMs(): number {
  const s = Number(process.env.REAUTH_WINDOW_SECONDS);
  return Number.isFinite(s) && s > 0 ? s * 1000 : REAUTH_WINDOW_MS;
}

/**
 * Throws ReauthRequiredError unless the signed-in actor authenticated recently. An API key acting
 * for its owner is its own credential and is not asked (it has no password to type).
 */
export function requireRecentAuth(actor: Actor, now = new Date()): void {
  if (actor.keyId) return;
  const at = actor.recentAuthAt;
  if (!at || now.getTime() - at.getTime() > windowMs()) throw new ReauthRequiredError();
}
