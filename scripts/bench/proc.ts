// CPU time from /proc for the benchmarks (Linux): CPU per answer moves far less with the machine than req/s.
import fs from "node:fs";

/** User + system CPU time of a process so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** CPU time of every PostgreSQL process on this machine so far (children's included), in ms; NaN when none is local. */
export function postgresCpuMs(): number {
  let ms = 0;
  let seen = false;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/comm`, "utf8").startsWith("postgres")) continue;
      const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
      ms += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
      seen = true;
    } catch {
      // the process ended meanwhile
    }
  }
  return seen ? ms : NaN;
}
