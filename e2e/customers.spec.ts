// Customers and credits as an admin uses them: add a customer, give it credits, scope a key to it,
// see verification name the customer and stop at the credits, and be told why it cannot be deleted.
import { expect, test, type Locator } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createKeyInUi, signUp, snap } from "./helpers";

/** Types into the key form's customer picker and clicks the match. */
async function chooseCustomer(scope: Locator, search: string, label: string) {
  await scope.getByRole("combobox", { name: "Customer" }).fill(search);
  await scope.getByRole("option", { name: label }).click();
  await expect(scope.getByRole("combobox", { name: "Customer" })).toHaveValue(label);
}

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
  await expect(page.getByRole("row", { name: /Acme Inc\./ })).toContainText("2 credits");
  await snap(page, info, "customers-01-list");

  // A key scoped to the customer, from the key form.
  await page.goto(keysUrl);
  await page.getByRole("button", { name: "Create API key" }).click();
  const form = page.getByRole("dialog");
  await form.getByRole("textbox", { name: "Name" }).fill("Acme integration");
  await chooseCustomer(form, "acme", "Acme Inc. (acme-42)");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  const token = await form.getByTestId("new-token").inputValue();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("row", { name: /Acme integration/ }).getByRole("link", { name: "Acme Inc." })).toBeVisible();
  // The keys table shows the credits the key draws on: its customer's.
  await expect(page.getByRole("row", { name: /Acme integration/ })).toContainText("2 credits (customer)");

  // Verification names the customer and takes its credits; the third request is USAGE_EXCEEDED.
  const verify = async () => (await page.request.post("/api/v1/keys/verify", { data: { key: token } })).json();
  expect(await verify()).toMatchObject({ valid: true, customer: { externalId: "acme-42", name: "Acme Inc." }, credits: { remaining: 1 } });
  expect(await verify()).toMatchObject({ valid: true, credits: { remaining: 0 } });
  expect(await verify()).toMatchObject({ valid: false, code: "USAGE_EXCEEDED" });
  await page.reload();
  await expect(page.getByRole("row", { name: /Acme integration/ })).toContainText("0 credits (customer)");
  // The key page says which credits the key draws on.
  await page.getByRole("link", { name: "Acme integration" }).click();
  await expect(page.getByTestId("key-credits")).toHaveText("0 credits left — the customer's, shared by its keys");

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
    await chooseCustomer(form, "Glob", "Globex (globex)");
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

test("the customer picker finds any of many customers, by mouse or keyboard, in the key form and the keys filter", async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signUp(page, "Pia Picker", `pia-${Date.now()}@example.com`);
  const keysUrl = page.url();
  // More customers than the picker shows at once, added by a script.
  const token = await createKeyInUi(page, "Importer", ["keys:read", "keys:write"]);
  for (let n = 1; n <= 30; n++) {
    const r = await page.request.post("/api/v1/customers", { headers: { Authorization: `Bearer ${token}` }, data: { name: `Customer ${String(n).padStart(2, "0")}`, externalId: `ext-${n}` } });
    expect(r.status()).toBe(201);
  }
  await page.reload();

  await page.getByRole("button", { name: "Create API key" }).click();
  const form = page.getByRole("dialog");
  const picker = form.getByRole("combobox", { name: "Customer" });
  await expect(picker).toHaveAttribute("placeholder", "No customer");
  await picker.click();
  await expect(picker).toHaveAttribute("aria-expanded", "true");
  await expect(form.getByRole("listbox").getByRole("option")).toHaveCount(21); // "No customer" and the first 20 by name
  await expect(form.getByRole("status")).toHaveText("20 of 30 shown: type to find the others.");
  // The open picker passes axe (combobox, listbox and options named and wired).
  const { violations } = await new AxeBuilder({ page }).include('[role="dialog"]').analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  // The arrows walk the list, which scrolls to keep the active option in sight.
  for (let i = 0; i < 18; i++) await page.keyboard.press("ArrowDown");
  await expect(form.getByRole("option", { name: "Customer 18 (ext-18)" })).toBeInViewport();
  await expect(picker).toHaveAttribute("aria-activedescendant", await form.getByRole("option", { name: "Customer 18 (ext-18)" }).getAttribute("id") ?? "");
  // Escape closes the list and leaves the form open.
  await page.keyboard.press("Escape");
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(form.getByRole("textbox", { name: "Name" })).toBeVisible();
  // Nothing matches: said so.
  await picker.fill("zzz");
  await expect(form.getByRole("status")).toHaveText("No customer matches “zzz”.");
  // One past the first twenty, by its external ID, chosen with the keyboard.
  await picker.fill("ext-27");
  await expect(form.getByRole("option", { name: "Customer 27 (ext-27)" })).toBeVisible();
  await snap(page, info, "customers-05-picker");
  await page.keyboard.press("Enter");
  await expect(picker).toHaveValue("Customer 27 (ext-27)");
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await form.getByRole("textbox", { name: "Name" }).fill("Customer 27 key");
  await form.getByRole("button", { name: "Create", exact: true }).click();
  await expect(form.getByTestId("new-token")).toBeVisible();
  await page.keyboard.press("Escape");
  // Closed for good: the dialog gives focus back to "Create API key" as it goes (after its exit
  // animation), and typing into the filter before that lost the text to the returning focus (CI, once).
  await expect(form).toBeHidden();
  await expect(page.getByRole("row", { name: /Customer 27 key/ }).getByRole("link", { name: "Customer 27", exact: true })).toBeVisible();

  // The keys table's filter searches the same way; the choice is in the URL and survives a reload.
  const filter = page.getByRole("combobox", { name: "Filter by customer" });
  await filter.fill("27");
  await page.getByRole("option", { name: "Customer 27 (ext-27)" }).click();
  await expect(page).toHaveURL(/customer=cus_/);
  await expect(page.getByRole("row", { name: /Importer/ })).toHaveCount(0);
  await expect(page.getByRole("row", { name: /Customer 27 key/ })).toHaveCount(1);
  await page.reload();
  await expect(filter).toHaveValue("Customer 27 (ext-27)");
  await filter.click();
  await page.getByRole("option", { name: "Any customer" }).click();
  await expect(page).not.toHaveURL(/customer=/);
  await expect(page.getByRole("row", { name: /Importer/ })).toHaveCount(1);

  // The edit form starts from the key's customer and can clear it.
  await page.goto(keysUrl);
  await page.getByRole("link", { name: "Customer 27 key" }).click();
  const edit = page.getByRole("combobox", { name: "Customer" });
  await expect(edit).toHaveValue("Customer 27 (ext-27)");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 390, height: 844 });
  await edit.click();
  await expect(page.getByRole("option", { name: "No customer" })).toBeVisible();
  await snap(page, info, "customers-06-picker-phone-dark");
  await context.close();
});
