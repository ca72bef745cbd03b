// The baseline the issue compares against: plain node:http doing JSON parse + SHA-256 + Map lookup.
import http from "node:http";
import { createHash } from "node:crypto";
import fs from "node:fs";

const tokens = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const map = new Map(tokens.map((t, i) => [createHash("sha256").update(t).digest("hex"), { id: i }]));
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const hit = map.get(createHash("sha256").update(String(body.key)).digest("hex"));
    const out = JSON.stringify({ valid: Boolean(hit), code: hit ? "VALID" : "NOT_FOUND" });
    res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(out) });
    res.end(out);
  });
});
server.listen(Number(process.argv[3]), "127.0.0.1", () => console.log("baseline ready"));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
