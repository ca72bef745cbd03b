import { describe, expect, it } from "vitest";
import { compileAllowlist, IpAllowlistError, parseAllowlist } from "./ip-allowlist";

describe("IP allowlist", () => {
  it("normalises addresses and ranges from lines or commas", () => {
    expect(parseAllowlist("203.0.113.7\n10.0.0.0/8, 2001:db8::/32 ,\n203.0.113.7")).toEqual(["203.0.113.7", "10.0.0.0/8", "2001:db8::/32"]);
  });

  it("names each bad entry", () => {
    try {
      parseAllowlist("10.0.0.0/33\nnot-an-ip\n1.2.3.4/8/1\n::1/129\n300.1.1.1");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IpAllowlistError);
      expect((e as IpAllowlistError).errors).toEqual([
        '"10.0.0.0/33": the prefix length must be 0–32',
        '"not-an-ip" is not a valid IPv4 or IPv6 address',
        '"1.2.3.4/8/1" is not an address or CIDR range',
        '"::1/129": the prefix length must be 0–128',
        '"300.1.1.1" is not a valid IPv4 or IPv6 address',
      ]);
    }
  });

  it("matches addresses and CIDR ranges, IPv4-mapped IPv6 included", () => {
    const allowed = compileAllowlist(["203.0.113.7", "10.0.0.0/8", "2001:db8::/32"]);
    expect(allowed("203.0.113.7")).toBe(true);
    expect(allowed("203.0.113.8")).toBe(false);
    expect(allowed("10.255.1.2")).toBe(true);
    expect(allowed("::ffff:10.1.2.3")).toBe(true);
    expect(allowed("2001:db8:1::5")).toBe(true);
    expect(allowed("2001:db9::1")).toBe(false);
    expect(allowed(null)).toBe(false);
    expect(allowed("garbage")).toBe(false);
    expect(compileAllowlist([])("1.2.3.4")).toBe(true);
  });
});
