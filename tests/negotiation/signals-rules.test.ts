import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, recordEvents, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { currentSignals, signalHistory } from "../../server/queries/clause-signals";

let n: NegotiationFixture;
const path = () => `/documents/${n.documentId}/signals`;

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
});

describe("a delegate signals for their own delegation", () => {
  it("records the signal for the delegation of their membership, with who and when, and announces it", async ({ db }) => {
    const events = await recordEvents(db.sql);
    const res = await n.delegateA.post(path(), { clauseId: n.clauses[0].id, signal: "accept" });
    expect(res.status).toBe(200);
    const [row] = (await currentSignals(db.sql, n.documentId)).filter((s) => s.clauseId === n.clauses[0].id);
    expect(row).toMatchObject({ delegationId: n.delegateA.delegationId, signal: "accept", userId: n.delegateA.userId, reason: "" });
    expect(row.createdAt).toBeInstanceOf(Date);
    await waitFor(() => events.some((e) => e.documentId === n.documentId && e.topic === "signals"), { what: "a signals event" });
  });

  it("cannot sign for another delegation: a delegation in the form is ignored", async ({ db }) => {
    const res = await n.delegateA.post(path(), {
      clauseId: n.clauses[1].id,
      signal: "not_yet",
      reason: "We need to consult the capital.",
      delegationId: n.delegateB.delegationId!,
    });
    expect(res.status).toBe(200);
    const rows = (await currentSignals(db.sql, n.documentId)).filter((s) => s.clauseId === n.clauses[1].id);
    expect(rows.map((r) => r.delegationId)).toEqual([n.delegateA.delegationId]);
  });

  it("keeps the history: the latest signal is current, the earlier ones remain", async ({ db }) => {
    const clauseId = n.clauses[2].id;
    expect((await n.delegateB.post(path(), { clauseId, signal: "not_yet", reason: "Wording on victim assistance." })).status).toBe(200);
    expect(
      (await n.delegateB.post(path(), { clauseId, signal: "reservation", reason: "We read 'States' as States Parties." })).status,
    ).toBe(200);
    const current = (await currentSignals(db.sql, n.documentId)).filter((s) => s.clauseId === clauseId);
    expect(current).toHaveLength(1);
    expect(current[0]).toMatchObject({ signal: "reservation", reason: "We read 'States' as States Parties." });
    const history = (await signalHistory(db.sql, n.documentId)).filter((s) => s.clauseId === clauseId);
    expect(history.map((h) => h.signal)).toEqual(["reservation", "not_yet"]);
  });

  it("shows every signal's history, with who gave it, on the statement page", async () => {
    const html = await (await n.observer.get(`/documents/${n.documentId}`)).text();
    expect(html).toContain("Wording on victim assistance.");
    expect(html).toContain("Delegate B");
  });
});

describe("refusals", () => {
  it("requires a signal: none in the form is refused (400) with the error on the signal, nothing recorded", async ({ db }) => {
    const clauseId = n.clauses[3].id;
    const res = await n.delegateA.post(path(), { clauseId, reason: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, errors: { signal: ["Choose your delegation's signal."] } });
    expect((await currentSignals(db.sql, n.documentId)).filter((s) => s.clauseId === clauseId)).toEqual([]);
  });

  it("requires a reason for 'cannot accept yet' (400)", async () => {
    const res = await n.delegateA.post(path(), { clauseId: n.clauses[0].id, signal: "not_yet", reason: "  " });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Say why your delegation cannot accept this clause yet.");
  });

  it("requires the text of a reservation (400)", async () => {
    expect((await n.delegateA.post(path(), { clauseId: n.clauses[0].id, signal: "reservation" })).status).toBe(400);
  });

  it("refuses a clause that is not in the statement (400)", async () => {
    const res = await n.delegateA.post(path(), { clauseId: "forged-clause-id", signal: "accept" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("There is no such clause");
  });

  it("refuses an unknown signal (400)", async () => {
    expect((await n.delegateA.post(path(), { clauseId: n.clauses[0].id, signal: "veto" })).status).toBe(400);
  });

  it("refuses the chair, the secretariat and observers (403) and hides the statement from outsiders (404)", async ({ db }) => {
    const form = { clauseId: n.clauses[0].id, signal: "accept" };
    expect((await n.chair.post(path(), form)).status).toBe(403);
    expect((await n.secretariat.post(path(), form)).status).toBe(403);
    expect((await n.observer.post(path(), form)).status).toBe(403);
    expect((await n.outsider.post(path(), form)).status).toBe(404);
    const signals = await currentSignals(db.sql, n.documentId);
    expect(signals.every((s) => s.delegationId === n.delegateA.delegationId || s.delegationId === n.delegateB.delegationId)).toBe(true);
  });
});
