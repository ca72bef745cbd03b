// The load generator of `npm run bench:sdk` (its own process, pinned to its own core): for one app
// serving every variant under its own prefix, runs autocannon on each variant in turn, the order
// reversed every round (A B C, C B A, …), and reads the CPU time the app and Latchkey spent in each
// slice from /proc (Linux; null elsewhere). Prints one JSON line: every slice's figures.
//
//   node sdk-drive.mjs <base url> <key> <variants,comma-separated> <rounds> <seconds> <app pid> <latchkey pid>
import fs from "node:fs";
import autocannon from "autocannon";

const [base, key, variantList, rounds, seconds, appPid, latchkeyPid] = process.argv.slice(2);
const variants = variantList.split(",");
const ticks = 100; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s on Linux

/** User + system CPU seconds a process has used, or null where /proc is not there. */
function cpuSeconds(pid) {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticks;
  } catch {
    return null;
  }
}

const run = (variant, duration) =>
  new Promise((resolve, reject) =>
    autocannon({ url: `${base}/${variant}/v1/customers`, connections: 50, duration, headers: { authorization: `Bearer ${key}` } }, (e, r) => (e ? reject(e) : resolve(r))),
  );

for (const v of variants) await run(v, 1); // warm-up: JIT, connection pools, Latchkey's cache
const slices = [];
for (let round = 1; round <= Number(rounds); round++) {
  for (const variant of round % 2 ? variants : [...variants].reverse()) {
    const app0 = cpuSeconds(appPid);
    const lk0 = cpuSeconds(latchkeyPid);
    const r = await run(variant, Number(seconds));
    const app1 = cpuSeconds(appPid);
    const lk1 = cpuSeconds(latchkeyPid);
    const perRequest = (a, b) => (a === null || b === null || !r.requests.total ? null : ((b - a) * 1e6) / r.requests.total);
    slices.push({ round, variant, rps: r.requests.average, p99: r.latency.p99, requests: r.requests.total, non2xx: r.non2xx, errors: r.errors, appCpuUs: perRequest(app0, app1), latchkeyCpuUs: perRequest(lk0, lk1) });
  }
}
console.log(JSON.stringify(slices));
