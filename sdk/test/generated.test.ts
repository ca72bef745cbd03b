// Fails when the committed management client (sdk/src/generated) or its document (sdk/openapi.json)
// is stale against the OpenAPI document the server serves: run `npm run sdk:generate`.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createClient } from "@hey-api/openapi-ts";
import { openApiDocument } from "@/lib/openapi";
import { DOCUMENT_PATH, GENERATED_DIR, generatorConfig, serializeDocument } from "../scripts/generator-config";

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("generated management client", () => {
  it("sdk/openapi.json is the document the server serves", () => {
    expect(fs.readFileSync(DOCUMENT_PATH, "utf8"), "run `npm run sdk:generate`").toBe(serializeDocument(openApiDocument()));
  });

  it("sdk/src/generated is what @hey-api/openapi-ts makes of that document", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "latchkey-sdk-"));
    try {
      const input = path.join(tmp, "openapi.json");
      fs.writeFileSync(input, serializeDocument(openApiDocument()));
      await createClient(generatorConfig(input, path.join(tmp, "generated")));
      const fresh = filesUnder(path.join(tmp, "generated"));
      const committed = filesUnder(GENERATED_DIR);
      expect(Object.keys(committed).sort(), "run `npm run sdk:generate`").toEqual(Object.keys(fresh).sort());
      for (const [file, text] of Object.entries(fresh)) expect(committed[file], `${file} is stale: run \`npm run sdk:generate\``).toBe(text);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
