import { expect, test } from "@playwright/test";
import { PASSWORD, signIn, signUp, snap } from "./helpers";

test("sign up, second organization, invite, accept, role change, removal, 404 after removal", async ({ browser }, info) => {
  const alice = await (await browser.newContext()).newPage();
  const bob = await (await browser.newContext()).newPage();

  // Sign-up creates a personal organization owned by the new user.
  await signUp(alice, "Alice Owner", "alice@example.com");
  await expect(alice.getByRole("button", { name: "Switch organization" })).toContainText("Alice Owner's organization");
  await snap(alice, info, "01-api-keys-personal");

  // Create a second organization and switch to it.
  await alice.goto("/orgs/new");
  await alice.getByLabel("Name").fill("Acme Inc");
  await alice.getByLabel("Slug").fill("acme");
  await snap(alice, info, "02-new-organization");
  await alice.getByRole("button", { name: "Create organization" }).click();
  await expect(alice).toHaveURL(/\/orgs\/acme\/settings$/);
  await expect(alice.getByLabel("Name")).toHaveValue("Acme Inc");
  await snap(alice, info, "03-general-settings");
  await alice.getByRole("button", { name: "Switch organization" }).click();
  await expect(alice.getByRole("menuitem", { name: /Alice Owner's organization/ })).toBeVisible();
  await alice.keyboard.press("Escape");

  // Invite Bob as a member; the link is shown once.
  await alice.getByRole("link", { name: "Members" }).click();
  await alice.getByRole("button", { name: "Invite member" }).click();
  await alice.getByLabel("Email").fill("bob@example.com");
  await alice.getByLabel("Role").selectOption("member");
  await alice.getByRole("button", { name: "Create invitation" }).click();
  const link = await alice.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/inv_[0-9A-Za-z]{32}$/);
  await snap(alice, info, "04-invitation-link");
  await alice.getByRole("button", { name: "Done" }).click();
  await expect(alice.getByText("bob@example.com")).toBeVisible();
  await snap(alice, info, "05-members-pending");

  // Bob opens the link, signs up with the invited address, and joins.
  await bob.goto(new URL(link).pathname);
  await expect(bob.getByText("You are invited to join")).toBeVisible();
  await snap(bob, info, "06-invite-landing");
  await bob.getByRole("link", { name: "Create an account" }).click();
  await expect(bob.getByLabel("Email")).toHaveValue("bob@example.com");
  await bob.getByLabel("Name").fill("Bob Builder");
  await bob.getByLabel("Password").fill(PASSWORD);
  await bob.getByRole("button", { name: "Create account" }).click();
  await expect(bob).toHaveURL(/\/invite\/inv_/);
  await bob.getByRole("button", { name: "Join Acme Inc" }).click();
  await expect(bob).toHaveURL(/\/orgs\/acme\/settings$/);
  await bob.getByRole("link", { name: "Members" }).click();
  await expect(bob.getByTestId("member-bob@example.com")).toContainText("Member");
  // A member sees no invite button, and the server refuses member management anyway.
  await expect(bob.getByRole("button", { name: "Invite member" })).toHaveCount(0);

  // Alice promotes Bob to admin.
  await alice.reload();
  await alice.getByLabel("Role of bob@example.com").selectOption("admin");
  await expect(alice.getByText("bob@example.com is now Admin")).toBeVisible();
  await bob.reload();
  await expect(bob.getByTestId("member-bob@example.com")).toContainText("Admin");
  await snap(bob, info, "07-members-as-admin");

  // The audit log records each membership change.
  await alice.getByRole("link", { name: "Audit log" }).click();
  for (const action of ["member.role_changed", "member.joined", "invitation.created", "organization.created"]) {
    await expect(alice.getByRole("table").getByText(action, { exact: true }).first()).toBeVisible();
  }
  await snap(alice, info, "08-audit-log");
  await alice.getByLabel("Actor").selectOption({ label: "bob@example.com" });
  await alice.getByRole("button", { name: "Filter" }).click();
  await expect(alice.getByRole("table").getByText("member.joined", { exact: true })).toBeVisible();
  await expect(alice.getByRole("table").getByText("invitation.created", { exact: true })).toHaveCount(0);

  // Alice removes Bob, after confirming.
  await alice.getByRole("link", { name: "Members" }).click();
  await alice.getByTestId("member-bob@example.com").getByRole("button", { name: "Remove" }).click();
  await expect(alice.getByRole("alertdialog")).toContainText("will lose access");
  await alice.getByRole("button", { name: "Remove member" }).click();
  await expect(alice.getByTestId("member-bob@example.com")).toHaveCount(0);

  // Bob now gets a 404 for every page of Acme.
  for (const path of ["/orgs/acme/settings", "/orgs/acme/settings/members", "/orgs/acme/settings/audit-log", "/orgs/acme/settings/api-keys"]) {
    const res = await bob.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(bob.getByText("Page not found")).toBeVisible();
  }
  await snap(bob, info, "09-removed-404");
});

test("the last owner can neither leave nor be demoted; sign-in errors are clear", async ({ page }, info) => {
  await signUp(page, "Carol Solo", "carol@example.com");
  const slug = page.url().split("/orgs/")[1].split("/")[0];
  await page.goto(`/orgs/${slug}/settings`);
  await page.getByRole("button", { name: "Leave", exact: true }).click();
  await page.getByRole("button", { name: "Leave organization" }).click();
  await expect(page.getByText("You are the last owner").first()).toBeVisible();
  await page.keyboard.press("Escape");

  // Sign out through the user menu, then a wrong password gets a clear message.
  await page.getByRole("button", { name: "Open user menu" }).click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signIn(page, "carol@example.com", "not the password");
  await expect(page.getByText("Wrong email or password.").first()).toBeVisible();
  await snap(page, info, "10-sign-in-error");
  await signIn(page, "carol@example.com");
  await expect(page).toHaveURL(/\/orgs\/.+\/settings\/api-keys$/);
});

test("dark theme renders the settings shell", async ({ page }, info) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await signUp(page, "Dana Dark", "dana@example.com");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.getByRole("link", { name: "Members" }).click();
  await snap(page, info, "11-members-dark");
  await page.setViewportSize({ width: 390, height: 800 });
  await snap(page, info, "12-members-mobile");
});
