import { describe, expect, it } from "vitest";
import { generateSync } from "otplib";
import { ConflictError } from "@/lib/errors";
import { beginTotpSetup, confirmTotpSetup } from "./two-factor";
import { addPasskey, passkeyRegistrationOptions, passkeySignInOptions, relyingPartyFor, verifyPasskeyForUser } from "./passkeys";
import { getUserById } from "./accounts";
import { makeUser } from "@/test/factories";

const rp = relyingPartyFor("http://localhost:3000");

describe("passkeys (guards; the WebAuthn ceremony itself is covered in e2e with a virtual authenticator)", () => {
  it("are added only once two-factor is on, against a stored one-time challenge", async () => {
    const user = await makeUser("Pk");
    await expect(passkeyRegistrationOptions(user, rp)).rejects.toBeInstanceOf(ConflictError);
    const setup = await beginTotpSetup(user);
    await confirmTotpSetup(user, { code: generateSync({ secret: setup.secret }) });
    const on = (await getUserById(user.id))!;
    const { challengeId, options } = await passkeyRegistrationOptions(on, rp);
    expect(options.rp.id).toBe("localhost");
    // A forged response is refused, and the challenge is gone after one attempt.
    await expect(addPasskey(on, { challengeId, name: "x", response: { id: "abc", response: {} } }, rp)).rejects.toMatchObject({ fieldErrors: { name: [expect.any(String)] } });
    await expect(addPasskey(on, { challengeId, name: "x", response: { id: "abc", response: {} } }, rp)).rejects.toThrow(/expired/);
  });

  it("sign-in options name no credentials; a bad or reused challenge is refused", async () => {
    const user = await makeUser("Pk");
    const { challengeId, options } = await passkeySignInOptions(rp);
    expect(options.allowCredentials ?? []).toHaveLength(0);
    expect(await verifyPasskeyForUser(user, challengeId, "not json", rp)).toBe(false);
    expect(await verifyPasskeyForUser(user, challengeId, JSON.stringify({ id: "abc" }), rp)).toBe(false);
    expect(await verifyPasskeyForUser(user, "wac_unknown", JSON.stringify({ id: "abc" }), rp)).toBe(false);
  });
});
