// Runs one autocannon scenario (in its own process, so the load generator does not share the
// server's event loop) and prints its figures as JSON.
import autocannon from "autocannon";
import fs from "node:fs";

const { url, bodies, duration, amount, connections, headers, overallRate, warmup = true } = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const request = { method: "POST", path: "/api/v1/keys/verify", headers: { "content-type": "application/json", ...headers } };
// Many bodies: one dynamic request drawing the next body from a counter shared by every
// connection. (A list of requests is pre-built by autocannon once per connection, which held
// the later connections back by seconds and made the cache-miss run look ten times slower.)
const texts = bodies.map((b) => JSON.stringify(b));
let next = 0;
const requests =
  texts.length === 1 ? [{ ...request, body: texts[0] }] : [{ ...request, setupRequest: (req) => ({ ...req, body: texts[next++ % texts.length] }) }];
const run = (opts) => new Promise((resolve, reject) => autocannon({ url, connections, requests, ...opts }, (e, r) => (e ? reject(e) : resolve(r))));
const warm = !amount && warmup ? await run({ duration: 2, ...(overallRate ? { overallRate } : {}) }) : null; // warm-up
const r = await run(amount ? { amount } : { duration, ...(overallRate ? { overallRate } : {}) });
// A fixed amount finishes within a few seconds: autocannon's per-second average would count a
// partly used last second as a whole one, so that run's rate is its total over its own duration.
const rps = amount ? r.requests.total / r.duration : r.requests.average;
const status429 = r.statusCodeStats?.["429"]?.count ?? 0;
console.log(JSON.stringify({ rps, total: r.requests.total, warmupTotal: warm?.requests.total ?? 0, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, status429, errors: r.errors, duration: r.duration }));
