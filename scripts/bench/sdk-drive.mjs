// Runs one autocannon scenario for `npm run bench:sdk` (its own process, pinned to its own core) and prints JSON.
import autocannon from "autocannon";

const [url, key, seconds] = process.argv.slice(2);
const opts = { url, connections: 50, headers: { authorization: `Bearer ${key}` } };
const run = (extra) => new Promise((resolve, reject) => autocannon({ ...opts, ...extra }, (e, r) => (e ? reject(e) : resolve(r))));
await run({ duration: 1 }); // warm-up
const r = await run({ duration: Number(seconds) });
console.log(JSON.stringify({ rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors }));
