import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { createSignedInPerson, createStatement } from "../support/factories";
import { currentStatement } from "../../server/negotiation/numbering";
import { Refusal } from "../../server/negotiation/refusal";
import type { Actor } from "../../server/negotiation/actor";
import { changeClauseState } from "../../server/negotiation/clause-states";
import { giveSignal } from "../../server/negotiation/signals";
import { breakSilenceProcedure, cancelSilenceProcedure, openSilenceProcedure } from "../../server/negotiation/silence";
import { changeThread, startThread } from "../../server/negotiation/comments";
import { findDocument } from "../../server/queries/documents";
import { clauseStateHistory } from "../../server/queries/clause-states";
import { signalHistory } from "../../server/queries/clause-signals";
import { latestSilence } from "../../server/queries/silence-procedures";
import { createRevision } from "../../server/versions/capture";
import { restoreVersion } from "../../server/versions/restore";
import { randomUUID } from "node:crypto";
import type { Role } from "../../app/statement/vocabulary";

/**
 * The negotiation commands called directly, as any caller besides the routes would: a refusal is a
 * Refusal with its status and changes nothing; a change writes exactly one audit entry.
 */
let db: TestDatabase;
let documentId: string;
let conferenceId: string;
let clauseId: string;
let chair: Actor;
let delegate: Actor;
let observer: Actor;

const actor = async (role: Role): Promise<Actor> => {
  const p = await createSignedInPerson(db.sql, { conferenceId, role });
  return {
    userId: p.id,
    role,
    delegationId: p.delegationId,
    isChair: role === "chair",
    negotiates: role === "delegate",
    mayPropose: role === "delegate",
  };
};
const auditCount = async () =>
  Number((await db.sql<{ n: string }[]>`select count(*) as n from audit_log where document_id = ${documentId}`)[0].n);
const document = async () => (await findDocument(db.sql, documentId))!;

/** Runs a command expected to be refused, and checks it left the audit trail as it was. */
async function refusal(run: () => Promise<unknown>): Promise<Refusal> {
  const before = await auditCount();
  const err = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Refusal);
  expect(await auditCount()).toBe(before);
  return err as Refusal;
}

/** Runs a command expected to change something, and checks it wrote exactly one audit entry. */
async function oneAuditEntry<T>(run: () => Promise<T>): Promise<T> {
  const before = await auditCount();
  const value = await run();
  expect(await auditCount()).toBe(before + 1);
  return value;
}

beforeAll(async () => {
  db = await createTestDatabase();
  ({ documentId, conferenceId } = await createStatement(db.sql));
  clauseId = (await currentStatement(db.sql, documentId)).clauses[0].id!;
  [chair, delegate, observer] = [await actor("chair"), await actor("delegate"), await actor("observer")];
});

describe("clause states", () => {
  it("are refused to anyone but the chair (403) and for a clause not in the statement (400, on the clause field)", async () => {
    expect((await refusal(() => changeClauseState(db.sql, delegate, { documentId, clauseId, state: "agreed", reason: "" }))).status).toBe(
      403,
    );
    const forged = await refusal(() => changeClauseState(db.sql, chair, { documentId, clauseId: "forged", state: "agreed", reason: "" }));
    expect([forged.status, forged.field]).toEqual([400, "clauseId"]);
    expect(await clauseStateHistory(db.sql, documentId)).toEqual([]);
  });

  it("are set by the chair with one audit entry", async () => {
    const clause = await oneAuditEntry(() =>
      changeClauseState(db.sql, chair, { documentId, clauseId, state: "under_negotiation", reason: "" }),
    );
    expect(clause.id).toBe(clauseId);
    expect((await clauseStateHistory(db.sql, documentId)).map((h) => h.state)).toEqual(["under_negotiation"]);
  });
});

describe("signals", () => {
  it("are refused to anyone but a delegate (403) and on a clause not in the statement (400)", async () => {
    const input = { document: await document(), clauseId, signal: "accept" as const, reason: "" };
    expect((await refusal(() => giveSignal(db.sql, chair, input))).status).toBe(403);
    expect((await refusal(() => giveSignal(db.sql, observer, input))).status).toBe(403);
    expect((await refusal(() => giveSignal(db.sql, delegate, { ...input, clauseId: "forged" }))).field).toBe("clauseId");
    expect(await signalHistory(db.sql, documentId)).toEqual([]);
  });

  it("are given for the delegate's delegation with one audit entry", async () => {
    await oneAuditEntry(async () => giveSignal(db.sql, delegate, { document: await document(), clauseId, signal: "accept", reason: "" }));
    expect((await signalHistory(db.sql, documentId)).map((s) => s.delegationId)).toEqual([delegate.delegationId]);
  });
});

