import * as Y from "yjs";
import type { Db, Sql } from "../../server/db/sql";
import { createDocument } from "../../server/queries/documents";
import { appendUpdates } from "../../server/queries/document-state";
import { readStatement } from "../../server/negotiation/statement";
import { createTestDocument } from "./statement";
import { createSessionUser } from "./sessions";
import { createTestDelegation } from "./people";
import type { ClauseState, Position, ProposalKind, ProposalStatus } from "../../app/statement/vocabulary";

/**
 * Negotiation rows written straight to the database, for tests of what reads them (the
 * compilation, brackets, labels) independently of the forms that create them.
 */

export interface ProposalOverrides {
  documentId: string;
  createdBy: string;
  kind?: ProposalKind;
  /** The clause it is on; for `add`, the clause it follows (null: the start of `part`). */
  clauseId?: string | null;
  part?: "pp" | "op";
  /** null: the chair's compromise text. */
  delegationId?: string | null;
  status?: ProposalStatus;
  baseText?: string;
  /** The proposed text: the submitted revision's, or the draft's drafting document's. */
  text?: string;
  newClauseId?: string | null;
  decisionReason?: string | null;
}

/** A drafting document holding `text` in one paragraph, under the field Tiptap uses. */
async function draftingDocument(sql: Db, conferenceId: string, text: string): Promise<string> {
  const d = await createDocument(sql, conferenceId, "Proposal text", "proposal");
  const ydoc = new Y.Doc();
  const paragraph = new Y.XmlElement("paragraph");
  paragraph.insert(0, [new Y.XmlText(text)]);
  ydoc.getXmlFragment("default").insert(0, [paragraph]);
  await appendUpdates(sql, d.id, [Y.encodeStateAsUpdate(ydoc)]);
  ydoc.destroy();
  return d.id;
}

/** A proposal with the next number; unless a draft, with its first submitted revision. */
export async function buildProposal(sql: Db, o: ProposalOverrides): Promise<{ id: string; number: number }> {
  const kind = o.kind ?? "replace";
  const status = o.status ?? "submitted";
  const baseText = o.baseText ?? "";
  const text = o.text ?? (kind === "replace" || kind === "add" ? "Proposed text" : "");
  const [{ conferenceId }] = await sql<
    { conferenceId: string }[]
  >`select conference_id as "conferenceId" from documents where id = ${o.documentId}`;
  const textDocumentId = kind === "replace" || kind === "add" ? await draftingDocument(sql, conferenceId, text) : null;
  const [row] = await sql<{ id: string; number: number }[]>`
    insert into proposals (document_id, number, kind, clause_id, part, text_document_id, delegation_id, created_by, status, base_text,
                           new_clause_id, decision_reason, decided_by, decided_at)
    values (${o.documentId}, (select coalesce(max(number), 0) + 1 from proposals where document_id = ${o.documentId}), ${kind},
            ${o.clauseId ?? null}, ${o.part ?? "op"}, ${textDocumentId}, ${o.delegationId ?? null}, ${o.createdBy}, ${status}, ${baseText},
            ${o.newClauseId ?? null}, ${o.decisionReason ?? null},
            ${["accepted", "rejected", "merged"].includes(status) ? o.createdBy : null}, ${
    ["accepted", "rejected", "merged"].includes(status) ? new Date() : null
  })
    returning id, number`;
  if (status !== "draft") {
    await sql`
      insert into proposal_revisions (proposal_id, revision, text, base_text, submitted_by)
      values (${row.id}, 1, ${text}, ${baseText}, ${o.createdBy})`;
  }
  return row;
}

/** Another delegation's position on a proposal. */
export async function buildPosition(
  sql: Db,
  p: { proposalId: string; delegationId: string; position: Position; userId: string; reason?: string }
): Promise<void> {
  await sql`
    insert into proposal_positions (proposal_id, delegation_id, position, reason, user_id)
    values (${p.proposalId}, ${p.delegationId}, ${p.position}, ${p.reason ?? ""}, ${p.userId})`;
}

/** A clause's new state, as the chair sets it. */
export async function buildClauseState(
  sql: Db,
  s: { documentId: string; clauseId: string; state: ClauseState; userId?: string | null }
): Promise<void> {
  await sql`
    insert into clause_states (document_id, clause_id, state, user_id)
    values (${s.documentId}, ${s.clauseId}, ${s.state}, ${s.userId ?? null})`;
}

export interface NegotiationFixture {
  documentId: string;
  conferenceId: string;
  /** The demo statement's clause ids by label (PP1…PP7, OP1…OP7) and texts. */
  ids: Record<string, string>;
  texts: Record<string, string>;
  chair: { userId: string; cookie: string };
  observer: { userId: string; cookie: string };
  /** Delegates of three delegations, named after them. */
  delegates: Record<"Norway" | "France" | "Germany", { userId: string; cookie: string; delegationId: string }>;
}

/** A conference with the demo statement, its chair, an observer and delegates of Norway, France and Germany. */
export async function negotiationFixture(sql: Sql): Promise<NegotiationFixture> {
  const { documentId, conferenceId } = await createTestDocument(sql);
  const chair = await createSessionUser(sql, { conferenceId, role: "chair" });
  const observer = await createSessionUser(sql, { conferenceId, role: "observer" });
  const delegates = {} as NegotiationFixture["delegates"];
  for (const [name, code] of [
    ["Norway", "NOR"],
    ["France", "FRA"],
    ["Germany", "DEU"],
  ] as const) {
    const d = await createTestDelegation(sql, conferenceId, { name, code });
    const person = await createSessionUser(sql, { conferenceId, role: "delegate", delegationId: d.id });
    delegates[name] = { userId: person.userId, cookie: person.cookie, delegationId: d.id };
  }
  const statement = await readStatement(sql, documentId);
  statement.ydoc.destroy();
  const ids = Object.fromEntries(statement.clauses.map((c) => [c.label, c.id!]));
  const texts = Object.fromEntries(statement.clauses.map((c) => [c.label, c.text]));
  return { documentId, conferenceId, ids, texts, chair, observer, delegates };
}

/** A page as the server renders it for a session, or its status when it refuses. */
export async function getPage(baseUrl: string, path: string, cookie: string | null): Promise<{ status: number; html: string }> {
  const res = await fetch(`${baseUrl}${path}`, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return { status: res.status, html: await res.text() };
}

/** The compilation's entries (clauses and proposed clauses) in page order, each with its label and HTML. */
export function compilationEntries(html: string): { label: string; html: string; proposed: boolean }[] {
  return html
    .split('<section class="compiled-clause')
    .slice(1)
    .map((chunk) => ({
      label: /data-label="([^"]+)"/.exec(chunk)![1],
      html: chunk.split("</section>")[0],
      proposed: chunk.startsWith(" proposed"),
    }));
}

/** The P-numbers of the proposals a compilation page shows. */
export const shownProposals = (html: string) => [...html.matchAll(/data-proposal="(P\d+)"/g)].map((m) => m[1]);
