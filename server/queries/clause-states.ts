import type { Db } from "../db/sql";
import type { ClauseState } from "../../app/statement/vocabulary";

/** Each clause's current state; a clause with no entry is open. */
export async function currentClauseStates(sql: Db, documentId: string): Promise<Map<string, ClauseState>> {
  const rows = await sql<{ clauseId: string; state: ClauseState }[]>`
    select distinct on (clause_id) clause_id as "clauseId", state
    from clause_states where document_id = ${documentId}
    order by clause_id, id desc`;
  return new Map(rows.map((r) => [r.clauseId, r.state]));
}

export async function clauseState(sql: Db, documentId: string, clauseId: string): Promise<ClauseState> {
  const [row] = await sql<{ state: ClauseState }[]>`
    select state from clause_states where document_id = ${documentId} and clause_id = ${clauseId} order by id desc limit 1`;
  return row?.state ?? "open";
}

/**
 * What of a statement's base text nobody may change right now: all of it once adopted or while a
 * silence procedure runs, otherwise its agreed clauses.
 */
export interface TextLocks {
  whole: "adopted" | "silence" | null;
  clauses: Set<string>;
  /** Every clause's current state, as the locks were read from. */
  states: Map<string, ClauseState>;
}

export async function textLocks(sql: Db, documentId: string): Promise<TextLocks> {
  const [doc] = await sql<{ adopted: boolean; silence: boolean }[]>`
    select adopted_at is not null as adopted,
           exists (select 1 from silence_procedures s where s.document_id = d.id and s.status = 'running') as silence
    from documents d where d.id = ${documentId}`;
  const states = await currentClauseStates(sql, documentId);
  return {
    whole: doc?.adopted ? "adopted" : doc?.silence ? "silence" : null,
    clauses: new Set([...states].filter(([, s]) => s === "agreed").map(([id]) => id)),
    states,
  };
}

export interface ClauseStateRow {
  id: string;
  clauseId: string;
  state: ClauseState;
  reason: string;
  /** null when the system set it (a silence procedure that passed). */
  userName: string | null;
  createdAt: Date;
}

/** Appends a clause state set by the chair; the earlier ones stay as its history. */
export async function setClauseState(
  sql: Db,
  s: { documentId: string; clauseId: string; state: ClauseState; reason: string; userId: string | null },
): Promise<void> {
  await sql`
    insert into clause_states (document_id, clause_id, state, reason, user_id)
    values (${s.documentId}, ${s.clauseId}, ${s.state}, ${s.reason}, ${s.userId})`;
}

/** Every state set on a statement's clauses, newest first, with who set it and why. */
export async function clauseStateHistory(sql: Db, documentId: string): Promise<ClauseStateRow[]> {
  return sql<ClauseStateRow[]>`
    select c.id::text as id, c.clause_id as "clauseId", c.state, c.reason, u.name as "userName", c.created_at as "createdAt"
    from clause_states c left join users u on u.id = c.user_id
    where c.document_id = ${documentId}
    order by c.id desc`;
}
