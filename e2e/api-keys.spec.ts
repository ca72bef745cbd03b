import { expect, test, type Page } from "@playwright/test";
import { signUp, snap } from "./helpers";

test.setTimeout(420_000);

const summary = (page: Page) => page.getByTestId("pagination-summary");
const firstRowName = (page: Page) => page.locator("tbody tr").first().locator("td").nth(1);

test("key lifecycle: create with every field, copy, 60 keys in the table, edit, roll, suspend, reactivate, revoke, delete, audit", async ({ browser }, info) => {
  const context = await browser.newContext({ permissions: ["clipboard-read", "clipboard-write"] });
  const page = await context.newPage();
  await signUp(page, "Kim Keys", "kim@example.com");
  const base = new URL(page.url()).pathname; // /orgs/<slug>/settings/api-keys
  await expect(page.getByTestId("key-row-Default public key")).toContainText(/public/i);

  // An org permission to grant.
  await page.getByRole("link", { name: "Permissions" }).click();
  await expect(page.getByRole("heading", { name: "Add a permission" })).toBeVisible();
  await page.getByRole("textbox", { name: "Name" }).fill("customers:read");
  await page.getByLabel("Description").fill("Read customer records");
  await page.getByRole("button", { name: "Add permission" }).click();
  await expect(page.getByTestId("permission-customers:read")).toBeVisible();
  await page.getByRole("link", { name: "API keys" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();

  // Create a key with every field.
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "Name" }).fill("Billing service");
  await dialog.getByLabel("Description", { exact: true }).fill("Reads customers for invoices");
  await dialog.getByLabel("Environment", { exact: true }).selectOption("staging");
  await dialog.getByLabel("customers:read").check();
  await dialog.getByLabel("keys:verify").check();
  // Two named limits: the first is suggested as "default"; the second gets a name that clashes.
  await dialog.getByRole("button", { name: "Add rate limit" }).click();
  await expect(dialog.getByLabel("Limit name")).toHaveValue("default");
  await expect(dialog.getByLabel("Limit name")).toBeFocused();
  await dialog.getByLabel("Requests").fill("100");
  await dialog.getByLabel("Window", { exact: true }).selectOption("60");
  await dialog.getByRole("button", { name: "Add rate limit" }).click();
  await dialog.getByLabel("Limit name").nth(1).fill("default");
  await dialog.getByLabel("Requests").nth(1).fill("10");
  await dialog.getByLabel("Window", { exact: true }).nth(1).selectOption("1");
  await dialog.getByTestId("named-limits").scrollIntoViewIfNeeded();
  await snap(page, info, "keys-00-named-limits");
  await dialog.getByLabel("Expires", { exact: true }).selectOption("30");
  await dialog.getByText("Restrictions and metadata").click();
  await dialog.getByLabel("Rules", { exact: true }).fill("allow GET /v1/customers/**\npermit everything");
  await dialog.getByLabel("IP allowlist").fill("10.0.0.0/8\n203.0.113.7");
  await dialog.getByLabel("External ID").fill("cus_42");
  await dialog.getByLabel("Metadata (JSON)").fill('{"plan":"pro"}');
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  // The clashing limit name is refused on its row; nothing was created.
  await expect(dialog.getByText("Another limit is already named “default”: names must be unique")).toBeVisible();
  await dialog.getByLabel("Limit name").nth(1).fill("burst");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  // The server's rule error is shown inline, with its line number; nothing was created.
  await expect(dialog.getByText(/^Line 2:/)).toBeVisible();
  await snap(page, info, "keys-01-create-error");
  await dialog.getByLabel("Rules", { exact: true }).fill("allow GET /v1/customers/**");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const token = await dialog.getByTestId("new-token").inputValue();
  expect(token).toMatch(/^sk_stg_[0-9A-Za-z]{28}$/);
  await expect(dialog.getByText("It will not be shown again")).toBeVisible();
  await snap(page, info, "keys-02-token-once");
  await dialog.getByRole("button", { name: "Copy key" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
  await dialog.getByRole("button", { name: "Done" }).click();
  const billing = page.getByTestId("key-row-Billing service");
  await expect(billing).toContainText(`sk_stg_…${token.slice(-4)}`);
  await expect(billing).toContainText("100 / minute +1");
  await expect(billing).toContainText("customers:read");
  await billing.getByRole("button", { name: "Copy the ID of Billing service" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^key_[0-9A-Za-z]{20}$/);
  // The secret is nowhere on the page any more.
  await expect(page.getByText(token)).toHaveCount(0);

  // A duplicate name is refused on the name field.
  await page.getByRole("button", { name: "Create API key" }).click();
  await dialog.getByRole("textbox", { name: "Name" }).fill("billing service");
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  await expect(dialog.getByText("Another key of this organization already has this name")).toBeVisible();

  // 58 more keys with "Create & create another" (60 in all with the default public key).
  for (let i = 0; i < 58; i++) {
    await dialog.getByRole("textbox", { name: "Name" }).fill(`svc-${String(i).padStart(2, "0")}`);
    if (i % 2) await dialog.getByLabel("Environment", { exact: true }).selectOption("development");
    await dialog.getByRole("button", { name: "Create & create another" }).click();
    await expect(dialog.getByTestId("new-token")).toBeVisible();
    await dialog.getByRole("button", { name: "Create another" }).click();
  }
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await page.reload();

  // Pagination, per page, and URL state that survives a reload.
  await expect(summary(page)).toHaveText("1–25 of 60");
  await page.getByRole("button", { name: "Next" }).click();
  await expect(summary(page)).toHaveText("26–50 of 60");
  await expect(page).toHaveURL(/page=2/);
  await page.getByLabel("Keys per page").selectOption("100");
  await expect(summary(page)).toHaveText("1–60 of 60");
  await page.reload();
  await expect(summary(page)).toHaveText("1–60 of 60");
  await snap(page, info, "keys-03-sixty-keys");

  // Search (debounced, server-side) and filters.
  await page.getByLabel("Search keys").fill("svc-1");
  await expect(summary(page)).toHaveText("1–10 of 10");
  await expect(page).toHaveURL(/q=svc-1/);
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(summary(page)).toHaveText("1–60 of 60");
  await page.getByLabel("Filter by environment").selectOption("development");
  await expect(summary(page)).toHaveText("1–29 of 29");
  await page.getByLabel("Filter by type").selectOption("public");
  await expect(page.getByText("No keys match these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByLabel("Filter by status").selectOption("expiring");
  await expect(summary(page)).toHaveText("0–0 of 0");
  await page.getByLabel("Filter by status").selectOption("active");
  await expect(summary(page)).toHaveText("1–60 of 60");

  // Sort by name: descending, then ascending.
  await page.getByRole("button", { name: /Sort by Name/ }).click();
  await expect(firstRowName(page)).toContainText("svc-57");
  await page.getByRole("button", { name: /Sort by Name/ }).click();
  await expect(firstRowName(page)).toContainText("Billing service");
  await expect(page).toHaveURL(/sort=name&dir=asc|dir=asc.*sort=name/);
  await snap(page, info, "keys-04-sorted");

  // Verification through the public endpoint (door 2 of the production server) is recorded as usage.
  const verified = await page.request.post("/api/v1/keys/verify", { data: { key: token, environment: "staging", method: "GET", path: "/v1/customers/1" } });
  expect(await verified.json()).toMatchObject({ valid: false, code: "IP_NOT_ALLOWED", name: "Billing service" });

  // Edit on the detail page.
  await page.getByRole("link", { name: "Billing service" }).click();
  await expect(page.getByRole("heading", { name: /Billing service/ })).toBeVisible();
  await expect(page.getByText("10.0.0.0/8, 203.0.113.7")).toBeVisible();
  const edit = page.locator("form").filter({ has: page.getByRole("button", { name: "Save changes" }) });
  await edit.getByLabel("Description").fill("Reads customers for invoices and receipts");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Key updated")).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("table", { name: "Request log" })).toContainText("IP_NOT_ALLOWED", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("table", { name: "Request log" })).toContainText("GET /v1/customers/1");
  await snap(page, info, "keys-05-detail");

  // Roll with a 1 h grace.
  await page.getByRole("button", { name: "Roll", exact: true }).click();
  await page.getByLabel("Old token keeps working for").selectOption("1h");
  await page.getByRole("button", { name: "Roll key" }).click();
  const rolled = await page.getByTestId("new-token").inputValue();
  expect(rolled).toMatch(/^sk_stg_/);
  expect(rolled).not.toBe(token);
  await expect(page.getByText("The previous token keeps working until")).toBeVisible();
  await snap(page, info, "keys-06-rolled");
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByText("Previous token")).toBeVisible();

  // Suspend → reactivate → revoke → delete, each confirmed.
  const status = page.getByRole("heading", { name: /Billing service/ });
  await page.getByRole("button", { name: "Suspend", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Suspend" }).click();
  await expect(status).toContainText("Suspended");
  await page.getByRole("button", { name: "Reactivate", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Reactivate" }).click();
  await expect(status).toContainText("Active");
  await page.getByRole("button", { name: "Revoke", exact: true }).click();
  await expect(page.getByRole("alertdialog")).toContainText("permanent");
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(status).toContainText("Revoked");
  await page.getByRole("button", { name: "Delete", exact: true }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(new RegExp(`${base}$`));
  await expect(page.getByTestId("key-row-Billing service")).toHaveCount(0);

  // Bulk: suspend two keys at once.
  await page.getByLabel("Search keys").fill("svc-0");
  await expect(summary(page)).toHaveText("1–10 of 10");
  await page.getByLabel("Select svc-00").check();
  await page.getByLabel("Select svc-01").check();
  await page.getByRole("region", { name: "Bulk actions" }).getByRole("button", { name: "Suspend" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Suspend" }).click();
  await expect(page.getByTestId("key-row-svc-00")).toContainText("Suspended");
  await expect(page.getByTestId("key-row-svc-01")).toContainText("Suspended");

  // The audit log shows every step.
  await page.goto(base.replace("/api-keys", "/audit-log?perPage=100"));
  for (const action of ["key.created", "key.updated", "key.rolled", "key.suspended", "key.reactivated", "key.revoked", "key.deleted", "permission.created"]) {
    await expect(page.getByRole("table").getByText(action, { exact: true }).first()).toBeVisible();
  }
  await snap(page, info, "keys-07-audit");
  await context.close();
});
