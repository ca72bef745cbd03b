import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, releaseDataDirLock } from "./lock";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-lock-"));

describe("data directory lock", () => {
  it("refuses a directory held by another live process", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "latchkey.lock"), String(process.ppid)); // the parent is alive
    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    expect(() => acquireDataDirLock(dir)).toThrow(/in use by another Latchkey process/);
  });

  it("takes over a lock left by a dead process, and releases it", () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "latchkey.lock"), "999999999");
    acquireDataDirLock(dir);
    expect(fs.readFileSync(path.join(dir, "latchkey.lock"), "utf8")).toBe(String(process.pid));
    releaseDataDirLock(dir);
    expect(fs.existsSync(path.join(dir, "latchkey.lock"))).toBe(false);
  });
});
