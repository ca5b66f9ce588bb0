import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // The app imports its own modules as ~/…, as Remix and TypeScript resolve them.
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    environment: "node",
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    setupFiles: ["tests/support/setup-file.ts"],
    // Collaboration tests start HTTP servers, child processes and PostgreSQL clusters.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    // Separate processes, so a test that SIGKILLs a child or starts a cluster cannot disturb another file.
    pool: "forks",
    // Two cores: more parallel files only make timing-sensitive tests slower, not the suite faster.
    maxWorkers: 2,
  },
});
