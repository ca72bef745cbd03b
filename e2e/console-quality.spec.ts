// The console as a careful user (and an attacker) finds it: security headers on every page, no
// serious or critical accessibility violations in light or dark, the keys table fits a laptop
// screen, the pagination fits a phone, and sorting follows quick clicks.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { createKeyInUi, signUp, snap } from "./helpers";

async function seriousViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | ")}`);
}

test("security headers, accessibility in light and dark, laptop and phone layouts, quick sorting", async ({ browser }, info) => {
  test.setTimeout(240_000);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  const email = `quality-${Date.now()}@example.com`;
  await signUp(page, "Quality Check", email);
  const keysUrl = page.url();

  // Security headers: no framing, a nonce CSP, no sniffing, a referrer policy.
  const res = await page.request.get(keysUrl);
  const h = res.headers();
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  // The page still runs under that policy: the create dialog opens (hydrated) and no CSP error is logged.
  const cspErrors: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && /Content Security Policy/i.test(m.text()) && cspErrors.push(m.text())));
  await page.reload();
  await createKeyInUi(page, "Billing service", ["keys:read"]);
  for (let i = 1; i <= 11; i++) await createKeyInUi(page, `svc-${String(i).padStart(2, "0")}`, []);
  await page.goto(`${keysUrl}?perPage=10`);
  expect(cspErrors).toEqual([]);

  // The keys table at 1366 px: every column in view, no sideways scrolling.
  const overflow = await page.locator("table").first().evaluate((t) => {
    const box = t.parentElement!;
    return box.scrollWidth - box.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(1);
  await snap(page, info, "quality-01-keys-1366");

  // Sorting: two quick clicks on a header sort descending, then ascending.
  const sortByName = page.getByRole("button", { name: /Sort by Name/ });
  await sortByName.click();
  await sortByName.click();
  await expect(page).toHaveURL(/sort=name&dir=asc|dir=asc.*sort=name/);
  await expect(page.locator("tbody tr").first()).toContainText("Billing service");

  // Accessibility (axe): no serious or critical violations, light and dark.
  const keyLink = page.getByRole("link", { name: "Billing service" });
  const keyUrl = new URL((await keyLink.getAttribute("href"))!, keysUrl).toString();
  const auditUrl = keysUrl.replace("/api-keys", "/audit-log");
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, url] of [["keys", keysUrl], ["key", keyUrl], ["audit", auditUrl]] as const) {
      await page.goto(url);
      await page.waitForLoadState("networkidle");
      expect.soft(await seriousViolations(page), `${name} page, ${scheme}`).toEqual([]);
      await snap(page, info, `quality-02-${name}-${scheme}`);
    }
  }

  // A phone: the pagination footer stays inside the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.emulateMedia({ colorScheme: "light" });
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
  await context.close();
});
