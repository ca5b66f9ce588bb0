import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { csrfTokenFor, request } from "../support/http";

/**
 * An unexpected error on the server is shown as a reference, never as its message, stack or
 * file paths, also in development mode (what `npm start` runs); the server log has the detail
 * under the same reference. The errors here are real ones: a table the request needs is
 * renamed away for the duration of the request.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let db: TestDatabase;
let server: TestServer;
let n: NegotiationFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url, env: { NODE_ENV: "development" } });
  n = await createNegotiation(db.sql, server.url);
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function withoutTable<T>(table: string, run: () => Promise<T>): Promise<T> {
  await db.sql.unsafe(`alter table ${table} rename to ${table}_away`);
  try {
    return await run();
  } finally {
    await db.sql.unsafe(`alter table ${table}_away rename to ${table}`);
  }
}

/** What console.error received during `run`, as text. */
async function serverLog<T>(run: () => Promise<T>): Promise<{ result: T; log: string }> {
  const lines: string[] = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(" "));
  });
  const result = await run();
  return { result, log: lines.join("\n") };
}

/** The body reveals nothing of the error, and names a reference the log has with the detail. */
function expectReferenceOnly(body: string, log: string, detail: string): string {
  expect(body).not.toContain(detail);
  expect(body).not.toContain(repoRoot);
  expect(body).not.toContain("node_modules");
  expect(body).not.toMatch(/\bat [\w.<>]+ \(/);
  const reference = /\b([0-9a-f]{10})\b/.exec(
    body.replace(/<script[\s\S]*?<\/script>/g, (s) => (s.includes("errorReference") ? s : "")),
  )?.[1];
  expect(reference, "a reference in the answer").toBeDefined();
  expect(log).toContain(`[error ${reference}]`);
  expect(log).toContain(detail);
  return reference!;
}

describe("an unexpected error", () => {
  it("in a page's loader: the page shows a reference, the log has the error under it", async () => {
    const { result: res, log } = await serverLog(() =>
      withoutTable("silence_procedures", () => request(`${server.url}/documents/${n.documentId}`, { headers: { Cookie: n.chair.cookie } })),
    );
    expect(res.status).toBe(500);
    const reference = expectReferenceOnly(res.body, log, 'relation "silence_procedures" does not exist');
    expect(res.body).toContain(`<code class="error-reference">${reference}</code>`);
  });

  it("in the root loader (every page): the same", async () => {
    const { result: res, log } = await serverLog(() =>
      withoutTable("sessions", () => request(`${server.url}/documents/${n.documentId}`, { headers: { Cookie: n.chair.cookie } })),
    );
    expect(res.status).toBe(500);
    const reference = expectReferenceOnly(res.body, log, 'relation "sessions" does not exist');
    expect(res.body).toContain(`<code class="error-reference">${reference}</code>`);
  });

  it("in a .data request (a navigation in the browser): the data carries the reference only", async () => {
    const { result: res, log } = await serverLog(() =>
      withoutTable("silence_procedures", () =>
        request(`${server.url}/documents/${n.documentId}.data`, { headers: { Cookie: n.chair.cookie } }),
      ),
    );
    expect(res.status).toBe(500);
    expectReferenceOnly(res.body, log, 'relation "silence_procedures" does not exist');
  });

  it("in an action sent as .data: the same", async () => {
    const csrf = await csrfTokenFor(server.url, n.delegateA.cookie);
    const { result: res, log } = await serverLog(() =>
      withoutTable("clause_signals", () =>
        request(`${server.url}/documents/${n.documentId}/signals.data`, {
          headers: { Cookie: n.delegateA.cookie, Origin: server.url },
          form: { csrf, clauseId: n.clauses[1].id, signal: "accept" },
        }),
      ),
    );
    expect(res.status).toBe(500);
    expectReferenceOnly(res.body, log, 'relation "clause_signals" does not exist');
  });

  it("in Express itself (a path it cannot decode): a status and a reference, no stack", async () => {
    const { result: res, log } = await serverLog(() => request(`${server.url}/documents/%E0%A4%A/events`));
    expect(res.status).toBe(400);
    expectReferenceOnly(res.body, log, "Failed to decode param");
  });
});
