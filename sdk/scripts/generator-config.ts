// Owns how the management client is generated, shared by `npm run sdk:generate` and the staleness test.
import path from "node:path";
import type { UserConfig } from "@hey-api/openapi-ts";

export const SDK_DIR = path.resolve(import.meta.dirname, "..");
export const DOCUMENT_PATH = path.join(SDK_DIR, "openapi.json");
export const GENERATED_DIR = path.join(SDK_DIR, "src", "generated");

/** The @hey-api/openapi-ts configuration: the bundled fetch client (no runtime dependency), `.js` import specifiers for NodeNext. */
export function generatorConfig(input: string, outputDir: string): UserConfig {
  return {
    input,
    output: { path: outputDir, tsConfigPath: path.join(SDK_DIR, "tsconfig.json"), module: { extension: ".js" } },
    plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
    logs: { level: "silent" },
  } as UserConfig;
}

/** The OpenAPI document as committed: stable key order, 2-space indent, trailing newline. */
export const serializeDocument = (doc: unknown) => JSON.stringify(doc, null, 2) + "\n";
