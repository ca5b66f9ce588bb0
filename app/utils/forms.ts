import { data } from "@remix-run/node";
import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;

export interface FormFailure {
  ok: false;
  /** Errors by field name; "form" holds those about the form as a whole. */
  errors: FieldErrors;
  values: Record<string, string>;
}

/** Validates a form with a zod schema; field errors come back keyed by field name. */
export function parseForm<S extends z.ZodType>(form: FormData, schema: S): { ok: true; data: z.output<S> } | FormFailure {
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "csrf" && !/password/i.test(k)) values[k] = v;
  const raw = Object.fromEntries([...form.keys()].map((k) => [k, form.get(k)]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const key = String(issue.path[0] ?? "form");
    (errors[key] ??= []).push(issue.message);
  }
  return { ok: false, errors, values };
}

/** A 400 (or a refusal's status) answer carrying the field errors, for the form to show next to each field. */
export function invalid(failure: Omit<FormFailure, "ok"> | { errors: FieldErrors; values?: Record<string, string> }, status = 400) {
  return data({ ok: false as const, errors: failure.errors, values: failure.values ?? {} }, { status });
}

/** A JSON field (an editor's content) read, or null when it is not JSON: what it holds is the rules' to judge. */
export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
