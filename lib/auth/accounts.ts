// Owns user accounts: sign-up (with its personal organization) and password authentication.
import { eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, users, type User } from "../db";
import { ConflictError } from "../errors";
import { emailSchema, parseInput, passwordSchema, personNameSchema } from "../validation";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password";
import { checkThrottle, clearFailures, recordFailure, throttleKeys } from "./throttle";
import { createPersonalOrganization } from "../orgs/organizations";
import { verifySecondFactor } from "./two-factor";
import { verifyPasskeyForUser, type RelyingParty } from "./passkeys";

/** The password was right and the account has two-factor on: ask for a code and send it again. */
export class SecondFactorRequiredError extends Error {
  constructor() {
    super("Enter the code from your authenticator app or a backup code.");
  }
}

export const signUpSchema = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.input<typeof signUpSchema>;

export async function signUp(input: SignUpInput, ip: string | null): Promise<User> {
  const data = parseInput(signUpSchema, input);
  const passwordHash = await hashPassword(data.password);
  const db = getDb();
  const existing = await db.query.users.findFirst({ where: eq(users.email, data.email), columns: { id: true } });
  if (existing) {
    throw new ConflictError("An account with this email already exists. Sign in instead.", {
      email: ["An account with this email already exists"],
    });
  }
  return db.transaction(async (tx) => {
    const [user] = await tx.insert(users).values({ name: data.name, email: data.email, passwordHash }).returning();
    await createPersonalOrganization(tx, user, ip);
    return user;
  });
}

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Password is required").max(128),
  code: z.string().max(64).optional(),
  /** Instead of a code: a passkey assertion (JSON) answering the challenge `challengeId`. */
  passkey: z.string().max(16_384).optional(),
  challengeId: z.string().max(64).optional(),
});

/**
 * Checks an email and password, then the second factor when the account has one. Returns the
 * user, or null for a wrong password or code (both count towards the throttle); throws
 * RateLimitError while the email or address is locked out, and SecondFactorRequiredError when the
 * password was right but no code was sent. Failures are cleared only after both steps succeed.
 */
export async function authenticate(input: unknown, ip: string | null, rp?: RelyingParty): Promise<User | null> {
  const parsed = signInSchema.safeParse(input);
  if (!parsed.success) return null;
  const { email, password, code, passkey, challengeId } = parsed.data;
  const db = getDb();
  const keys = throttleKeys(email, ip);
  const stall = await checkThrottle(db, keys);
  if (stall > 0) await new Promise((r) => setTimeout(r, stall));
  const user = await db.query.users.findFirst({ where: eq(users.email, email) });
  const ok = user?.passwordHash ? await verifyPassword(user.passwordHash, password) : (await burnPasswordCheck(password), false);
  if (!ok || !user) {
    await recordFailure(db, keys);
    return null;
  }
  if (user.totpEnabledAt) {
    const usePasskey = Boolean(passkey && challengeId && rp);
    if (!code?.trim() && !usePasskey) throw new SecondFactorRequiredError();
    const ok = usePasskey ? await verifyPasskeyForUser(user, challengeId!, passkey!, rp!) : await verifySecondFactor(user, code!);
    if (!ok) {
      await recordFailure(db, keys);
      return null;
    }
  }
  await clearFailures(db, email);
  return user;
}

export async function getUserById(id: string): Promise<User | undefined> {
  return getDb().query.users.findFirst({ where: eq(users.id, id) });
}
