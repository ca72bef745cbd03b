// Two-factor sign-in, backup codes, sessions and the organization's two-factor requirement.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { generateSync } from "otplib";
import AxeBuilder from "@axe-core/playwright";
import { PASSWORD, createKeyInUi, signIn, signUp, snap } from "./helpers";

/** A TOTP code `steps` periods from now (each period's code is accepted once). */
const totp = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Open user menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

async function signInWithCode(page: Page, email: string, code: string) {
  await signIn(page, email);
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.getByLabel("Authentication code").fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
}

/** Answers the "Confirm it's you" dialog (a wrong answer first, to see it refused). */
async function reauth(page: Page, info: TestInfo, credential: string, shot?: string) {
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  if (shot) await snap(page, info, shot);
  await dialog.getByLabel("Password or authentication code").fill("not it");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByText(/is not correct/)).toBeVisible();
  await dialog.getByLabel("Password or authentication code").fill(credential);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}

/** Light and dark, desktop and phone; axe (serious or critical) in both schemes. */
async function snapAll(page: Page, info: TestInfo, name: string) {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    // A page still navigating (after a refresh) has no title yet: axe the page once it is there.
    await page.waitForLoadState("load");
    await expect(page).toHaveTitle(/\S/);
    // Sonner's rich-colour toasts (app/providers.tsx) are not these pages: reported separately.
    const { violations } = await new AxeBuilder({ page }).exclude("[data-sonner-toaster]").analyze();
    const serious = violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect.soft(serious, `${name}, ${scheme}`).toEqual([]);
    for (const [w, h] of [
      [1366, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width: w, height: h });
      await snap(page, info, `${name}-${scheme}-${w}`);
    }
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1366, height: 900 });
}

