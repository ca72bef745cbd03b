import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native or WASM-backed packages must be loaded from node_modules, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "postgres"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
