import { expect, test, type Page } from "@playwright/test";
import { createKeyInUi, signUp, snap } from "./helpers";

test.setTimeout(240_000);

/** Reloads until the request-log batch (written at least every second) shows on the page. */
async function reloadUntil(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass({ timeout: 15_000, intervals: [500, 1000] });
}

test("org analytics: empty state, charts and tables from real verifications, filters in the URL, dark mode, phone; least privilege on the key page", async ({ page }, info) => {
  await signUp(page, "Ana Lytics", "ana@example.com");
  const keysUrl = new URL(page.url()).pathname; // /orgs/<slug>/settings/api-keys
  const base = keysUrl.replace(/api-keys$/, "analytics");

  // In the sidebar; nothing verified yet.
  await page.getByRole("link", { name: "Analytics" }).click();
  await expect(page).toHaveURL(base);
  await expect(page.getByRole("heading", { name: "Analytics" })).toBeVisible();
  await expect(page.getByText("No verifications in the last 7 days")).toBeVisible();
  await snap(page, info, "analytics-01-empty");

  // A key that holds two permissions, verified a few ways.
  await page.goto(keysUrl);
  const token = await createKeyInUi(page, "Reporting job", ["keys:read", "audit:read"]);
  const verify = (data: Record<string, unknown>) => page.request.post("/api/v1/keys/verify", { data: { key: token, ...data } });
  for (let i = 0; i < 5; i++) expect((await (await verify({ permissions: ["keys:read"] })).json()).code).toBe("VALID");
  for (let i = 0; i < 3; i++) expect((await (await verify({ environment: "staging" })).json()).code).toBe("ENVIRONMENT_MISMATCH");
  expect((await (await verify({ permissions: ["keys:write"] })).json()).code).toBe("INSUFFICIENT_PERMISSIONS");

  await page.goto(base);
  await reloadUntil(page, async () => {
    await expect(page.getByRole("definition").filter({ hasText: /^9$/ })).toBeVisible({ timeout: 500 });
  });
  await expect(page.getByRole("img", { name: "Verifications per hour by outcome" })).toBeVisible();
  const top = page.getByRole("table", { name: "Top keys" });
  await expect(top.getByRole("row", { name: /Reporting job/ })).toContainText("9");
  const denied = page.getByRole("table", { name: "Most denied keys" });
  await expect(denied.getByRole("row", { name: /Reporting job/ })).toContainText("ENVIRONMENT_MISMATCH");
  await expect(page.getByRole("table", { name: "Verifications by environment" }).getByRole("row", { name: /Production/ })).toContainText("9");
  await page.setViewportSize({ width: 1366, height: 900 });
  await snap(page, info, "analytics-02-light-1366");

  // Filters live in the URL and survive a reload.
  await page.getByRole("combobox", { name: "Environment" }).selectOption("staging");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]environment=staging/);
  await expect(page.getByText("Nothing matches these filters in this period.")).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(base);
  await page.getByRole("link", { name: "30d" }).click();
  await expect(page).toHaveURL(`${base}?range=30d`);
  await expect(page.getByRole("img", { name: "Verifications per day by outcome" })).toBeVisible();
  await page.getByRole("combobox", { name: "Key" }).selectOption({ label: "Reporting job" });
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/\?range=30d&key=key_/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Key" })).toHaveValue(/^key_/);
  await expect(top.getByRole("row", { name: /Reporting job/ })).toContainText("9");
  // Nonsense in the URL falls back to the defaults instead of failing.
  await page.goto(`${base}?range=1y&environment=moon`);
  await expect(page.getByRole("link", { name: "7d" })).toHaveAttribute("aria-current", "true");

  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto(base);
  await expect(page.locator("html")).toHaveClass(/dark/);
  await snap(page, info, "analytics-03-dark-1366");
  await page.setViewportSize({ width: 390, height: 844 });
  await snap(page, info, "analytics-04-dark-390");
  await page.emulateMedia({ colorScheme: "light" });
  await page.reload();
  await snap(page, info, "analytics-05-light-390");
  // Nothing overflows the phone's width.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1366, height: 900 });

  // Least privilege on the key's page: keys:read was used 5 times, audit:read never.
  await top.getByRole("link", { name: "Reporting job" }).click();
  const panel = page.locator("#permission-usage");
  await expect(panel.getByTestId("permission-usage-keys:read")).toContainText("5");
  await expect(panel.getByTestId("permission-usage-audit:read")).toContainText("Unused");
  await snap(page, info, "analytics-06-key-permissions");
  await panel.getByRole("button", { name: "Remove unused permissions" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("audit:read");
  await dialog.getByRole("button", { name: "Remove" }).click();
  await expect(panel.getByTestId("permission-usage-audit:read")).toHaveCount(0);
  await expect(panel.getByTestId("permission-usage-keys:read")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Remove unused permissions" })).toHaveCount(0);
  // Audited, and the key no longer verifies with it.
  await page.reload();
  await expect(page.getByText("key.permissions_removed")).toBeVisible();
  expect((await (await verify({ permissions: ["audit:read"] })).json()).code).toBe("INSUFFICIENT_PERMISSIONS");
});
