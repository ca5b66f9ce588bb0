import type { NextFunction, Request, Response } from "express";
import type { Sql } from "../db/sql";
import { pendingMigrations } from "../db/migrate";
import { requestLogOf, type RequestLog } from "./request-log";

export interface ReadinessChecks {
  sql: Sql;
  /** Whether the Redis relay's connections are up; absent when this instance relays through no Redis. */
  redisConnected?: () => boolean;
}

type Check = { ok: true } | { ok: false; error: string };

/** A check that has not answered in this time counts as failed, so a load balancer is never kept waiting. */
const checkTimeoutMs = 2000;

async function settle(request: RequestLog, what: string, check: () => Promise<Check>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Check>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, error: "no answer within 2 s" }), checkTimeoutMs);
  });
  try {
    return await Promise.race([
      check().catch((err: unknown): Check => {
        // The probe is public: what went wrong (a database's name, a host) is for the server log only.
        request.log.error({ component: "readyz", err }, `the ${what} check failed`);
        return { ok: false, error: "failed (see the server log)" };
      }),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process answers. Nothing else is checked, so a restart is never caused by a dependency. */
export function healthz(_req: Request, res: Response): void {
  res.set("Cache-Control", "no-store").json({ status: "ok" });
}

/**
 * `/readyz`: whether this instance can serve: PostgreSQL answers, every migration it ships is applied,
 * and, when it relays through Redis, Redis is connected. 503 with the failing checks otherwise.
 * Connection strings and credentials never appear in the answer, only what failed.
 */
export function readyz({ sql, redisConnected }: ReadinessChecks) {
  const answer = async (res: Response): Promise<void> => {
    const request = requestLogOf(res);
    const checks: Record<string, Check> = {
      database: await settle(request, "database", async () => (await sql`select 1`, { ok: true })),
    };
    checks.migrations = checks.database.ok
      ? await settle(request, "migrations", async () => {
          const pending = await pendingMigrations(sql);
          return pending.length === 0 ? { ok: true } : { ok: false, error: `not applied: ${pending.join(", ")}` };
        })
      : { ok: false, error: "database unreachable" };
    if (redisConnected) checks.redis = redisConnected() ? { ok: true } : { ok: false, error: "not connected" };
    const ready = Object.values(checks).every((c) => c.ok);
    res
      .status(ready ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ status: ready ? "ready" : "not ready", checks });
  };
  return (_req: Request, res: Response, next: NextFunction): void => {
    answer(res).catch(next);
  };
}
