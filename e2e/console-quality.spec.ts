// The console as a careful user (and an attacker) finds it: security headers on every page and on
// the API (the verify fast path kept minimal), no serious or critical accessibility violations on
// any page in light or dark, the keys table fits a laptop screen (with a Columns menu and an Active
// switch), the pagination fits a phone, sorting follows quick clicks, and the key page reads top-down.
import { test, expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createKeyInUi, renderWholeReference, signUp, snap } from "./helpers";

async function seriousViolations(page: Page, { large = false } = {}) {
  let axe = new AxeBuilder({ page });
  // The whole API reference is some 12,000 elements: axe's default (a partial run per frame, then a
  // second page that merges them, passed nodes included) spends most of a minute carrying results
  // about; run in the page itself (the page has no frames) and bring back the violations only.
  if (large) {
    expect(page.frames(), "a page without frames").toHaveLength(1);
    axe = axe.setLegacyMode(true).options({ resultTypes: ["violations"] });
  }
  const { violations } = await axe.analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

async function laptop(browser: Browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  return { context, page: await context.newPage() };
}

/** How far the keys table scrolls sideways (0: every visible column in view). */
const tableOverflow = (page: Page) =>
  page
    .locator("table")
    .first()
    .evaluate((t) => t.parentElement!.scrollWidth - t.parentElement!.clientWidth);

test("security headers on console pages and API answers; the verify fast path stays minimal", async ({ browser }) => {
  const { context, page } = await laptop(browser);
  await signUp(page, "Header Check", `headers-${Date.now()}@example.com`);
  const keysUrl = page.url();

  // Pages, signed in or not: no framing, a nonce CSP, no sniffing, a referrer policy, no browser features.
  for (const url of [keysUrl, "/sign-in"]) {
    const h = (await page.request.get(url)).headers();
    expect(h["x-frame-options"], url).toBe("DENY");
    expect(h["content-security-policy"], url).toMatch(/frame-ancestors 'none'/);
    expect(h["content-security-policy"], url).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(h["content-security-policy"], url).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(h["x-content-type-options"], url).toBe("nosniff");
    expect(h["referrer-policy"], url).toBe("strict-origin-when-cross-origin");
    expect(h["permissions-policy"], url).toContain("camera=()");
  }
  // Each page gets its own nonce.
  const nonce = async () => /'nonce-([^']+)'/.exec((await page.request.get(keysUrl)).headers()["content-security-policy"])![1];
  expect(await nonce()).not.toBe(await nonce());

  // The page still runs under that policy: the create dialog opens (hydrated) and no CSP error is logged.
  const cspErrors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text())));
  await page.reload();
  const token = await createKeyInUi(page, "Header probe", ["keys:read"]);
  expect(cspErrors).toEqual([]);

  // The management API, answered and refused: JSON that is never sniffed, framed, cached or leaks a referrer.
  const api = context.request;
  const answers = [
    ["GET /api/v1/keys", await api.get("/api/v1/keys", { headers: { authorization: `Bearer ${token}` } }), 200],
    ["GET /api/v1/keys without a key", await api.get("/api/v1/keys", { headers: { authorization: "" } }), 401],
    ["POST /api/v1/keys without the permission", await api.post("/api/v1/keys", { headers: { authorization: `Bearer ${token}` }, data: { name: "x" } }), 403],
  ] as const;
  for (const [name, res, status] of answers) {
    expect(res.status(), name).toBe(status);
    const h = res.headers();
    expect(h["content-type"], name).toMatch(/^application\/(problem\+)?json/);
    expect(h["x-content-type-options"], name).toBe("nosniff");
    expect(h["x-frame-options"], name).toBe("DENY");
    expect(h["referrer-policy"], name).toBe("strict-origin-when-cross-origin");
    expect(h["cache-control"], name).toContain("no-store");
    expect(h["set-cookie"], name).toBeUndefined();
  }

  // The verify fast path (answered before Next.js) keeps its few headers: nothing page-only, no cookie.
  const verify = await api.post("/api/v1/keys/verify", { headers: { authorization: "", "content-type": "application/json" }, data: { key: token } });
  expect(verify.status()).toBe(200);
  expect((await verify.json()).valid).toBe(true);
  const vh = verify.headers();
  expect(vh["content-type"]).toMatch(/^application\/json/);
  expect(vh["cache-control"]).toBe("no-store");
  for (const pageOnly of ["content-security-policy", "x-frame-options", "permissions-policy", "set-cookie", "strict-transport-security", "x-powered-by"]) expect(vh[pageOnly], pageOnly).toBeUndefined();
  await context.close();
});