test("TOTP set-up, sign-in with a code and a backup code, sessions, org requirement", async ({ browser }, info) => {
  test.setTimeout(180_000);
  const aliceCtx = await browser.newContext();
  const alice = await aliceCtx.newPage();
  await signUp(alice, "Alice Secure", "alice-2fa@example.com");
  const slug = alice.url().split("/orgs/")[1].split("/")[0];

  // Set up: the security page is linked from the account sidebar.
  await alice.goto("/account");
  await alice.getByRole("link", { name: "Security" }).click();
  await expect(alice).toHaveURL(/\/account\/security$/);
  await snapAll(alice, info, "01-security-off");
  await alice.getByRole("button", { name: "Set up two-factor authentication" }).click();
  await expect(alice.getByRole("img", { name: "QR code for your authenticator app" })).toHaveAttribute("src", /^data:image\/png;base64,/);
  const secret = (await alice.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await snapAll(alice, info, "02-security-setup");
  await alice.getByLabel("Enter the 6-digit code the app shows").fill("000000");
  await alice.getByRole("button", { name: "Turn on" }).click();
  await expect(alice.getByText("That code is not valid").first()).toBeVisible();
  await alice.getByLabel("Enter the 6-digit code the app shows").fill(totp(secret));
  await alice.getByRole("button", { name: "Turn on" }).click();
  await expect(alice.getByTestId("backup-codes").locator("li")).toHaveCount(10);
  const codes = (await alice.getByTestId("backup-codes").locator("li").allInnerTexts()).map((c) => c.trim());
  await snapAll(alice, info, "03-backup-codes");
  await alice.getByRole("button", { name: "I have saved them" }).click();
  await expect(alice.getByTestId("backup-codes-left")).toHaveText("10 backup codes left.");
  await snapAll(alice, info, "04-security-on");

  // Sign out, then sign in: the password alone is not enough; a TOTP code completes it.
  await signOut(alice);
  await signIn(alice, "alice-2fa@example.com");
  await expect(alice.getByLabel("Authentication code")).toBeVisible();
  await expect(alice).toHaveURL(/\/sign-in/);
  await snapAll(alice, info, "05-sign-in-code");
  await alice.getByLabel("Authentication code").fill("123456");
  await alice.getByRole("button", { name: "Verify" }).click();
  await expect(alice.getByText("That code is not valid, or was already used.").first()).toBeVisible();
  await alice.getByLabel("Authentication code").fill(totp(secret, 1));
  await alice.getByRole("button", { name: "Verify" }).click();
  await expect(alice).toHaveURL(/\/orgs\/[^/]+\/settings\/api-keys$/);

  // A backup code works once.
  await signOut(alice);
  await signInWithCode(alice, "alice-2fa@example.com", codes[0]);
  await expect(alice).toHaveURL(/\/orgs\/[^/]+\/settings\/api-keys$/);
  await signOut(alice);
  await signInWithCode(alice, "alice-2fa@example.com", codes[0]);
  await expect(alice.getByText("That code is not valid, or was already used.").first()).toBeVisible();
  await alice.getByLabel("Authentication code").fill(codes[1]);
  await alice.getByRole("button", { name: "Verify" }).click();
  await expect(alice).toHaveURL(/\/orgs\/[^/]+\/settings\/api-keys$/);

  // Sessions: a second browser signs in; the first lists it and signs it out, which ends it at once.
  const otherCtx = await browser.newContext({ userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/140.0" });
  const other = await otherCtx.newPage();
  await signInWithCode(other, "alice-2fa@example.com", codes[2]);
  await expect(other).toHaveURL(/\/orgs\/[^/]+\/settings\/api-keys$/);
  await alice.goto("/account/security");
  const rows = alice.getByTestId("session-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: "This browser" })).toHaveCount(1);
  await expect(alice.getByTestId("backup-codes-left")).toHaveText("7 backup codes left.");
  await snapAll(alice, info, "06-sessions");
  await rows.filter({ hasText: "Firefox on Windows" }).getByRole("button", { name: "Sign out" }).click();
  await alice.getByRole("alertdialog").getByRole("button", { name: "Sign out" }).click();
  await expect(rows).toHaveCount(1);
  await other.goto(`/orgs/${slug}/settings/api-keys`);
  await expect(other).toHaveURL(/\/sign-in/);

  // The organization requires two-factor: Alice (who has it) turns it on; Bob, without it, is sent to set it up.
  await alice.goto(`/orgs/${slug}/settings/members`);
  await alice.getByRole("button", { name: "Invite member" }).click();
  await alice.getByLabel("Email").fill("bob-2fa@example.com");
  await alice.getByLabel("Role").selectOption("member");
  await alice.getByRole("button", { name: "Create invitation" }).click();
  const link = await alice.getByLabel("Invitation link").inputValue();
  await alice.getByRole("button", { name: "Done" }).click();
  await alice.goto(`/orgs/${slug}/settings`);
  // A sensitive change: past the (e2e: 5-second) window, it asks to confirm with a code, then goes on.
  await alice.waitForTimeout(6_000);
  await alice.getByRole("button", { name: "Require two-factor authentication" }).click();
  await reauth(alice, info, codes[3], "07a-reauth-dialog");
  await expect(alice.getByTestId("two-factor-requirement")).toHaveText("Required of every member");
  await snapAll(alice, info, "07-org-requirement");

  const bob = await (await browser.newContext()).newPage();
  await bob.goto(new URL(link).pathname);
  await bob.getByRole("link", { name: "Create an account" }).click();
  await bob.getByLabel("Name").fill("Bob Plain");
  await bob.getByLabel("Password").fill(PASSWORD);
  await bob.getByRole("button", { name: "Create account" }).click();
  await expect(bob).toHaveURL(/\/invite\/inv_/);
  await bob.getByRole("button", { name: /^Join / }).click();
  await expect(bob).toHaveURL(new RegExp(`/account/security\\?required=${slug}$`));
  await expect(bob.getByRole("alert").filter({ hasText: "requires two-factor authentication" })).toBeVisible();
  await snapAll(bob, info, "08-required-banner");
  for (const path of [`/orgs/${slug}/settings/api-keys`, `/orgs/${slug}/settings/members`]) {
    await bob.goto(path);
    await expect(bob).toHaveURL(/\/account\/security\?required=/);
  }
  // Setting it up lets Bob in.
  await bob.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const bobSecret = (await bob.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  await bob.getByLabel("Enter the 6-digit code the app shows").fill(totp(bobSecret));
  await bob.getByRole("button", { name: "Turn on" }).click();
  await bob.getByRole("button", { name: "I have saved them" }).click();
  await expect(bob).toHaveURL(new RegExp(`/orgs/${slug}/settings/api-keys$`));

  // The audit log records the policy change.
  await alice.goto(`/orgs/${slug}/settings/audit-log`);
  await expect(alice.getByRole("table").getByText("policy.two_factor_updated", { exact: true })).toBeVisible();
});

test("recoverable keys: off by default, turned on after re-authentication, Copy key audited, turned off deletes them", async ({ page }, info) => {
  test.setTimeout(120_000);
  await signUp(page, "Carol Keys", "carol-keys@example.com");
  const slug = page.url().split("/orgs/")[1].split("/")[0];
  const before = await createKeyInUi(page, "made-while-off", []);
  expect(before).toMatch(/^sk_/);

  await page.goto(`/orgs/${slug}/settings/key-policy`);
  await expect(page.getByLabel("Recoverable keys")).not.toBeChecked();
  await page.waitForTimeout(6_000);
  await page.getByLabel("Recoverable keys").check();
  await page.getByRole("button", { name: "Save policy" }).click();
  await reauth(page, info, PASSWORD);
  await expect(page.getByText("Key policy saved").first()).toBeVisible();
  await snapAll(page, info, "10-key-policy-recoverable");

  await page.goto(`/orgs/${slug}/settings/api-keys`);
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "Name" }).fill("recoverable-one");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const token = await dialog.getByTestId("new-token").inputValue();
  await expect(dialog.getByText("Your organization keeps keys recoverable")).toBeVisible();
  await page.keyboard.press("Escape");

  // "Copy key" from the row's menu asks to confirm, then shows the same token.
  await page.waitForTimeout(6_000);
  await page.getByRole("button", { name: "Actions for recoverable-one" }).click();
  await page.getByRole("menuitem", { name: "Copy key…" }).click();
  await reauth(page, info, PASSWORD);
  await expect(page.getByTestId("revealed-token")).toHaveValue(token);
  await snapAll(page, info, "11-key-revealed");
  await page.getByRole("button", { name: "Done" }).click();
  // A key made while the setting was off has no "Copy key" and says why.
  await expect(page.getByRole("button", { name: "Actions for made-while-off" })).toBeVisible();
  await page.getByRole("button", { name: "Actions for made-while-off" }).click();
  await expect(page.getByRole("menuitem", { name: "Copy key…" })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await page.getByRole("link", { name: "made-while-off" }).click();
  await expect(page.getByText("Created while recoverable keys were off")).toBeVisible();

  // The reveal is in the audit log.
  await page.goto(`/orgs/${slug}/settings/audit-log`);
  await expect(page.getByRole("table").getByText("key.revealed", { exact: true })).toBeVisible();

  // Turning it off asks first, then the key page no longer offers "Copy key".
  await page.goto(`/orgs/${slug}/settings/key-policy`);
  await page.getByLabel("Recoverable keys").uncheck();
  await page.waitForTimeout(6_000);
  await page.getByRole("button", { name: "Save policy" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Turn off and save" }).click();
  await reauth(page, info, PASSWORD);
  await expect(page.getByText("Key policy saved").first()).toBeVisible();
  await page.goto(`/orgs/${slug}/settings/api-keys`);
  await page.getByRole("link", { name: "recoverable-one" }).click();
  await expect(page.getByRole("button", { name: "Copy key", exact: true })).toHaveCount(0);
});

test("passkey as a second factor with Chromium's virtual authenticator", async ({ browser }, info) => {
  test.setTimeout(120_000);
  // WebAuthn needs a domain (not an IP address) as relying party: use localhost.
  const port = new URL(info.project.use.baseURL ?? "http://127.0.0.1:3210").port;
  const base = `http://localhost:${port}`;
  const context = await browser.newContext({ baseURL: base });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  await signUp(page, "Pat Passkey", "pat-passkey@example.com");
  await page.goto("/account/security");
  await expect(page.getByText("Turn on two-factor authentication above to add passkeys.")).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor authentication" }).click();
  const secret = (await page.getByTestId("totp-secret").innerText()).replace(/\s/g, "");
  await page.getByLabel("Enter the 6-digit code the app shows").fill(totp(secret));
  await page.getByRole("button", { name: "Turn on" }).click();
  await page.getByRole("button", { name: "I have saved them" }).click();

  await page.getByLabel("Passkey name").fill("Virtual key");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByTestId("passkeys")).toContainText("Virtual key");
  await snapAll(page, info, "12-passkeys");

  await signOut(page);
  await signIn(page, "pat-passkey@example.com");
  await expect(page.getByRole("heading", { name: "Two-factor authentication" })).toBeVisible();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  await expect(page).toHaveURL(/\/orgs\/[^/]+\/settings\/api-keys$/);
  await page.goto("/account/security");
  await expect(page.getByTestId("passkeys")).toContainText("last used");
  await context.close();
});
