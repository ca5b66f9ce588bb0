import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { spawnServer, type SpawnedServer } from "../support/server";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { csrfTokenFor, request, type RawResponse } from "../support/http";
import { logLines } from "../support/log-lines";
import { waitFor } from "../support/wait";

/**
 * An unexpected error on the server is shown as a reference, never as its message, stack or
 * file paths, also in development mode (what `npm start` runs); the server log (of the real entry
 * point) has the detail under the same reference, on the request's lines. The errors here are real
 * ones: a table the request needs is renamed away for the duration of the request.
 */

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
let db: TestDatabase;
let server: SpawnedServer;
let n: NegotiationFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await spawnServer({ databaseUrl: db.url, env: { NODE_ENV: "development" } });
  n = await createNegotiation(db.sql, server.url);
});

async function withoutTable<T>(table: string, run: () => Promise<T>): Promise<T> {
  await db.sql.unsafe(`alter table ${table} rename to ${table}_away`);
  try {
    return await run();
  } finally {
    await db.sql.unsafe(`alter table ${table}_away rename to ${table}`);
  }
}

/**
 * The body reveals nothing of the error, and names a reference the log has with the detail: the
 * error's line and the request's access line, both under the request id the answer carries.
 */
async function expectReferenceOnly(res: RawResponse, detail: string): Promise<string> {
  const body = res.body;
  expect(body).not.toContain(detail);
  expect(body).not.toContain(repoRoot);
  expect(body).not.toContain("node_modules");
  expect(body).not.toMatch(/\bat [\w.<>]+ \(/);
  const reference = /\b([0-9a-f]{10})\b/.exec(
    body.replace(/<script[\s\S]*?<\/script>/g, (s) => (s.includes("errorReference") ? s : "")),
  )?.[1];
  expect(reference, "a reference in the answer").toBeDefined();
  const reqId = res.headers["x-request-id"];
  const linesOf = () => logLines(server.output()).filter((l) => l.errorReference === reference);
  await waitFor(() => linesOf().some((l) => l.msg === "request"), { what: `the access line of ${reference}` });
  const [failure, ...more] = linesOf().filter((l) => l.msg === "unexpected error");
  expect(failure, server.output()).toMatchObject({ level: "error", reqId });
  expect(`${failure.err?.message}\n${failure.err?.stack}`).toContain(detail);
  // postgres.js errors carry the query and its parameters; the log keeps none of them.
  expect(Object.keys(failure.err ?? {}).sort()).toEqual(expect.arrayContaining(["message", "stack", "type"]));
  expect(failure.err).not.toHaveProperty("query");
  expect(failure.err).not.toHaveProperty("parameters");
  for (const m of more) expect(m.reqId).toBe(reqId);
  expect(linesOf().find((l) => l.msg === "request")).toMatchObject({ reqId, status: res.status });
  return reference!;
}

describe("an unexpected error", () => {
  it("in a page's loader: the page shows a reference, the log has the error under it", async () => {
    const res = await withoutTable("silence_procedures", () =>
      request(`${server.url}/documents/${n.documentId}`, { headers: { Cookie: n.chair.cookie } }),
    );
    expect(res.status).toBe(500);
    const reference = await expectReferenceOnly(res, 'relation "silence_procedures" does not exist');
    expect(res.body).toContain(`<code class="error-reference">${reference}</code>`);
  });

  it("in the root loader (every page): the same", async () => {
    const res = await withoutTable("sessions", () =>
      request(`${server.url}/documents/${n.documentId}`, { headers: { Cookie: n.chair.cookie } }),
    );
    expect(res.status).toBe(500);
    const reference = await expectReferenceOnly(res, 'relation "sessions" does not exist');
    expect(res.body).toContain(`<code class="error-reference">${reference}</code>`);
  });

  it("in a .data request (a navigation in the browser): the data carries the reference only", async () => {
    const res = await withoutTable("silence_procedures", () =>
      request(`${server.url}/documents/${n.documentId}.data`, { headers: { Cookie: n.chair.cookie } }),
    );
    expect(res.status).toBe(500);
    await expectReferenceOnly(res, 'relation "silence_procedures" does not exist');
  });

  it("in an action sent as .data: the same", async () => {
    const csrf = await csrfTokenFor(server.url, n.delegateA.cookie);
    const res = await withoutTable("clause_signals", () =>
      request(`${server.url}/documents/${n.documentId}/signals.data`, {
        headers: { Cookie: n.delegateA.cookie, Origin: server.url },
        form: { csrf, clauseId: n.clauses[1].id, signal: "accept" },
      }),
    );
    expect(res.status).toBe(500);
    await expectReferenceOnly(res, 'relation "clause_signals" does not exist');
  });

  it("in Express itself (a path it cannot decode): a status and a reference, no stack", async () => {
    const res = await request(`${server.url}/documents/%E0%A4%A/events`);
    expect(res.status).toBe(400);
    await expectReferenceOnly(res, "Failed to decode param");
  });
});
