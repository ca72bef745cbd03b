// Customers and credits as an admin uses them: add a customer, give it credits, scope a key to it,
// see verification name the customer and stop at the credits, and be told why it cannot be deleted.
import { expect, test } from "@playwright/test";
import { signUp, snap } from "./helpers";

test("customers: add, scope a key with credits, verify until the credits run out, refuse deleting a customer with keys", async ({ browser }, info) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signUp(page, "Cora Customer", `cora-${Date.now()}@example.com`);
  const keysUrl = page.url();

  // Empty state, then a customer with 2 credits shared by its keys.
  await page.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByText("No customers yet.")).toBeVisible();
  await page.getByRole("button", { name: "Add customer" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Acme Inc.");
  await dialog.getByLabel("External ID").fill("acme-42");
  await dialog.getByLabel("Remaining").fill("2");
  await dialog.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByRole("heading", { name: "Acme Inc." })).toBeVisible();
  await expect(page.getByText("2 credits left, shared by the customer's keys")).toBeVisible();
  const customerUrl = page.url();

  // A duplicate external ID is named at its field.
  await page.getByRole("link", { name: "Customers", exact: true }).first().click();
  await page.getByRole("button", { name: "Add customer" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Acme again");
  await page.getByRole("dialog").getByLabel("External ID").fill("acme-42");
  await page.getByRole("dialog").getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByRole("dialog").getByText("already has this external ID")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("link", { name: "Acme Inc." })).toBeVisible();
  await snap(page, info, "customers-01-list");

  // A key scoped to the customer, from the key form.
  await page.goto(keysUrl);
  await page.getByRole("button", { name: "Create API key" }).click();
  const form = page.getByRole("dialog");
  await form.getByRole("textbox", { name: "Name" }).fill("Acme integration");
  await form.getByLabel("Customer").selectOption({ label: "Acme Inc. (acme-42)" });
  await form.getByRole("button", { name: "Create", exact: true }).click();
  const token = await form.getByTestId("new-token").inputValue();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("row", { name: /Acme integration/ }).getByRole("link", { name: "Acme Inc." })).toBeVisible();

  // Verification names the customer and takes its credits; the third request is USAGE_EXCEEDED.
  const verify = async () => (await page.request.post("/api/v1/keys/verify", { data: { key: token } })).json();
  expect(await verify()).toMatchObject({ valid: true, customer: { externalId: "acme-42", name: "Acme Inc." }, credits: { remaining: 1 } });
  expect(await verify()).toMatchObject({ valid: true, credits: { remaining: 0 } });
  expect(await verify()).toMatchObject({ valid: false, code: "USAGE_EXCEEDED" });

  // The customer page lists the key; deleting is refused and says why.
  await page.goto(customerUrl);
  await expect(page.getByText("0 credits left")).toBeVisible();
  await expect(page.getByRole("link", { name: "Acme integration" }).first()).toBeVisible();
  // Its usage, from the rollups (the request-log batch is written within a second or so).
  const usage = page.getByRole("region", { name: "Customer usage" });
  await expect(async () => {
    await page.reload();
    await expect(usage.getByText("Last 24 hours").locator("..")).toContainText("3", { timeout: 500 });
  }).toPass({ timeout: 15_000, intervals: [500, 1000] });
  await expect(usage.getByText("1 denied").first()).toBeVisible();
  await expect(usage.getByRole("list", { name: "Busiest keys" })).toContainText("Acme integration");
  // The same counts on the analytics page, filtered by the customer (in the URL).
  await usage.getByRole("link", { name: "Open in analytics" }).click();
  await expect(page).toHaveURL(/analytics\?range=30d&customer=cus_/);
  await expect(page.getByRole("combobox", { name: "Customer" })).toHaveValue(/^cus_/);
  await expect(page.getByRole("table", { name: "Top keys" }).getByRole("row", { name: /Acme integration/ })).toContainText("3");
  await page.getByRole("combobox", { name: "Customer" }).selectOption("");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).not.toHaveURL(/customer=cus_/);
  await expect(page.getByRole("combobox", { name: "Customer" })).toHaveValue("");
  await page.goto(customerUrl);
  await page.getByRole("button", { name: "Delete customer" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("1 key is scoped to this customer");
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete customer" }).click();
  await expect(page.getByText(/still has 1 key/).first()).toBeVisible();
  await snap(page, info, "customers-02-page");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await snap(page, info, "customers-03-phone-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.setViewportSize({ width: 1366, height: 900 });

  // A customer's named limit is shared by its keys: 3 an hour between two keys.
  await page.goto(keysUrl);
  await page.getByRole("link", { name: "Customers" }).click();
  await page.getByRole("button", { name: "Add customer" }).click();
  await dialog.getByLabel("Name").fill("Globex");
  await dialog.getByLabel("External ID").fill("globex");
  await dialog.getByRole("button", { name: "Add rate limit" }).click();
  await dialog.getByLabel("Requests").fill("3");
  await dialog.getByLabel("Window", { exact: true }).selectOption("3600");
  await dialog.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByTestId("customer-limits")).toContainText("default 3 / hour");
  const tokens: string[] = [];
  for (const name of ["Globex web", "Globex batch"]) {
    await page.goto(keysUrl);
    await page.getByRole("button", { name: "Create API key" }).click();
    await form.getByRole("textbox", { name: "Name" }).fill(name);
    await form.getByLabel("Customer").selectOption({ label: "Globex (globex)" });
    await form.getByRole("button", { name: "Create", exact: true }).click();
    tokens.push(await form.getByTestId("new-token").inputValue());
    await page.keyboard.press("Escape");
  }
  const codes: string[] = [];
  for (const t of [...tokens, ...tokens]) codes.push((await (await page.request.post("/api/v1/keys/verify", { data: { key: t } })).json()).code);
  expect(codes).toEqual(["VALID", "VALID", "VALID", "RATE_LIMITED"]);
  // The key page says where the limit comes from.
  await page.getByRole("link", { name: "Globex web" }).click();
  await expect(page.getByTestId("key-limits")).toContainText("default 3 requests per hour — the customer's, shared by its keys");
  await snap(page, info, "customers-04-key-with-customer-limit");
  await context.close();
});
