// The API reference (/docs/api): Scalar from Latchkey's own bundle, fitting 1366 px and a phone,
// in the console's light and dark theme, with a "try it" that sends the pasted key and keeps it nowhere.
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { createKeyInUi, signUp } from "./helpers";

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

/** The viewport as the reader sees it (the whole page is some 14,000 px tall), kept with the test's artifacts. */
async function snap(page: Page, info: TestInfo, name: string) {
  const path = info.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await info.attach(name, { path, contentType: "image/png" });
}

async function noSidewaysScroll(page: Page) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(scroll, "page scrolls sideways").toBeLessThanOrEqual(client);
}

const operation = (path: string) => `[id="latchkey/tag/${path}"]`;

/** Scalar fills an operation's placeholder as it comes into view; under load the anchor's scroll can come first, so scroll again until it is there. */
async function rendered(page: Page, path: string, text: string) {
  const op = page.locator(operation(path));
  await expect(async () => {
    await op.scrollIntoViewIfNeeded();
    await expect(op).toContainText(text, { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  return op;
}

test("the reference renders the document at 1366 px and on a phone, light and dark, without sideways scroll", async ({ browser }, info) => {
  for (const [width, height, device] of [[1366, 900, "desktop"], [390, 844, "phone"]] as const) {
    for (const scheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: scheme });
      const page = await context.newPage();
      const problems = watch(page);
      // Scalar renders operations as they come into view; the anchor of "Create a key" brings it there.
      await page.goto("/docs/api#latchkey/tag/keys/POST/api/v1/keys");
      await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeAttached();
      // Scalar follows the console's theme (next-themes' class on <html>), not its own toggle.
      await expect(page.locator("html")).toHaveClass(new RegExp(`\\b${scheme}\\b`));
      await expect(page.locator("body")).toHaveClass(new RegExp(`\\b${scheme}-mode\\b`));
      await rendered(page, "keys/POST/api/v1/keys", "/api/v1/keys");
      await noSidewaysScroll(page);
      await snap(page, info, `reference-${device}-${scheme}-create-key`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await snap(page, info, `reference-${device}-${scheme}`);

      // The nested schema that ran 240 px past a 1366 px window: the verify answer's ratelimit, opened.
      await page.goto("/docs/api#latchkey/tag/verify/POST/api/v1/keys/verify");
      const verify = await rendered(page, "verify/POST/api/v1/keys/verify", "/api/v1/keys/verify");
      await verify.getByRole("button", { name: /^200/ }).click();
      const ratelimit = verify.getByRole("button", { name: "ratelimit", exact: true });
      await ratelimit.click();
      await expect(ratelimit).toHaveAttribute("aria-expanded", "true");
      await expect(verify.getByText("remaining", { exact: true }).first()).toBeVisible();
      await snap(page, info, `reference-verify-answer-${device}-${scheme}`);
      await noSidewaysScroll(page);

      // No integer is documented with JavaScript's safe-integer range, on the page or in the document it reads.
      await expect(page.getByText(/9007199254740991/)).toHaveCount(0);
      expect(await (await page.request.get("/api/v1/openapi.json")).text()).not.toContain("9007199254740991");
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
  const list = await rendered(page, "keys/GET/api/v1/keys", "/api/v1/keys");
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
