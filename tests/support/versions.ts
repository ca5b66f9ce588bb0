import * as Y from "yjs";
import type { ProposalFixture, Person } from "./proposals";
import { connectSyncedClient, waitFor } from "./clients";
import { rewriteDraft } from "./proposals";
import { findProposal } from "../../server/queries/proposals";

/** Versions of the fixture's statement, newest first, as stored. */
export async function storedVersions(f: ProposalFixture) {
  return f.db.sql<
    {
      id: string;
      number: number;
      kind: string;
      name: string | null;
      proposalId: string | null;
      restoredFrom: string | null;
      createdBy: string | null;
      state: Buffer;
      stateVector: Buffer;
      clauseStates: Record<string, string>;
    }[]
  >`select id, number, kind, name, proposal_id as "proposalId", restored_from as "restoredFrom", created_by as "createdBy", state,
           state_vector as "stateVector", clause_states as "clauseStates"
    from versions where document_id = ${f.documentId} order by number desc`;
}

/** Saves a named revision through the history page's form; returns its id. */
export async function saveRevision(f: ProposalFixture, person: Person, name: string): Promise<string> {
  const res = await f.post(person, `/documents/${f.documentId}/history`, { intent: "create", name });
  if (res.status !== 200) throw new Error(`saving a revision failed with ${res.status}`);
  const [v] = await f.db.sql<
    { id: string }[]
  >`select id from versions where document_id = ${f.documentId} and name = ${name} order by number desc limit 1`;
  return v.id;
}

/** A version's state as a Y.Doc (the caller destroys it). */
export function versionDoc(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}

/** A delegate proposes on a clause, writes `text` in the draft (if any) and submits; the chair accepts. Returns the proposal id. */
export async function acceptedProposal(f: ProposalFixture, who: Person, fields: Record<string, string>, text?: string): Promise<string> {
  const id = await f.propose(who, fields);
  if (text !== undefined) {
    const draft = await connectSyncedClient(f.server.wsUrl, (await findProposal(f.db.sql, f.documentId, id))!.textDocumentId!, {
      cookie: who.cookie,
    });
    rewriteDraft(draft.doc, text);
    await waitFor(() => draft.isSaved(), { what: "the draft to be saved" });
    draft.destroy();
  }
  const page = `/documents/${f.documentId}/proposals/${id}`;
  const submitted = await f.post(who, page, { intent: "submit" });
  if (submitted.status !== 200) throw new Error(`submitting failed with ${submitted.status}`);
  const accepted = await f.post(f.people.chair, page, { intent: "accept" });
  if (accepted.status !== 200) throw new Error(`accepting failed with ${accepted.status}`);
  return id;
}
