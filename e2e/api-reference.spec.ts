// The API reference (/docs/api): Scalar from Latchkey's own bundle, fitting 1366 px and a phone,
// in the console's light and dark theme, with a "try it" that sends the pasted key and keeps it nowhere.
import { expect, test, type Page } from "@playwright/test";
import { createKeyInUi, signUp, snap } from "./helpers";

/** Console errors and requests that leave this server (the suite runs on 127.0.0.1), collected while the page is open. */
function watch(page: Page) {
  const problems: string[] = [];
  page.on("console", (m) => {
    // The browser's own favicon request is not the reference's.
    if (m.type() === "error" && !/favicon/.test(m.location().url)) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (["http:", "https:"].includes(url.protocol) && url.hostname !== "127.0.0.1") problems.push(`left the server: ${r.url()}`);
  });
  return problems;
}

async function noSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, "page scrolls sideways").toBeLessThanOrEqual(client);
}

const operation = (path: string) => `[id="latchkey/tag/${path}"]`;

test("the reference renders the document at 1366 px and on a phone, light and dark, without sideways scroll", async ({ browser }, info) => {
  for (const [width, height, device] of [[1366, 900, "desktop"], [390, 844, "phone"]] as const) {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
      const page = await context.newPage();
      const problems = watch(page);
      await page.goto("/docs/api");
      await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
      // Scalar follows the console's theme (next-themes' class on <html>), not its own toggle.
      await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${scheme}\\b`));
      await expect(page.locator("body")).toHaveClass(new RegExp(`\\b${scheme}-mode\\b`));
      await expect(page.locator(operation("keys/POST/api/v1/keys"))).toContainText("/api/v1/keys");
      await expect(page.locator(operation("verify/POST/api/v1/keys/verify"))).toBeAttached();
      await noSidewaysScroll(page);
      await snap(page, info, `reference-${device}-${scheme}`);

      // The nested schema that ran 240 px past a 1366 px window: the verify answer's ratelimit, opened.
      const verify = page.locator(operation("verify/POST/api/v1/keys/verify"));
      await verify.scrollIntoViewIfNeeded();
      await verify.getByRole("button", { name: /^200/ }).click();
      const ratelimit = verify.getByRole("button", { name: /ratelimit/i }).filter({ hasNotText: /copy link/i }).first();
      if (await ratelimit.count()) await ratelimit.click();
      await expect(verify.getByText("ratelimit", { exact: true }).first()).toBeVisible();
      await noSidewaysScroll(page);
      if (device === "desktop") await snap(page, info, `reference-verify-answer-${scheme}`);

      // No integer is documented with JavaScript's safe-integer range.
      await expect(page.getByText(/9007199254740991/)).toHaveCount(0);
      expect(problems).toEqual([]);
      await context.close();
    }
  }
});

test("the console's theme toggle switches the reference between light and dark", async ({ browser }) => {
  const page = await (await browser.newContext({ colorScheme: "light" })).newPage();
  await page.goto("/docs/api");
  await expect(page.locator("body")).toHaveClass(/\blight-mode\b/);
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/\bdark\b/);
  await expect(page.locator("body")).toHaveClass(/\bdark-mode\b/);
  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await expect(page.locator("body")).toHaveClass(/\blight-mode\b/);
});

test("try it sends the key the reader pastes, and keeps it nowhere", async ({ browser }, info) => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  await signUp(page, "Rita Reader", "rita@example.com");
  const token = await createKeyInUi(page, "Reference reader", ["keys:read"]);
  // Signed out: the reference is public and the pasted key is the only credential sent.
  await context.clearCookies();
  const problems = watch(page);

  await page.goto("/docs/api#latchkey/tag/keys/GET/api/v1/keys");
  const list = page.locator(operation("keys/GET/api/v1/keys"));
  await list.getByRole("button", { name: /Test Request/ }).click();
  const client = page.getByRole("dialog");
  await client.getByPlaceholder("Token").fill(token);
  const sent = page.waitForRequest((r) => new URL(r.url()).pathname === "/api/v1/keys" && r.method() === "GET");
  await client.getByRole("button", { name: /^Send/ }).first().click();
  const request = await sent;
  expect(request.headers()["authorization"]).toBe(`Bearer ${token}`);
  const response = await request.response();
  expect(response?.status()).toBe(200);
  await expect(client.getByText("Reference reader").first()).toBeVisible();
  await snap(page, info, "reference-try-it");

  // Not in localStorage, sessionStorage or IndexedDB, and gone after a reload.
  const stored = await page.evaluate(async () => {
    const dbs = await indexedDB.databases();
    const idb: string[] = [];
    for (const { name } of dbs) {
      if (!name) continue;
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(open.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((resolve) => {
          const req = db.transaction(store).objectStore(store).getAll();
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => resolve([]);
        });
        idb.push(JSON.stringify(all));
      }
      db.close();
    }
    return JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, idb });
  });
  expect(stored).not.toContain(token);
  expect(stored).not.toContain(token.slice(-12));
  await page.reload();
  await page.locator(operation("keys/GET/api/v1/keys")).getByRole("button", { name: /Test Request/ }).click();
  await expect(page.getByRole("dialog").getByPlaceholder("Token")).toHaveValue("");
  expect(problems).toEqual([]);
  await context.close();
});
