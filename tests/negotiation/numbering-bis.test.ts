import { describe, expect, it, test } from "../support/fixtures";
import type { Actor } from "../../server/negotiation/actor";
import { decideProposal } from "../../server/negotiation/proposals";
import { changeClauseState } from "../../server/negotiation/clause-states";
import { createRevision } from "../../server/versions/capture";
import { createProposal } from "../support/factories";
import { createDelegatesFixture, type DelegatesFixture } from "../support/negotiation";
import { disagreements, labelsOnEverySurface, withRevisionContent } from "../support/numbering-surfaces";

/**
 * Issue 12, defect 2: after an accepted addition after OP3, the new clause is "OP3 bis" and the old
 * OP4…OP7 keep their numbers on every surface, the side panel, state messages and redline included.
 */
describe("an accepted bis clause", () => {
  let f: DelegatesFixture;
  let chair: Actor;
  let addedId: string;
  let deleteId: string;
  let before: string;

  test.beforeAll(async ({ db, server }) => {
    f = await createDelegatesFixture(db.sql);
    chair = { userId: f.chair.userId, role: "chair", delegationId: null, isChair: true, negotiates: false, mayPropose: false };
    const norway = f.delegates.Norway;
    before = (await createRevision(db.sql, chair, { documentId: f.documentId, name: "Rev.1" })).id;
    const add = await createProposal(db.sql, {
      documentId: f.documentId,
      createdBy: norway.userId,
      delegationId: norway.delegationId,
      kind: "add",
      clauseId: f.ids.OP3,
      text: "Invites all parties to report back.",
    });
    await withRevisionContent(db.sql, add.id);
    deleteId = (
      await createProposal(db.sql, {
        documentId: f.documentId,
        createdBy: norway.userId,
        delegationId: norway.delegationId,
        kind: "delete",
        clauseId: f.ids.OP5,
        baseText: f.texts.OP5,
      })
    ).id;
    await decideProposal(db.sql, server.concord.collab, chair, {
      documentId: f.documentId,
      proposalId: add.id,
      decision: "accept",
      reason: "",
    });
    [{ addedId }] = await db.sql<{ addedId: string }[]>`select new_clause_id as "addedId" from proposals where id = ${add.id}`;
  });

  it("is OP3 bis, and the clauses after it keep their numbers, on every surface", async ({ db, server }) => {
    const expected = new Map([
      [f.ids.OP3, "OP3"],
      [addedId, "OP3 bis"],
      [f.ids.OP4, "OP4"],
      [f.ids.OP5, "OP5"],
      [f.ids.OP6, "OP6"],
      [f.ids.OP7, "OP7"],
    ]);
    const surfaces = await labelsOnEverySurface(db.sql, server, { documentId: f.documentId, chair, cookie: f.chair.cookie, before });
    expect(disagreements(surfaces.now, expected)).toEqual([]);
    // Rev.1, before the addition: the same clauses, the same numbers.
    expect(disagreements(surfaces.before, new Map([...expected].filter(([id]) => id !== addedId)))).toEqual([]);
    expect(surfaces.compilation.get(deleteId)).toBe("Delete OP5");
  });

  it("names OP6 in the state message and the audit subject", async ({ db }) => {
    const clause = await changeClauseState(db.sql, chair, {
      documentId: f.documentId,
      clauseId: f.ids.OP6,
      state: "under_negotiation",
      reason: "",
    });
    expect(clause.label).toBe("OP6");
    const [entry] = await db.sql<{ subject: { clause: string } }[]>`
      select subject from audit_log where document_id = ${f.documentId} and action = 'clause_state.set' order by seq desc limit 1`;
    expect(entry.subject.clause).toBe("OP6");
  });
});