test("keys table: Columns menu remembered per user, Active switch, fits 1366 px, quick sorting, phone footer", async ({ browser }, info) => {
  test.setTimeout(180_000);
  const { context, page } = await laptop(browser);
  const email = `quality-${Date.now()}@example.com`;
  await signUp(page, "Quality Check", email);
  const keysUrl = page.url();
  const billing = await createKeyInUi(page, "Billing service", ["keys:read", "keys:write", "audit:read"]);
  for (let i = 1; i <= 11; i++) await createKeyInUi(page, `svc-${String(i).padStart(2, "0")}`, []);
  // The widest Limits cell: two named limits and seven-digit credits, on the first page.
  const metered = await page.request.post("/api/v1/keys", {
    headers: { Authorization: `Bearer ${billing}` },
    data: { name: "svc-metered", ratelimits: [{ name: "default", limit: 100000, window: 60 }, { name: "burst", limit: 5000, window: 1 }], credits: { remaining: 1250000 } },
  });
  expect(metered.status()).toBe(201);
  await page.goto(`${keysUrl}?perPage=10`);
  await expect(page.getByRole("row", { name: /svc-metered/ })).toContainText("1,250,000 credits");

  // The default columns fit a 1366 px laptop: no sideways scrolling.
  const header = page.locator("thead");
  await expect(header).toContainText("Limits");
  await expect(header).not.toContainText("Created");
  expect(await tableOverflow(page)).toBeLessThanOrEqual(1);
  await snap(page, info, "quality-01-keys-1366");

  // The Columns menu, by keyboard: open it, show "Created", hide "Owner"; the menu stays open between changes.
  const columns = page.getByRole("button", { name: "Columns" });
  await columns.focus();
  await page.keyboard.press("Enter");
  const menu = page.getByRole("menu");
  await expect(menu.getByRole("menuitemcheckbox", { name: "Created" })).toHaveAttribute("aria-checked", "false");
  await expect(menu.getByRole("menuitemcheckbox", { name: "Owner" })).toHaveAttribute("aria-checked", "true");
  await menu.getByRole("menuitemcheckbox", { name: "Created" }).focus();
  await page.keyboard.press("Enter");
  await menu.getByRole("menuitemcheckbox", { name: "Owner" }).focus();
  await page.keyboard.press("Space");
  await expect(menu.getByRole("menuitemcheckbox", { name: "Created" })).toHaveAttribute("aria-checked", "true");
  await expect(menu.getByRole("menuitemcheckbox", { name: "Owner" })).toHaveAttribute("aria-checked", "false");
  await expect(header).toContainText("Created");
  await expect(header).not.toContainText("Owner");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect.soft(await seriousViolations(page), `keys page with the Columns menu open, ${scheme}`).toEqual([]);
    await page.screenshot({ path: info.outputPath(`quality-02-columns-menu-${scheme}-1366.png`) });
  }
  await page.emulateMedia({ colorScheme: "light" });
  await page.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(columns).toBeFocused();

  // Remembered after a reload, for this user only: another account on the same browser sees the default.
  await page.reload();
  await expect(header).toContainText("Created");
  await expect(header).not.toContainText("Owner");
  const other = await context.newPage();
  await context.clearCookies();
  await signUp(other, "Other Person", `other-${Date.now()}@example.com`);
  await createKeyInUi(other, "other-key", []);
  await expect(other.locator("thead")).toContainText("Owner");
  await expect(other.locator("thead")).not.toContainText("Created");
  await other.close();
  await context.clearCookies();
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct horse battery staple");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/settings\/api-keys/);
  await page.goto(`${keysUrl}?perPage=10`);
  await expect(header).toContainText("Created");
  // "Reset to default" brings the laptop-sized set back.
  await columns.click();
  await page.getByRole("menuitem", { name: "Reset to default" }).click();
  await expect(header).not.toContainText("Created");
  await expect(header).toContainText("Owner");

  // The Active switch: off asks first (and Cancel leaves the key alone); on reactivates at once.
  const row = page.getByTestId("key-row-svc-05");
  const active = row.getByRole("switch", { name: "Active: svc-05" });
  await expect(active).toHaveAttribute("aria-checked", "true");
  await active.click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("Suspend “svc-05”?");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(active).toHaveAttribute("aria-checked", "true");
  await active.click();
  await confirm.getByRole("button", { name: "Suspend" }).click();
  await expect(row).toContainText("Suspended");
  await expect(active).toHaveAttribute("aria-checked", "false");
  await active.press("Space");
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await expect(row).toContainText("Active");
  await expect(active).toHaveAttribute("aria-checked", "true");
  await expect(page.getByText("svc-05 reactivated")).toBeVisible();

  // A switch left stale by a change elsewhere says what went wrong and then shows the truth.
  await active.click();
  await confirm.getByRole("button", { name: "Suspend" }).click();
  await expect(active).toHaveAttribute("aria-checked", "false");
  const elsewhere = await context.newPage();
  await elsewhere.goto(`${keysUrl}?perPage=10`);
  await elsewhere.getByTestId("key-row-svc-05").getByRole("switch").click();
  await expect(elsewhere.getByTestId("key-row-svc-05")).toContainText("Active");
  await elsewhere.close();
  await active.click();
  await expect(page.getByText("“svc-05” is not suspended.")).toBeVisible();
  await expect(active).toHaveAttribute("aria-checked", "true");

  // Revoked keys have no switch.
  await page.getByRole("button", { name: "Actions for svc-06" }).click();
  await page.getByRole("menuitem", { name: "Revoke…" }).click();
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("key-row-svc-06")).toContainText("Revoked");
  await expect(page.getByTestId("key-row-svc-06").getByRole("switch")).toHaveCount(0);

  // Sorting: two quick clicks on a header sort descending, then ascending.
  const sortByName = page.getByRole("button", { name: /Sort by Name/ });
  await sortByName.click();
  await sortByName.click();
  await expect(page).toHaveURL(/sort=name&dir=asc|dir=asc.*sort=name/);
  await expect(page.locator("tbody tr").first()).toContainText("Billing service");

  // A phone: the pagination footer stays inside the screen; the Columns menu fits too.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${keysUrl}?perPage=10`);
  const footerRight = await page.getByTestId("pagination-summary").evaluate((el) => {
    let n: HTMLElement | null = el as HTMLElement;
    while (n && getComputedStyle(n).display !== "flex") n = n.parentElement;
    return Math.max(...Array.from((n ?? el).querySelectorAll("*")).map((c) => c.getBoundingClientRect().right));
  });
  expect(footerRight).toBeLessThanOrEqual(390);
  const pageOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(pageOverflow).toBeLessThanOrEqual(0);
  await snap(page, info, "quality-03-keys-phone");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await columns.click();
    const box = await page.getByRole("menu").boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    await page.screenshot({ path: info.outputPath(`quality-04-columns-menu-${scheme}-390.png`) });
    await page.keyboard.press("Escape");
  }
  await context.close();
});

