import type { Db } from "../db/sql";
import { listProposals, type ProposalRow } from "../queries/proposals";
import { currentSignals, type SignalRow } from "../queries/clause-signals";
import type { ClauseInfo } from "../../app/statement/numbering";
import { proposalTarget } from "./proposal-views";

/**
 * What is still open on a statement when the chair would put it to silence: submitted proposals
 * awaiting a decision, and delegations' "cannot accept yet" on clauses of the text. Drafts are
 * left out: they are their sponsors' own, and the chair does not see them (adoption closes them
 * all the same). A reservation is an acceptance, so it is not open business.
 */
export interface OpenBusiness {
  proposals: { id: string; number: number; kind: ProposalRow["kind"]; target: string; sponsor: string }[];
  notYet: {
    id: string;
    clauseId: string;
    clause: string;
    delegationName: string;
    delegationCode: string;
    reason: string;
    /** The group whose signal a member follows (its code). */
    alignedWith: string | null;
  }[];
  /**
   * Names exactly this business; the chair's confirmation carries it back, so business that
   * opened after the chair looked (a new submission, a new signal) is not closed unseen.
   */
  token: string;
}

export async function openBusiness(sql: Db, documentId: string, clauses: readonly ClauseInfo[]): Promise<OpenBusiness> {
  const [proposals, signals] = await Promise.all([listProposals(sql, documentId), currentSignals(sql, documentId)]);
  return openBusinessOf(proposals, signals, clauses);
}

/** Open business, of a statement's proposals and the signals that count (`currentSignals`) as already read. */
export function openBusinessOf(rows: readonly ProposalRow[], signals: readonly SignalRow[], clauses: readonly ClauseInfo[]): OpenBusiness {
  const labels = new Map(clauses.flatMap((c) => (c.id ? [[c.id, c.label] as const] : [])));
  const proposals = rows
    .filter((p) => p.status === "submitted")
    .map((p) => ({
      id: p.id,
      number: p.number,
      kind: p.kind,
      target: proposalTarget(p, clauses),
      sponsor: p.delegationName ? `${p.delegationName} (${p.delegationCode})` : "Chair's compromise",
    }));
  const notYet = signals
    .filter((s) => s.signal === "not_yet" && labels.has(s.clauseId))
    .map((s) => ({
      id: s.id,
      clauseId: s.clauseId,
      clause: labels.get(s.clauseId)!,
      delegationName: s.delegationName,
      delegationCode: s.delegationCode,
      reason: s.reason,
      alignedWith: s.alignedWith?.code ?? null,
    }));
  const token = [...proposals.map((p) => `P${p.number}`), ...notYet.map((s) => `S${s.id}`)].sort().join(",");
  return { proposals, notYet, token };
}

export const hasOpenBusiness = (b: Pick<OpenBusiness, "proposals" | "notYet">) => b.proposals.length + b.notYet.length > 0;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** "2 submitted proposals (P3, P5) and 1 “cannot accept yet” (NOR on OP2)". */
export function describeOpenBusiness({ proposals, notYet }: Pick<OpenBusiness, "proposals" | "notYet">): string {
  const parts: string[] = [];
  if (proposals.length > 0) {
    parts.push(
      `${plural(proposals.length, "submitted proposal", "submitted proposals")} (${proposals.map((p) => `P${p.number}`).join(", ")})`,
    );
  }
  if (notYet.length > 0) {
    const who = notYet.map((s) => `${s.delegationCode} on ${s.clause}`).join(", ");
    parts.push(`${plural(notYet.length, "“cannot accept yet”", "“cannot accept yet” signals")} (${who})`);
  }
  return parts.join(" and ");
}
