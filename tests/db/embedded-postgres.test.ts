import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import postgres from "postgres";
import { startEmbeddedPostgres } from "../../server/db/embedded";
import { onCleanup } from "../support/cleanup";
import { waitFor, withTimeout } from "../support/wait";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let root: string;
let dataDir: string;

const postmasterPid = (): number | null => {
  const file = path.join(dataDir, "postmaster.pid");
  return fs.existsSync(file) ? Number.parseInt(fs.readFileSync(file, "utf8").split("\n")[0], 10) : null;
};

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "concord-embedded-"));
  // As root, the cluster runs as the "postgres" user, which must be able to enter this directory.
  fs.chmodSync(root, 0o755);
  dataDir = path.join(root, "data");
});

afterAll(async () => {
  // Whatever happened, leave no postmaster behind.
  const pid = postmasterPid();
  if (pid && alive(pid)) {
    process.kill(pid, "SIGQUIT");
    await waitFor(() => !alive(pid), { timeoutMs: 10_000, what: "the postmaster to exit" }).catch(() => process.kill(pid, "SIGKILL"));
  }
  fs.rmSync(root, { recursive: true, force: true });
});

/** Runs the child script and resolves with it once the cluster is up and the row written. */
async function startInChild(note: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/embedded-postgres-child.ts", dataDir, note], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  onCleanup(() => {
    child.kill("SIGKILL");
    return exited;
  });
  let output = "";
  await withTimeout(
    new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        if (/^READY /m.test(output)) resolve();
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
      void exited.then(() => reject(new Error(`child exited before the cluster was ready:\n${output}`)));
    }),
    90_000,
    "the child's embedded PostgreSQL",
  );
  return { child, exited };
}

async function notes(url: string): Promise<string[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql<{ note: string }[]>`select note from survivors order by note`).map((r) => r.note);
  } finally {
    await sql.end();
  }
}

it("starts again on a data directory whose postmaster outlived the SIGKILLed process that started it", { timeout: 180_000 }, async () => {
  const { child, exited } = await startInChild("first");
  const orphan = postmasterPid();
  expect(orphan).not.toBeNull();
  child.kill("SIGKILL");
  await exited;
  // The precondition: the old postmaster still runs and holds the directory.
  expect(alive(orphan!)).toBe(true);

  const db = await withTimeout(startEmbeddedPostgres(dataDir), 60_000, "the restart");
  try {
    expect(alive(orphan!)).toBe(false);
    expect(postmasterPid()).not.toBe(orphan);
    expect(await notes(db.url)).toEqual(["first"]);
  } finally {
    await db.stop();
  }
});

it("starts again after the postmaster itself was SIGKILLed along with its parent", { timeout: 180_000 }, async () => {
  const { child, exited } = await startInChild("second");
  const pid = postmasterPid()!;
  child.kill("SIGKILL");
  process.kill(pid, "SIGKILL");
  await exited;
  await waitFor(() => !alive(pid), { what: "the postmaster to die" });

  const db = await withTimeout(startEmbeddedPostgres(dataDir), 60_000, "the restart after a crash");
  try {
    expect(await notes(db.url)).toContain("second");
  } finally {
    await db.stop();
  }
});