test("the key page reads top-down: summary, usage, settings, activity, with section links", async ({ browser }, info) => {
  const { context, page } = await laptop(browser);
  await signUp(page, "Reader Person", `reader-${Date.now()}@example.com`);
  await createKeyInUi(page, "Reading key", ["keys:read"]);
  await page.getByRole("link", { name: "Reading key" }).click();
  await expect(page.getByRole("heading", { name: /Reading key/ })).toBeVisible();

  const sections = page.getByRole("navigation", { name: "Sections of this key" });
  for (const name of ["Summary", "Usage", "Settings", "Activity"]) await expect(sections.getByRole("link", { name })).toBeVisible();
  // In reading order: the summary and usage come before the edit form, the audit trail last.
  const top = async (selector: string) => (await page.locator(selector).first().boundingBox())!.y;
  const order = [await top("#summary"), await top("#usage"), await top("#settings"), await top("#activity")];
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(await top("#usage")).toBeLessThan(await top("form:has(button:text('Save changes'))"));
  await expect(page.locator("#summary")).toContainText("Key ID");
  await expect(page.locator("#usage")).toContainText("verifications in the last 24 hours");
  await expect(page.locator("#settings").getByRole("button", { name: "Save changes" })).toBeVisible();
  await expect(page.locator("#activity").getByRole("table", { name: "Request log" }).or(page.locator("#activity").getByText("No requests recorded"))).toBeVisible();
  await expect(page.locator("#activity")).toContainText("key.created");

  // A section link scrolls its section into view below the sticky header.
  await sections.getByRole("link", { name: "Activity" }).click();
  await expect(page).toHaveURL(/#activity$/);
  await expect(page.locator("#activity-heading")).toBeInViewport();

  for (const [width, height] of [[1366, 900], [390, 844]] as const) {
    await page.setViewportSize({ width, height });
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(page.url().replace(/#.*$/, ""));
      await snap(page, info, `quality-05-key-page-${scheme}-${width}`);
    }
    if (width === 390) expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  }
  await context.close();
});

test("axe on every console page, light and dark: no serious or critical violations", async ({ browser }, info) => {
  // Some twenty pages twice, a success and an error toast twice.
  test.setTimeout(420_000);
  const { context, page } = await laptop(browser);
  // Signed out: sign-in and sign-up.
  const signedOut: [string, string][] = [["sign-in", "/sign-in"], ["sign-up", "/sign-up"]];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, url] of signedOut) {
      await page.goto(url);
      expect.soft(await seriousViolations(page), `${name}, ${scheme}`).toEqual([]);
    }
  }

  await signUp(page, "Axe Admin", `axe-${Date.now()}@example.com`);
  const keysUrl = page.url();
  const base = keysUrl.replace(/\/api-keys$/, "");
  await createKeyInUi(page, "Axe key", ["keys:read"]);
  const keyUrl = new URL((await page.getByRole("link", { name: "Axe key" }).getAttribute("href"))!, keysUrl).toString();
  // A customer, a pending invitation: the pages have rows to check, not only empty states.
  await page.goto(`${base}/customers`);
  await page.getByRole("button", { name: "Add customer" }).click();
  await page.getByRole("dialog").getByLabel("Name").fill("Axe Customer");
  await page.getByRole("dialog").getByLabel("External ID").fill("axe-1");
  await page.getByRole("dialog").getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByRole("heading", { name: "Axe Customer" })).toBeVisible();
  const customerUrl = page.url();
  await page.goto(`${base}/members`);
  await page.getByRole("button", { name: "Invite member" }).click();
  await page.getByLabel("Email").fill(`invitee-${Date.now()}@example.com`);
  await page.getByRole("button", { name: "Create invitation" }).click();
  const inviteUrl = new URL(await page.getByLabel("Invitation link").inputValue()).pathname;
  await page.keyboard.press("Escape");

  const pages: [string, string][] = [
    ["API keys", keysUrl],
    ["key", keyUrl],
    ["customers", `${base}/customers`],
    ["customer", customerUrl],
    ["analytics", `${base}/analytics`],
    ["audit log", `${base}/audit-log`],
    ["members", `${base}/members`],
    ["key policy", `${base}/key-policy`],
    ["permissions", `${base}/permissions`],
    ["organization settings", base],
    ["new organization", "/orgs/new"],
    ["my API keys", "/account/api-keys"],
    ["account", "/account"],
    ["account security", "/account/security"],
    ["invitation", inviteUrl],
    ["not found", "/orgs/no-such-org-here/settings"],
    // The API reference (/docs/api) has a test of its own, below.
  ];
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, url] of pages) {
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      expect.soft(await seriousViolations(page), `${name} page, ${scheme}`).toEqual([]);
    }
    // A success toast, checked while it is on screen.
    await page.goto(keysUrl);
    await page.getByRole("button", { name: "Copy the ID of Axe key" }).click();
    await expect(page.getByText("Key ID copied")).toBeVisible();
    expect.soft(await seriousViolations(page), `success toast, ${scheme}`).toEqual([]);
    await snap(page, info, `quality-06-toast-${scheme}`);

    // An error toast, as a user meets one: the key is suspended here, then reactivated in another
    // tab; this tab's switch still shows it suspended, so "reactivate" is refused by the server.
    const active = page.getByTestId("key-row-Axe key").getByRole("switch", { name: "Active: Axe key" });
    await active.click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Suspend" }).click();
    await expect(active).toHaveAttribute("aria-checked", "false");
    const elsewhere = await context.newPage();
    await elsewhere.goto(keysUrl);
    const otherSwitch = elsewhere.getByTestId("key-row-Axe key").getByRole("switch");
    await otherSwitch.click();
    await expect(otherSwitch).toHaveAttribute("aria-checked", "true");
    await elsewhere.close();
    // The error toast alone on screen (the "suspended" one has gone), then the refused click.
    const toasts = page.locator("[data-sonner-toast]");
    await expect(toasts).toHaveCount(0, { timeout: 15_000 });
    await active.click();
    const error = page.locator('[data-sonner-toast][data-type="error"]');
    await expect(error).toContainText("“Axe key” is not suspended.");
    // Alt+T, Sonner's key for reaching the notifications, expands them; an expanded toast's timer is
    // paused, so it stays on screen while axe runs (a pointer over it would do the same).
    await page.keyboard.press("Alt+KeyT");
    await expect(error).toHaveAttribute("data-expanded", "true");
    expect.soft(await seriousViolations(page), `error toast, ${scheme}`).toEqual([]);
    await expect(error).toBeVisible();
    await snap(page, info, `quality-07-error-toast-${scheme}`);
    await page.keyboard.press("Escape");
  }
  await context.close();
});

test("axe on the API reference, light and dark, once Scalar has rendered all of it", async ({ browser }, info) => {
  test.setTimeout(240_000);
  const { context, page } = await laptop(browser);
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto("/docs/api");
    // Scalar follows the console's theme: its light-mode or dark-mode class is on <body>.
    await expect(page.locator("body")).toHaveClass(new RegExp(`\\b${scheme}-mode\\b`));
    // Every operation and model rendered, not the empty shell Scalar starts from.
    await renderWholeReference(page);
    expect.soft(await seriousViolations(page, { large: true }), `API reference, ${scheme}`).toEqual([]);
    await page.screenshot({ path: info.outputPath(`quality-08-reference-${scheme}-1366.png`) });
  }
  await context.close();
});
