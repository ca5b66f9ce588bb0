import type { JSONContent } from "@tiptap/core";
import type { Db } from "../db/sql";
import { isUuid } from "./ids";

export type ProposalKind = "replace" | "delete" | "retain" | "add";
export type ProposalStatus = "draft" | "submitted" | "accepted" | "rejected" | "merged" | "withdrawn";
export type Position = "cosponsor" | "support" | "object";

export const proposalKinds: readonly ProposalKind[] = ["replace", "delete", "retain", "add"];
/** Statuses in which a proposal still waits for the chair. */
export const openStatuses: readonly ProposalStatus[] = ["draft", "submitted"];

export interface ProposalPosition {
  delegationId: string;
  delegationCode: string;
  delegationName: string;
  position: Position;
  reason: string;
  updatedAt: Date;
}

export interface ProposalRow {
  id: string;
  documentId: string;
  number: number;
  kind: ProposalKind;
  clauseId: string | null;
  part: "pp" | "op";
  textDocumentId: string | null;
  /** null: the chair's compromise text */
  delegationId: string | null;
  delegationCode: string | null;
  delegationName: string | null;
  createdBy: string;
  createdAt: Date;
  status: ProposalStatus;
  baseText: string;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  mergedInto: string | null;
  newClauseId: string | null;
  /** The latest submitted revision (null while a draft): what everyone but the sponsors sees. */
  revision: { number: number; content: JSONContent[] | null; text: string; baseText: string; submittedAt: Date } | null;
  positions: ProposalPosition[];
}

const select = (sql: Db) => sql`
  select p.id, p.document_id as "documentId", p.number, p.kind, p.clause_id as "clauseId", p.part,
         p.text_document_id as "textDocumentId", p.delegation_id as "delegationId",
         d.code as "delegationCode", d.name as "delegationName",
         p.created_by as "createdBy", p.created_at as "createdAt", p.status, p.base_text as "baseText",
         p.decided_by as "decidedBy", du.name as "decidedByName", p.decided_at as "decidedAt",
         p.decision_reason as "decisionReason", p.merged_into as "mergedInto", p.new_clause_id as "newClauseId",
         (select json_build_object('number', r.revision, 'content', r.content, 'text', r.text, 'baseText', r.base_text, 'submittedAt', r.submitted_at)
            from proposal_revisions r where r.proposal_id = p.id order by r.revision desc limit 1) as revision,
         coalesce((select json_agg(json_build_object('delegationId', pp.delegation_id, 'delegationCode', pd.code, 'delegationName', pd.name,
                                                     'position', pp.position, 'reason', pp.reason, 'updatedAt', pp.updated_at)
                                   order by pd.name)
                     from proposal_positions pp join delegations pd on pd.id = pp.delegation_id
                    where pp.proposal_id = p.id), '[]') as positions
  from proposals p
  left join delegations d on d.id = p.delegation_id
  left join users du on du.id = p.decided_by`;

function revive(row: ProposalRow): ProposalRow {
  // json_build_object leaves timestamps as strings.
  if (row.revision) row.revision.submittedAt = new Date(row.revision.submittedAt);
  for (const p of row.positions) p.updatedAt = new Date(p.updatedAt);
  return row;
}

/** Every proposal on a statement, in order of creation; drafts are included (callers show them to their sponsors only). */
export async function listProposals(sql: Db, documentId: string): Promise<ProposalRow[]> {
  const rows = await sql<ProposalRow[]>`${select(sql)} where p.document_id = ${documentId} order by p.number`;
  return rows.map(revive);
}

export async function findProposal(sql: Db, documentId: string, id: string): Promise<ProposalRow | null> {
  if (!isUuid(id)) return null;
  const [row] = await sql<ProposalRow[]>`${select(sql)} where p.document_id = ${documentId} and p.id = ${id}`;
  return row ? revive(row) : null;
}

/** Whether a person may see a proposal: its sponsors always, everyone once it has been submitted. */
export function canSeeProposal(p: Pick<ProposalRow, "status" | "delegationId" | "revision">, viewer: { delegationId: string | null; isChair: boolean }): boolean {
  if (p.revision) return true;
  return p.delegationId === null ? viewer.isChair : p.delegationId === viewer.delegationId;
}
