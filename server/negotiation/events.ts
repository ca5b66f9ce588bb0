import type { Sql } from "../db/sql";

/**
 * A change to the negotiation on a statement (a proposal, a comment, a signal, a clause state,
 * the silence procedure, a version), published through PostgreSQL NOTIFY after it is committed, so that
 * every instance tells the people it serves and their pages reload what changed.
 */
export interface NegotiationEvent {
  documentId: string;
  topic: "proposals" | "comments" | "signals" | "states" | "silence" | "versions" | "explanations" | "translations" | "breakouts";
  /** A line worth announcing to everyone present (e.g. "Silence broken by Norway"), if any. */
  notice?: string;
  /**
   * The topic whose earlier notices this event makes untrue (e.g. "silence" once a procedure ends,
   * so "opened a silence procedure" no longer stands on screens beside "broken"); they are withdrawn.
   */
  supersedes?: NegotiationEvent["topic"];
  /** An explanation of position on an adopted statement: readers of the text alone are told too (`mayReceive`). */
  afterAdoption?: boolean;
  /** A change inside breakouts that the statement's other pages do not show (a comment there): only breakout pages hear it. */
  withinBreakouts?: boolean;
}

const channel = "concord_negotiation";

export async function publishNegotiationEvent(sql: Sql, event: NegotiationEvent): Promise<void> {
  await sql.notify(channel, JSON.stringify(event));
}

export async function subscribeNegotiationEvents(sql: Sql, handler: (event: NegotiationEvent) => void): Promise<() => Promise<void>> {
  const listening = await sql.listen(channel, (payload) => {
    let event: NegotiationEvent;
    try {
      event = JSON.parse(payload) as NegotiationEvent;
    } catch {
      return; // not ours
    }
    handler(event);
  });
  return () => listening.unlisten();
}
