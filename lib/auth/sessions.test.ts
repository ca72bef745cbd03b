import { describe, expect, it } from "vitest";
import { NotFoundError, ReauthRequiredError } from "@/lib/errors";
import { createSession, endSession, findSession, listSessions, purgeIdleSessions, reauthenticate, SESSION_IDLE_MS } from "./sessions";
import { signOutEverywhere } from "./profile";
import { REAUTH_WINDOW_MS, requireRecentAuth } from "./reauth";
import { actorOf, makeUser } from "@/test/factories";

describe("sessions", () => {
  it("lists a user's sessions with the current one marked, and signs one out at once", async () => {
    const user = await makeUser("Ses");
    const a = await createSession(user.id, { ip: "192.0.2.1", userAgent: "Firefox" });
    const b = await createSession(user.id, { ip: "192.0.2.2", userAgent: "Chrome" });
    const list = await listSessions(user.id, a.id);
    expect(list.map((s) => s.id).sort()).toEqual([a.id, b.id].sort());
    expect(list.find((s) => s.id === a.id)?.current).toBe(true);
    await endSession(user.id, b.id);
    expect(await findSession(user.id, b.id)).toBeUndefined();
    expect(await findSession(user.id, a.id)).toBeDefined();
  });

  it("cannot end someone else's session", async () => {
    const user = await makeUser("Ses");
    const stranger = await makeUser("Ses");
    const theirs = await createSession(stranger.id, { ip: null, userAgent: null });
    await expect(endSession(user.id, theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(endSession(user.id, "'; drop table user_session")).rejects.toBeInstanceOf(NotFoundError);
    expect(await findSession(stranger.id, theirs.id)).toBeDefined();
  });

  it("sign out of all sessions removes every session", async () => {
    const user = await makeUser("Ses");
    await createSession(user.id, { ip: null, userAgent: null });
    await createSession(user.id, { ip: null, userAgent: null });
    await signOutEverywhere(user);
    expect(await listSessions(user.id, null)).toHaveLength(0);
  });

  it("a session idle for more than 30 days is over and purged", async () => {
    const user = await makeUser("Ses");
    const old = await createSession(user.id, { ip: null, userAgent: null }, new Date(Date.now() - SESSION_IDLE_MS - 60_000));
    const fresh = await createSession(user.id, { ip: null, userAgent: null });
    expect(await findSession(user.id, old.id)).toBeUndefined();
    expect(await purgeIdleSessions()).toBeGreaterThanOrEqual(1);
    expect((await listSessions(user.id, null)).map((s) => s.id)).toEqual([fresh.id]);
  });

  it("sensitive actions need an authentication within the last 10 minutes; re-authenticating renews it", async () => {
    const user = await makeUser("Ses");
    const now = new Date();
    expect(() => requireRecentAuth(actorOf(user, null), now)).toThrow(ReauthRequiredError);
    expect(() => requireRecentAuth(actorOf(user, new Date(now.getTime() - REAUTH_WINDOW_MS - 1000)), now)).toThrow(ReauthRequiredError);
    expect(() => requireRecentAuth(actorOf(user, new Date(now.getTime() - 60_000)), now)).not.toThrow();
    expect(() => requireRecentAuth({ ...actorOf(user, null), keyId: "key_x" }, now)).not.toThrow();

    const session = await createSession(user.id, { ip: null, userAgent: null }, new Date(now.getTime() - 3600_000));
    await expect(reauthenticate(user, session.id, { credential: "wrong" })).rejects.toMatchObject({ fieldErrors: { credential: [expect.any(String)] } });
    await reauthenticate(user, session.id, { credential: "password-1234" });
    const renewed = await findSession(user.id, session.id);
    expect(now.getTime() - renewed!.authenticatedAt.getTime()).toBeLessThan(REAUTH_WINDOW_MS);
  });
});
