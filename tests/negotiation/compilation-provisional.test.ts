import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { currentStatement } from "../../server/negotiation/numbering";
import { createClauseState, createProposal } from "../support/factories";
import { createDelegatesFixture, type DelegatesFixture } from "../support/negotiation";

const provisionalOf = async (documentId: string) => (await currentStatement(db.sql, documentId)).provisional;

let db: TestDatabase;
let f: DelegatesFixture;

beforeAll(async () => {
  db = await createTestDatabase();
  f = await createDelegatesFixture(db.sql);
});

afterAll(async () => {
  await db?.drop();
});

describe("provisional clauses", () => {
  it("are the clauses created by accepted additions, until agreed or adopted", async () => {
    const add = (status: "accepted" | "rejected" | "submitted", newClauseId: string | null, after: string) =>
      createProposal(db.sql, { documentId: f.documentId, createdBy: f.chair.userId, kind: "add", clauseId: after, status, newClauseId });
    await add("accepted", f.ids.OP3, f.ids.OP2);
    await add("accepted", f.ids.OP6, f.ids.OP5);
    await add("rejected", null, f.ids.OP1);
    await add("submitted", null, f.ids.OP1);
    expect([...(await provisionalOf(f.documentId))].sort()).toEqual([f.ids.OP3, f.ids.OP6].sort());

    const labels = async () => {
      const s = await currentStatement(db.sql, f.documentId);
      return s.clauses.filter((c) => c.part === "op").map((c) => c.label);
    };
    expect(await labels()).toEqual(["OP1", "OP2", "OP2 bis", "OP3", "OP4", "OP4 bis", "OP5"]);

    // Agreed: final, numbered again.
    await createClauseState(db.sql, { documentId: f.documentId, clauseId: f.ids.OP3, state: "agreed" });
    expect([...(await provisionalOf(f.documentId))]).toEqual([f.ids.OP6]);
    expect(await labels()).toEqual(["OP1", "OP2", "OP3", "OP4", "OP5", "OP5 bis", "OP6"]);

    await db.sql`update documents set adopted_at = now() where id = ${f.documentId}`;
    expect((await provisionalOf(f.documentId)).size).toBe(0);
    expect(await labels()).toEqual(["OP1", "OP2", "OP3", "OP4", "OP5", "OP6", "OP7"]);
  });
});
