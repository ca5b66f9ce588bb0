import { json } from "@remix-run/node";
import type { FieldErrors } from "./forms";

/**
 * Answers of resource routes (actions that page fetchers post to, with no page of their own).
 * Single fetch drops a `data()` status when such a route is requested directly, so these are
 * real JSON responses: 200 with what the page needs (a message, an id), or 400 (or a refusal's status) with field errors as `invalid` gives them.
 */
export const done = <T extends Record<string, unknown>>(result: T) => json({ ok: true as const, ...result });

export const refused = (failure: { errors: FieldErrors; values?: Record<string, string> }, status = 400) =>
  json({ ok: false as const, errors: failure.errors, values: failure.values ?? {} }, { status });
