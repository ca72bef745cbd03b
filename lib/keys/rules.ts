// Owns key rules: lines "allow|deny METHODS PATH-GLOB"; first match wins; with no match, deny if
// any allow line exists, else allow. "*" matches one path segment, "**" any number.
export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export type Rule = { effect: "allow" | "deny"; methods: Set<string> | "*"; pattern: string; matcher: RegExp };
export type RuleSet = { rules: Rule[]; hasAllow: boolean };

export class RulesError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("\n"));
  }
}

function globToRegExp(glob: string): RegExp {
  const parts = glob.split("/").map((seg) => {
    if (seg === "**") return "\u0000";
    return seg
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join("[^/]*");
  });
  let re = parts.join("/");
  // "/**" matches the path itself and anything below; a lone "**" matches everything.
  re = re.replace(/\/\u0000/g, "(?:/.*)?").replace(/\u0000\//g, "(?:.*/)?").replace(/\u0000/g, ".*");
  return new RegExp(`^${re}$`);
}

/** Parses rule text; throws RulesError listing each bad line by number. Blank lines and # comments are ignored. */
export function parseRules(text: string | null | undefined): RuleSet {
  const rules: Rule[] = [];
  const errors: string[] = [];
  (text ?? "").split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const n = i + 1;
    const parts = line.split(/\s+/);
    if (parts.length !== 3) {
      errors.push(`Line ${n}: expected "allow|deny METHODS PATH", e.g. "allow GET,HEAD /v1/customers/**"`);
      return;
    }
    const [effect, methodsText, pattern] = parts;
    if (effect !== "allow" && effect !== "deny") {
      errors.push(`Line ${n}: starts with "${effect.slice(0, 20)}"; use allow or deny`);
      return;
    }
    let methods: Set<string> | "*" = "*";
    if (methodsText !== "*") {
      const list = methodsText.toUpperCase().split(",");
      const bad = list.filter((m) => !(HTTP_METHODS as readonly string[]).includes(m));
      if (bad.length) {
        errors.push(`Line ${n}: unknown method ${bad.map((b) => `"${b.slice(0, 20)}"`).join(", ")}; use ${HTTP_METHODS.join(", ")} or *`);
        return;
      }
      methods = new Set(list);
    }
    if (!pattern.startsWith("/")) {
      errors.push(`Line ${n}: the path must start with "/"`);
      return;
    }
    if (/\*\*[^/]|[^/]\*\*/.test(pattern)) {
      errors.push(`Line ${n}: "**" must be a whole path segment, as in /v1/**`);
      return;
    }
    rules.push({ effect, methods, pattern, matcher: globToRegExp(pattern) });
  });
  if (errors.length) throw new RulesError(errors);
  if (rules.length > 100) throw new RulesError(["At most 100 rules per key"]);
  return { rules, hasAllow: rules.some((r) => r.effect === "allow") };
}

/** Evaluates rules for a request. A key with rules and a request without method or path is denied. */
export function rulesAllow(set: RuleSet, method: string | undefined, path: string | undefined): boolean {
  if (set.rules.length === 0) return true;
  if (!method || !path) return false;
  const m = method.toUpperCase();
  const p = path.split("?")[0];
  for (const r of set.rules) {
    if ((r.methods === "*" || r.methods.has(m)) && r.matcher.test(p)) return r.effect === "allow";
  }
  return !set.hasAllow;
}
