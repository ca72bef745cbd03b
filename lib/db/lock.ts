// Owns the data-directory lock: PGlite is single-process, so a second process must refuse, not corrupt.
import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

const lockPath = (dir: string) => path.join(dir, "latchkey.lock");

export function acquireDataDirLock(dataDir: string): void {
  const file = lockPath(dataDir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: "wx" });
      process.once("exit", () => releaseDataDirLock(dataDir));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(file, "utf8").trim());
      if (pid === process.pid) return;
      if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
        throw new DataDirLockedError(
          `The data directory ${dataDir} is in use by another Latchkey process (pid ${pid}). ` +
            `Stop that process, or set DATA_DIR to another directory, or DATABASE_URL to use PostgreSQL.`,
        );
      }
      fs.rmSync(file, { force: true }); // stale lock left by a crashed process
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dataDir}.`);
}

export function releaseDataDirLock(dataDir: string): void {
  try {
    const file = lockPath(dataDir);
    if (fs.readFileSync(file, "utf8").trim() === String(process.pid)) fs.rmSync(file, { force: true });
  } catch {
    // already gone
  }
}
