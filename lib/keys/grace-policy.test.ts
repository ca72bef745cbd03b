import { describe, expect, it } from "vitest";
import { graceEndsAt } from "./grace";
import { checkExpiryAgainstPolicy } from "./policy";

const now = new Date("2026-01-01T00:00:00Z");
const h = (n: number) => new Date(now.getTime() + n * 3600_000);

describe("roll grace", () => {
  it("adds the grace period to now", () => {
    expect(graceEndsAt("1h", now, null)).toEqual(h(1));
    expect(graceEndsAt("12h", now, null)).toEqual(h(12));
    expect(graceEndsAt("24h", now, null)).toEqual(h(24));
    expect(graceEndsAt("7d", now, null)).toEqual(h(168));
  });
  it("'now' ends the old token at once", () => {
    expect(graceEndsAt("now", now, null)).toBeNull();
  });
  it("never runs past the key's own expiry", () => {
    expect(graceEndsAt("24h", now, h(5))).toEqual(h(5));
    expect(graceEndsAt("1h", now, h(5))).toEqual(h(1));
    expect(graceEndsAt("1h", now, now)).toBeNull();
  });
});

describe("key policy", () => {
  const open = { requireExpiry: false, maxLifetimeDays: null, defaultGrace: "12h" as const };
  const field = (fn: () => void) => {
    try {
      fn();
      return null;
    } catch (e) {
      return Object.keys((e as { fieldErrors?: object }).fieldErrors ?? {});
    }
  };
  it("allows no expiry when the policy does not require one", () => {
    expect(field(() => checkExpiryAgainstPolicy(open, null, now))).toBeNull();
  });
  it("refuses a past expiry, a missing one when required, and one past the maximum lifetime", () => {
    expect(field(() => checkExpiryAgainstPolicy(open, h(-1), now))).toEqual(["expiresAt"]);
    expect(field(() => checkExpiryAgainstPolicy({ ...open, requireExpiry: true }, null, now))).toEqual(["expiresAt"]);
    expect(field(() => checkExpiryAgainstPolicy({ ...open, maxLifetimeDays: 30 }, null, now))).toEqual(["expiresAt"]);
    expect(field(() => checkExpiryAgainstPolicy({ ...open, maxLifetimeDays: 30 }, h(31 * 24), now))).toEqual(["expiresAt"]);
    expect(field(() => checkExpiryAgainstPolicy({ ...open, maxLifetimeDays: 30 }, h(30 * 24), now))).toBeNull();
  });
});
