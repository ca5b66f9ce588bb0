import { Refusal } from "../../server/negotiation/refusal";
import type { FieldErrors } from "./forms";

type Answer<A> = (failure: { errors: FieldErrors }, status: number) => A;

/**
 * Runs a route's work and answers a negotiation command's refusal as the route answers a form's
 * errors (`invalid` from pages, `refused` from resource routes), with the refusal's status, next to
 * its field or about the whole form. Anything else is rethrown.
 */
export async function answeringRefusals<T, A>(answer: Answer<A>, run: () => Promise<T>): Promise<T | A> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    return answer({ errors: { [err.field ?? "form"]: [err.message] } }, err.status);
  }
}
