// Owns IP allowlists: IPv4/IPv6 addresses and CIDR ranges, parsed into node's BlockList for matching.
import { BlockList, isIP } from "node:net";

export class IpAllowlistError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("\n"));
  }
}

export type ParsedEntry = { value: string; family: "ipv4" | "ipv6"; prefix: number | null };

export function parseAllowlistEntry(raw: string): ParsedEntry | string {
  const value = raw.trim();
  const [addr, prefixText, extra] = value.split("/");
  if (extra !== undefined) return `"${value}" is not an address or CIDR range`;
  const v = isIP(addr);
  if (!v) return `"${value.slice(0, 60)}" is not a valid IPv4 or IPv6 address`;
  const family = v === 4 ? "ipv4" : "ipv6";
  if (prefixText === undefined) return { value: addr, family, prefix: null };
  const max = v === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return `"${value}": the prefix length must be 0–${max}`;
  return { value: `${addr}/${Number(prefixText)}`, family, prefix: Number(prefixText) };
}

/** Normalises a list (one entry per line or comma); throws IpAllowlistError naming each bad entry. */
export function parseAllowlist(input: string | string[] | null | undefined): string[] {
  const items = (Array.isArray(input) ? input : (input ?? "").split(/[\n,]/)).map((s) => s.trim()).filter(Boolean);
  const errors: string[] = [];
  const out: string[] = [];
  for (const item of items) {
    const parsed = parseAllowlistEntry(item);
    if (typeof parsed === "string") errors.push(parsed);
    else if (!out.includes(parsed.value)) out.push(parsed.value);
  }
  if (out.length > 100) errors.push("At most 100 entries");
  if (errors.length) throw new IpAllowlistError(errors);
  return out;
}

/** A matcher for a normalised list; an empty list allows every address. */
export function compileAllowlist(entries: string[]): (ip: string | null | undefined) => boolean {
  if (entries.length === 0) return () => true;
  const list = new BlockList();
  for (const e of entries) {
    const p = parseAllowlistEntry(e);
    if (typeof p === "string") continue;
    if (p.prefix === null) list.addAddress(p.value, p.family);
    else list.addSubnet(p.value.split("/")[0], p.prefix, p.family);
  }
  return (ip) => {
    if (!ip) return false;
    const addr = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
    const v = isIP(addr);
    if (!v) return false;
    return list.check(addr, v === 4 ? "ipv4" : "ipv6");
  };
}
