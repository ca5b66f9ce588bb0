import type { Db } from "../db/sql";
import { canSeeProposal, listProposals } from "../queries/proposals";
import { effectiveSignals } from "../queries/clause-signals";
import { listWorkspaceHolds, listWorkspaceNotes, type WorkspaceHoldRow, type WorkspaceNoteRow } from "../queries/workspace";
import { currentStatement } from "../negotiation/numbering";
import { excerpt } from "../../app/statement/excerpt";
import { proposalLabels } from "../../app/statement/negotiation-labels";
import type { ClauseSignal, ProposalStatus } from "../../app/statement/vocabulary";
import type { Member } from "./workspace";

/** One of the delegation's proposals, as its workspace lists it (a draft is one not yet tabled). */
export interface WorkspaceProposal {
  id: string;
  number: number;
  /** As negotiators name it: "OP5 alt", "Delete OP5", "OP5 bis". */
  label: string;
  status: ProposalStatus;
  /** The paragraph it is on (for an addition, the one it follows); null at the start of a part. */
  clauseId: string | null;
}

/** A paragraph of the statement with the delegation's position on it. */
export interface WorkspaceParagraph {
  clauseId: string;
  label: string;
  excerpt: string;
  signal: { signal: ClauseSignal; reason: string; alignedWith: string | null } | null;
  held: WorkspaceHoldRow | null;
  notes: WorkspaceNoteRow[];
  proposals: WorkspaceProposal[];
}

export interface Workspace {
  paragraphs: WorkspaceParagraph[];
  /** Proposals not on a paragraph of the text now (at the start of a part, or on one since removed). */
  otherProposals: WorkspaceProposal[];
  /** Notes and holds on paragraphs no longer in the text: kept, and shown apart. */
  removed: { clauseId: string; held: WorkspaceHoldRow | null; notes: WorkspaceNoteRow[] }[];
}

/**
 * The delegation's workspace on a statement, paragraph by paragraph: its signal (its group's, if
 * it aligned), its proposals and their fates (drafts included: they are its own), its holds and
 * its members' notes. Read for the delegation only, never for anyone else.
 */
export async function readWorkspace(sql: Db, documentId: string, member: Member): Promise<Workspace> {
  const { delegationId } = member;
  const [{ clauses }, rows, signals, holds, notes] = await Promise.all([
    currentStatement(sql, documentId),
    listProposals(sql, documentId),
    effectiveSignals(sql, documentId),
    listWorkspaceHolds(sql, documentId, delegationId),
    listWorkspaceNotes(sql, documentId, delegationId),
  ]);
  // Labels as the delegation reads the proposals elsewhere: over those it may see.
  const visible = rows.filter((p) => canSeeProposal(p, { delegationId, isChair: false }));
  const labels = proposalLabels(visible, clauses);
  const own: WorkspaceProposal[] = visible
    .filter((p) => p.delegationId === delegationId)
    .map((p) => ({ id: p.id, number: p.number, label: labels.get(p.id)!, status: p.status, clauseId: p.clauseId }));
  const holdOf = new Map(holds.map((h) => [h.clauseId, h]));
  const notesOf = new Map<string, WorkspaceNoteRow[]>();
  for (const n of notes) notesOf.set(n.clauseId, [...(notesOf.get(n.clauseId) ?? []), n]);
  const paragraphs = clauses.flatMap((c): WorkspaceParagraph[] => {
    if (!c.id) return [];
    const s = signals.find((x) => x.clauseId === c.id && x.delegationId === delegationId);
    return [
      {
        clauseId: c.id,
        label: c.label,
        excerpt: excerpt(c.text, 120),
        signal: s ? { signal: s.signal, reason: s.reason, alignedWith: s.alignedWith?.code ?? null } : null,
        held: holdOf.get(c.id) ?? null,
        notes: notesOf.get(c.id) ?? [],
        proposals: own.filter((p) => p.clauseId === c.id),
      },
    ];
  });
  const present = new Set(paragraphs.map((p) => p.clauseId));
  const gone = new Set([...holdOf.keys(), ...notesOf.keys()].filter((id) => !present.has(id)));
  return {
    paragraphs,
    otherProposals: own.filter((p) => p.clauseId === null || !present.has(p.clauseId)),
    removed: [...gone].map((clauseId) => ({ clauseId, held: holdOf.get(clauseId) ?? null, notes: notesOf.get(clauseId) ?? [] })),
  };
}
