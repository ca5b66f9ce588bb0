import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { dropDatabase } from "../../server/db/create-database";
import { createTestDatabase } from "../support/db";
import { startTestServer } from "../support/server";
import { request } from "../support/http";
import { redisEnv, startRedisProxy } from "../support/redis";
import { waitFor } from "../support/wait";

/** The probes a load balancer and an orchestrator use: /healthz (the process) and /readyz (what it depends on). */

type Probe = { status: string; checks?: Record<string, { ok: boolean; error?: string }> };

async function probe(url: string): Promise<{ status: number; body: Probe }> {
  const res = await request(url);
  expect(res.headers["cache-control"]).toBe("no-store");
  return { status: res.status, body: JSON.parse(res.body) as Probe };
}

describe("health probes", () => {
  it("answers /healthz and /readyz without a session when PostgreSQL answers and every migration is applied", async () => {
    const db = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: db.url });
    expect(await probe(`${server.url}/healthz`)).toEqual({ status: 200, body: { status: "ok" } });
    expect(await probe(`${server.url}/readyz`)).toEqual({
      status: 200,
      body: { status: "ready", checks: { database: { ok: true }, migrations: { ok: true } } },
    });
  });

  it("is not ready while a migration this build ships is not applied", async () => {
    const db = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: db.url });
    const [{ name }] = await db.sql<
      { name: string }[]
    >`delete from schema_migrations where version = (select max(version) from schema_migrations) returning name`;
    const ready = await probe(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe("not ready");
    expect(ready.body.checks!.database).toEqual({ ok: true });
    expect(ready.body.checks!.migrations).toEqual({ ok: false, error: `not applied: ${name}` });
  });

  it("is not ready once the database is gone, and names no credentials; /healthz still answers", async () => {
    const db = await createTestDatabase();
    const server = await startTestServer({ databaseUrl: db.url });
    await dropDatabase(inject("adminDatabaseUrl"), db.name);
    const ready = await probe(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.checks!.database).toEqual({ ok: false, error: "failed (see the server log)" });
    expect(ready.body.checks!.migrations).toEqual({ ok: false, error: "database unreachable" });
    expect(JSON.stringify(ready.body)).not.toContain(db.name);
    expect((await probe(`${server.url}/healthz`)).status).toBe(200);
  });

  it("checks Redis when the instance relays through it, and is ready again when Redis is back", async () => {
    const db = await createTestDatabase();
    const proxy = await startRedisProxy();
    const server = await startTestServer({ databaseUrl: db.url, env: redisEnv(proxy.url) });
    expect((await probe(`${server.url}/readyz`)).body.checks!.redis).toEqual({ ok: true });
    proxy.cut();
    await waitFor(async () => (await probe(`${server.url}/readyz`)).status === 503, { what: "not ready without Redis" });
    expect((await probe(`${server.url}/readyz`)).body.checks!.redis).toEqual({ ok: false, error: "not connected" });
    proxy.restore();
    await waitFor(async () => (await probe(`${server.url}/readyz`)).status === 200, { what: "ready with Redis back" });
  });
});