describe("the silence procedure", () => {
  const tomorrow = () => {
    const d = new Date(Date.now() + 86_400_000);
    return { date: d.toISOString().slice(0, 10), time: "12:00", timeZone: "UTC", note: "" };
  };

  it("is opened by the chair only (403), with a deadline in the future (400, on the date field)", async () => {
    expect((await refusal(async () => openSilenceProcedure(db.sql, delegate, { document: await document(), ...tomorrow() }))).status).toBe(
      403,
    );
    const past = await refusal(async () =>
      openSilenceProcedure(db.sql, chair, { document: await document(), date: "2000-01-01", time: "12:00", timeZone: "UTC", note: "" }),
    );
    expect([past.status, past.field]).toEqual([400, "date"]);
    expect(await latestSilence(db.sql, documentId)).toBeNull();
  });

  it("opens once with one audit entry; a second opening is refused inside its transaction (400)", async () => {
    await oneAuditEntry(async () => openSilenceProcedure(db.sql, chair, { document: await document(), ...tomorrow() }));
    const second = await refusal(async () => openSilenceProcedure(db.sql, chair, { document: await document(), ...tomorrow() }));
    expect(second.message).toContain("already running");
  });

  it("is broken by a delegate only (403), with one audit entry; nothing is left to break or cancel (400)", async () => {
    const doc = await document();
    expect((await refusal(() => breakSilenceProcedure(db.sql, chair, { document: doc, objection: "No." }))).status).toBe(403);
    await oneAuditEntry(() => breakSilenceProcedure(db.sql, delegate, { document: doc, objection: "We object." }));
    expect((await latestSilence(db.sql, documentId))!.status).toBe("broken");
    expect((await refusal(() => breakSilenceProcedure(db.sql, delegate, { document: doc, objection: "Again." }))).status).toBe(400);
    expect((await refusal(() => cancelSilenceProcedure(db.sql, chair, { documentId }))).status).toBe(400);
  });
});

describe("comments", () => {
  it("are refused to observers (403), on a clause not in the statement (400), and on a forged thread (404)", async () => {
    expect((await refusal(() => startThread(db.sql, observer, { documentId, clauseId, anchor: null, body: "Hm." }))).status).toBe(403);
    const forged = await refusal(() => startThread(db.sql, delegate, { documentId, clauseId: "forged", anchor: null, body: "Hm." }));
    expect([forged.status, forged.field]).toEqual([400, "clauseId"]);
    expect((await refusal(() => changeThread(db.sql, chair, { documentId, threadId: "forged", change: "resolve" }))).status).toBe(404);
  });

  it("pinning is the chair's (403 for a delegate)", async () => {
    const threadId = await startThread(db.sql, delegate, { documentId, clauseId, anchor: null, body: "A thought." });
    expect((await refusal(() => changeThread(db.sql, delegate, { documentId, threadId, change: "pin" }))).status).toBe(403);
    await changeThread(db.sql, chair, { documentId, threadId, change: "pin" });
  });
});

describe("versions", () => {
  it("refuses to restore a version that does not exist (404) without touching the text", async () => {
    const collab = { changeDocument: async () => expect.unreachable("the text must not change") };
    const missing = await refusal(() => restoreVersion(db.sql, collab, chair, { documentId, versionId: randomUUID() }));
    expect(missing.status).toBe(404);
  });

  it("refuses a revision to a delegate and a restore to anyone but the chair (403)", async () => {
    const collab = { changeDocument: async () => expect.unreachable("the text must not change") };
    expect((await refusal(() => createRevision(db.sql, delegate, { documentId, name: "Mine" }))).status).toBe(403);
    const { id } = await createRevision(db.sql, chair, { documentId, name: "Rev.0" });
    expect((await refusal(() => restoreVersion(db.sql, collab, delegate, { documentId, versionId: id }))).status).toBe(403);
  });

  it("saves a named revision with one audit entry", async () => {
    const { number } = await oneAuditEntry(() => createRevision(db.sql, chair, { documentId, name: "Rev.1" }));
    expect(number).toBeGreaterThan(0);
  });
});
