import type { Sql } from "../db/sql";
import type { BreakoutAudience } from "../breakouts/rules";

/**
 * A change to the negotiation on a statement (a proposal, a comment, a signal, a clause state,
 * the silence procedure, a version), published through PostgreSQL NOTIFY after it is committed, so that
 * every instance tells the people it serves and their pages reload what changed.
 */
export interface NegotiationEvent {
  documentId: string;
  topic:
    | "proposals"
    | "comments"
    | "signals"
    | "states"
    | "silence"
    | "versions"
    | "explanations"
    | "translations"
    // A reading's pointer or outcomes (server/readings/readings.ts): pages are sent the reading, never reload for it.
    | "readings"
    // What the plenary screen shows changed (its attributions): open screens reload.
    | "screen"
    // A delegation's workspace changed: its members' pages alone hear of it (server/negotiation/live.ts).
    | "workspace"
    // Which clauses are in a breakout, or what happened inside one (server/breakouts/).
    | "breakouts";
  /** A line worth announcing to everyone present (e.g. "Silence broken by Norway"), if any. */
  notice?: string;
  /**
   * The topic whose earlier notices this event makes untrue (e.g. "silence" once a procedure ends,
   * so "opened a silence procedure" no longer stands on screens beside "broken"); they are withdrawn.
   */
  supersedes?: NegotiationEvent["topic"];
  /** An explanation of position on an adopted statement: readers of the text alone are told too (`mayReceive`). */
  afterAdoption?: boolean;
  /** A delegation's workspace changed (`workspace`): only that delegation's members are told (server/workspace/). */
  delegationId?: string;
  /** A change inside breakouts that the statement's other pages do not show (a comment there): only breakout pages hear it. */
  withinBreakouts?: boolean;
  /** Inside which breakout: a closed one's participants alone hear of it (server/breakouts/rules.ts). */
  breakout?: BreakoutAudience;
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
