import { data } from "@remix-run/node";
import { can, type Access } from "../../server/auth/permissions";
import { ProposalRefusal, type Actor } from "../../server/negotiation/proposals";

/** The person acting on proposals, from their access to the conference. */
export function actorOf(access: Access): Actor {
  return { userId: access.userId, delegationId: access.delegationId, isChair: can(access, "negotiation:chair") };
}

/**
 * Runs a proposal rule and answers its refusal with its status and message (next to the field
 * for a 400); anything else is rethrown.
 */
export async function answeringRefusals<T>(run: () => Promise<T>) {
  try {
    return { ok: true as const, value: await run() };
  } catch (err) {
    if (!(err instanceof ProposalRefusal)) throw err;
    return {
      ok: false as const,
      response: data(
        { ok: false as const, errors: { [err.field ?? "form"]: [err.message] } },
        { status: err.status }
      ),
    };
  }
}
