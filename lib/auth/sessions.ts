// Owns signed-in browsers (sessions): created at sign-in with the id carried in the JWT, checked on
// every request, listed on the security page, ended one by one or all at once, and the time the
// person last proved who they are (for sensitive actions).
import { and, desc, eq, lt } from "drizzle-orm";
import { getDb, userSessions, type User, type UserSession } from "../db";
import { NotFoundError } from "../errors";
import { randomBase62 } from "../ids";
import { verifyOwnCredential } from "./two-factor";

/** Auth.js's session cookie lasts 30 days from the last visit: a session idle longer is over. */
export const SESSION_IDLE_MS = 30 * 86_400_000;

/** last_seen_at is written at most this often, so a busy page does not write on every request. */
const TOUCH_EVERY_MS = 5 * 60_000;

export type SessionMeta = { ip: string | null; userAgent: string | null };

export async function createSession(userId: string, meta: SessionMeta, now = new Date()): Promise<UserSession> {
  const [row] = await getDb()
    .insert(userSessions)
    .values({ id: `ses_${randomBase62(32)}`, userId, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 512) ?? null, lastSeenAt: now, authenticatedAt: now, createdAt: now })
    .returning();
  return row;
}

/** The live session `id` of `userId`, or undefined once it was signed out (or idle too long). */
export async function findSession(userId: string, id: string, now = new Date()): Promise<UserSession | undefined> {
  const row = await getDb().query.userSessions.findFirst({ where: and(eq(userSessions.id, id), eq(userSessions.userId, userId)) });
  return row && now.getTime() - row.lastSeenAt.getTime() <= SESSION_IDLE_MS ? row : undefined;
}

/** Deletes sessions idle past the cookie's lifetime (run hourly); returns how many. */
export async function purgeIdleSessions(now = new Date()): Promise<number> {
  const gone = await getDb()
    .delete(userSessions)
    .where(lt(userSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)))
    .returning({ id: userSessions.id });
  return gone.length;
}

export async function touchSession(session: UserSession, ip: string | null, now = new Date()): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < TOUCH_EVERY_MS && ip === session.ip) return;
  await getDb()
    .update(userSessions)
    .set({ lastSeenAt: now, ...(ip ? { ip } : {}) })
    .where(and(eq(userSessions.id, session.id), lt(userSessions.lastSeenAt, now)));
}

export type SessionView = { id: string; ip: string | null; userAgent: string | null; createdAt: string; lastSeenAt: string; current: boolean };

export async function listSessions(userId: string, currentId: string | null): Promise<SessionView[]> {
  const rows = await getDb().select().from(userSessions).where(eq(userSessions.userId, userId)).orderBy(desc(userSessions.lastSeenAt)).limit(100);
  return rows.map((r) => ({
    id: r.id,
    ip: r.ip,
    userAgent: r.userAgent,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    current: r.id === currentId,
  }));
}

/** Signs out one of the user's sessions (someone else's session id is simply not found). */
export async function endSession(userId: string, id: unknown): Promise<void> {
  if (typeof id !== "string" || !/^ses_[0-9A-Za-z]{32}$/.test(id)) throw new NotFoundError("Session not found");
  const gone = await getDb()
    .delete(userSessions)
    .where(and(eq(userSessions.id, id), eq(userSessions.userId, userId)))
    .returning({ id: userSessions.id });
  if (!gone.length) throw new NotFoundError("Session not found");
}

/** Deletes a session row if it is still there (signing out of this browser). */
export async function forgetSession(userId: string, id: string): Promise<void> {
  await getDb().delete(userSessions).where(and(eq(userSessions.id, id), eq(userSessions.userId, userId)));
}

export async function endAllSessions(userId: string): Promise<void> {
  await getDb().delete(userSessions).where(eq(userSessions.userId, userId));
}

/** Re-authentication: after the password or a current code, sensitive actions are allowed for a while. */
export async function reauthenticate(user: User, sessionId: string, input: unknown, now = new Date()): Promise<void> {
  await verifyOwnCredential(user, input);
  await getDb()
    .update(userSessions)
    .set({ authenticatedAt: now })
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, user.id)));
}
