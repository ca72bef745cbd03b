import { expect, type Page, type TestInfo } from "@playwright/test";

export const PASSWORD = "correct horse battery staple";

export async function signUp(page: Page, name: string, email: string) {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/orgs\/[^/]+\/settings\/api-keys$/);
}

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Full-page screenshot kept with the test's artifacts (and attached to the HTML report). */
export async function snap(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await info.attach(name, { path, contentType: "image/png" });
}

/** Creates a secret key from the API keys page with these permissions; returns its token (shown once). */
export async function createKeyInUi(page: Page, name: string, permissions: string[]): Promise<string> {
  await page.getByRole("button", { name: "Create API key" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByRole("textbox", { name: "Name" }).fill(name);
  for (const p of permissions) await dialog.getByLabel(p).check();
  await dialog.getByRole("button", { name: "Create", exact: true }).click();
  const token = await dialog.getByTestId("new-token").inputValue();
  await page.keyboard.press("Escape");
  return token;
}

/**
 * Scalar (/docs/api) puts an empty placeholder where each operation and model goes and fills it as
 * it first comes into view. Brings every placeholder into view until none is left, so that a check
 * sees the whole reference, not the shell; then back to the top.
 */
export async function renderWholeReference(page: Page) {
  // The document is read and laid out: the first operation's section (or its placeholder) is there.
  await expect(page.locator('[id="latchkey/tag/keys/GET/api/v1/keys"]')).toBeAttached({ timeout: 30_000 });
  const placeholders = page.locator('[data-placeholder="true"]');
  await expect(async () => {
    await page.evaluate(() => document.querySelector('[data-placeholder="true"]')?.scrollIntoView());
    await expect(placeholders).toHaveCount(0, { timeout: 500 });
  }).toPass({ timeout: 60_000, intervals: [100] });
  await page.evaluate(() => window.scrollTo(0, 0));
  // Filled, not only unmarked: the first operation and the last model have their text.
  await expect(page.locator('[id="latchkey/tag/keys/POST/api/v1/keys"]')).toContainText("/api/v1/keys");
  await expect(page.locator('[id^="latchkey/models/"]').last()).not.toBeEmpty();
}
