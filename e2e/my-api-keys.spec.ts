import { expect, test } from "@playwright/test";
import { PASSWORD, signUp, snap } from "./helpers";

test.setTimeout(180_000);

test("my API keys across two organizations; owner removed → owner inactive → transfer", async ({ browser }, info) => {
  const olivia = await (await browser.newContext()).newPage();
  const uma = await (await browser.newContext()).newPage();

  // Olivia runs "Team Two" and has a key there; she invites Uma as a member.
  await signUp(olivia, "Olivia Owner", "olivia@example.com");
  await olivia.goto("/orgs/new");
  await olivia.getByLabel("Name").fill("Team Two");
  await olivia.getByLabel("Slug").fill("team-two");
  await olivia.getByRole("button", { name: "Create organization" }).click();
  await expect(olivia).toHaveURL(/\/orgs\/team-two\/settings$/);
  await olivia.goto("/orgs/team-two/settings/api-keys");
  await olivia.getByRole("button", { name: "Create API key" }).click();
  await olivia.getByRole("dialog").getByRole("textbox", { name: "Name" }).fill("olivia-secret");
  await olivia.getByRole("dialog").getByRole("button", { name: "Create", exact: true }).click();
  await olivia.getByRole("dialog").getByRole("button", { name: "Done" }).click();
  await olivia.goto("/orgs/team-two/settings/members");
  await olivia.getByRole("button", { name: "Invite member" }).click();
  await olivia.getByLabel("Email").fill("uma@example.com");
  await olivia.getByRole("button", { name: "Create invitation" }).click();
  const link = await olivia.getByLabel("Invitation link").inputValue();

  await uma.goto(new URL(link).pathname);
  await uma.getByRole("link", { name: "Create an account" }).click();
  await uma.getByLabel("Name").fill("Uma User");
  await uma.getByLabel("Password").fill(PASSWORD);
  await uma.getByRole("button", { name: "Create account" }).click();
  await uma.getByRole("button", { name: "Join Team Two" }).click();
  await expect(uma).toHaveURL(/\/orgs\/team-two\/settings$/);

  // Uma's own keys: her personal org's default key, none of Olivia's.
  await uma.getByRole("button", { name: "Open user menu" }).click();
  await uma.getByRole("menuitem", { name: "My API keys" }).click();
  await expect(uma).toHaveURL(/\/account\/api-keys$/);
  await expect(uma.getByTestId("pagination-summary")).toHaveText("1–1 of 1");
  await expect(uma.getByText("olivia-secret")).toHaveCount(0);

  // She creates a key for Team Two from here.
  await uma.getByRole("button", { name: "Create API key" }).click();
  const dialog = uma.getByRole("dialog");
  await dialog.getByLabel("Organization").selectOption({ label: "Team Two" });
  await dialog.getByRole("textbox", { name: "Name" }).fill("uma-worker");
  await dialog.getByLabel("keys:write").check();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const token = await dialog.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^sk_prod_/);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(uma.getByTestId("pagination-summary")).toHaveText("1–2 of 2");
  await expect(uma.getByTestId("key-row-uma-worker")).toContainText("Team Two");
  await uma.getByLabel("Filter by organization").selectOption({ label: "Team Two" });
  await expect(uma.getByTestId("pagination-summary")).toHaveText("1–1 of 1");
  await snap(uma, info, "my-keys-01-list");

  // A member cannot grant what her role caps out.
  await uma.getByRole("button", { name: "Create API key" }).click();
  await dialog.getByLabel("Organization").selectOption({ label: "Team Two" });
  await dialog.getByRole("textbox", { name: "Name" }).fill("too-much");
  await dialog.getByLabel("audit:read").check();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByText(/cannot hold audit:read/)).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Roll it from the row menu.
  await uma.getByRole("button", { name: "Actions for uma-worker" }).click();
  await uma.getByRole("menuitem", { name: "Roll…" }).click();
  await uma.getByRole("button", { name: "Roll key" }).click();
  const rolled = await uma.getByTestId("new-token").inputValue();
  expect(rolled).not.toBe(token);
  await uma.getByRole("button", { name: "Done" }).click();

  // Olivia removes Uma and keeps her keys: the key shows "Owner inactive" until transferred.
  await olivia.goto("/orgs/team-two/settings/members");
  await olivia.getByTestId("member-uma@example.com").getByRole("button", { name: "Remove" }).click();
  const confirm = olivia.getByRole("alertdialog");
  await expect(confirm).toContainText("They own 1 key here.");
  await confirm.getByLabel(/Keep them/).check();
  await snap(olivia, info, "my-keys-02-remove-member");
  await confirm.getByRole("button", { name: "Remove member" }).click();
  await expect(olivia.getByTestId("member-uma@example.com")).toHaveCount(0);
  await olivia.goto("/orgs/team-two/settings/api-keys");
  await expect(olivia.getByTestId("key-row-uma-worker")).toContainText("Owner inactive");
  await olivia.getByRole("link", { name: "uma-worker" }).click();
  await olivia.getByLabel("New owner").selectOption({ label: "olivia@example.com" });
  await olivia.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(olivia.getByText("Key transferred")).toBeVisible();
  await expect(olivia.getByRole("heading", { name: /uma-worker/ })).toContainText("Active");
  await snap(olivia, info, "my-keys-03-transferred");

  // Uma no longer sees it among her keys.
  await uma.reload();
  await expect(uma.getByText("uma-worker")).toHaveCount(0);
});

test("account: change password, sign out everywhere, delete account revokes keys", async ({ browser }, info) => {
  const page = await (await browser.newContext()).newPage();
  await signUp(page, "Paula Profile", "paula@example.com");
  await page.goto("/account");
  await page.getByLabel("Current password").fill("wrong password");
  await page.getByLabel("New password", { exact: true }).fill("new password 123");
  await page.getByLabel("Confirm new password").fill("new password 123");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your current password is not correct")).toBeVisible();
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed")).toBeVisible();
  await expect(page.getByTestId("deletion-keys")).toContainText("Default public key");
  await snap(page, info, "account-01");

  await page.getByRole("button", { name: "Sign out of all sessions" }).click();
  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByLabel("Email").fill("paula@example.com");
  await page.getByLabel("Password").fill("new password 123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/api-keys/);

  await page.goto("/account");
  await page.getByLabel("Type paula@example.com to confirm").fill("paula@example.com");
  await page.getByRole("button", { name: "Delete account" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete account" }).click();
  await expect(page).toHaveURL(/\/sign-up/);
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("paula@example.com");
  await page.getByLabel("Password").fill("new password 123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong email or password.").first()).toBeVisible();
});
