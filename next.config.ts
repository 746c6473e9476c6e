import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./lib/i18n/request.ts");

const nextConfig: NextConfig = {
  // Lets parallel builds (tests, benchmarks) use their own output folder.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native or WASM packages that must load from node_modules at run time, not be bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pg-boss", "pg", "@node-rs/argon2", "postgres"],
  // Migrations are read from disk at start-up, also inside serverless functions.
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
};

export default withNextIntl(nextConfig);
