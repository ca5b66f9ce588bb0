import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/db/embedded";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL; each test file creates and drops its own database through it. */
    adminDatabaseUrl: string;
  }
}

/**
 * Uses DATABASE_URL when it is set, otherwise a throwaway embedded PostgreSQL cluster, so the
 * suite runs on a machine with no database at all.
 */
export default async function setup(project: TestProject) {
  const given = process.env.DATABASE_URL;
  if (given) {
    project.provide("adminDatabaseUrl", given);
    return;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "concord-test-pg-"));
  // As root the cluster runs as the "postgres" user, which must be able to enter this directory.
  fs.chmodSync(dir, 0o755);
  const db = await startEmbeddedPostgres(path.join(dir, "data"));
  project.provide("adminDatabaseUrl", db.url);
  return async () => {
    await db.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
