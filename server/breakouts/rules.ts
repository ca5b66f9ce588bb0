import { can, type Access } from "../auth/permissions";
import { maySeeStatement } from "../auth/visibility";
import type { Confidentiality } from "../../app/statement/confidentiality";
import type { BreakoutRow } from "../queries/breakouts";

/**
 * Who takes part in a breakout, sees it and writes its text: the one place that says so, for the
 * pages, the collaboration endpoint and the clause's story alike.
 */
type Who = Pick<Access, "userId" | "role" | "delegationId">;
type Breakout = Pick<BreakoutRow, "facilitatorId" | "delegationIds" | "confidential" | "status">;
/** Who a breakout's news is for (server/negotiation/events.ts): a closed one's, its participants only. */
export type BreakoutAudience = Pick<BreakoutRow, "facilitatorId" | "delegationIds" | "confidential">;

export const audienceOf = (b: BreakoutAudience): BreakoutAudience => ({
  facilitatorId: b.facilitatorId,
  delegationIds: b.delegationIds,
  confidential: b.confidential,
});

/** Whether someone who sees the statement hears of what happens inside the breakout. */
export const hearsBreakout = (b: BreakoutAudience, access: Who): boolean => !b.confidential || isParticipant(b, access);

/** The facilitator, the participating delegations' members and the chair. */
export function isParticipant(b: BreakoutAudience, access: Who): boolean {
  return access.userId === b.facilitatorId || takesPart(b, access) || can(access, "negotiation:chair");
}

const takesPart = (b: BreakoutAudience, access: Who) =>
  access.role === "delegate" && access.delegationId !== null && b.delegationIds.includes(access.delegationId);

/** An open breakout is seen by whoever sees the statement; a closed (confidential) one by its participants only. */
export function mayReadBreakout(b: Breakout, access: Who, conference: { confidentiality: Confidentiality }): boolean {
  return maySeeStatement(access, conference) && (!b.confidential || isParticipant(b, access));
}

/** The facilitator and the participating delegations' members write the breakout text while it drafts; the chair reads it. */
export function mayWriteBreakout(b: Breakout, access: Who): boolean {
  return b.status === "active" && (access.userId === b.facilitatorId || takesPart(b, access));
}

/** Its participants who may comment at all (not observers) comment in it while it runs (`assertMayCommentInBreakout` says why not). */
export function mayCommentInBreakout(b: Breakout, access: Who): boolean {
  return can(access, "negotiation:comment") && isParticipant(b, access) && b.status !== "ended";
}

/** "B1", as the pages, notices and audit entries name a breakout. */
export const breakoutName = (b: { number: number }) => `B${b.number}`;
