import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, recordEvents, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { clauseState, clauseStateHistory, textLocks } from "../../server/queries/clause-states";

let n: NegotiationFixture;
const path = () => `/documents/${n.documentId}/states`;

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
});

describe("the chair sets clause states", () => {
  it("records each state with its reason and author, keeps the history, and announces it", async ({ db }) => {
    const events = await recordEvents(db.sql);
    const clauseId = n.clauses[0].id;
    expect((await n.chair.post(path(), { clauseId, state: "under_negotiation" })).status).toBe(200);
    expect((await n.chair.post(path(), { clauseId, state: "agreed", reason: "Agreed in the informal of Tuesday." })).status).toBe(200);
    expect(await clauseState(db.sql, n.documentId, clauseId)).toBe("agreed");
    const history = (await clauseStateHistory(db.sql, n.documentId)).filter((h) => h.clauseId === clauseId);
    expect(history.map((h) => [h.state, h.reason])).toEqual([
      ["agreed", "Agreed in the informal of Tuesday."],
      ["under_negotiation", ""],
    ]);
    const [chair] = await db.sql<{ name: string }[]>`select name from users where id = ${n.chair.userId}`;
    expect(history[0].userName).toBe(chair.name);
    expect((await textLocks(db.sql, n.documentId)).clauses.has(clauseId)).toBe(true);
    await waitFor(() => events.some((e) => e.documentId === n.documentId && e.topic === "states"), { what: "a states event" });
  });

  it("shows the state to everyone on the statement page", async () => {
    const html = await (await n.observer.get(`/documents/${n.documentId}`)).text();
    expect(html).toContain("Agreed in the informal of Tuesday.");
  });

  it("reopening an agreed clause lifts its lock", async ({ db }) => {
    const clauseId = n.clauses[0].id;
    expect((await n.chair.post(path(), { clauseId, state: "open", reason: "Reopened at the request of a delegation." })).status).toBe(200);
    expect((await textLocks(db.sql, n.documentId)).clauses.has(clauseId)).toBe(false);
  });
});

describe("refusals", () => {
  it("refuses delegates, observers and the secretariat (403), and outsiders (404)", async ({ db }) => {
    const form = { clauseId: n.clauses[1].id, state: "agreed" };
    expect((await n.delegateA.post(path(), form)).status).toBe(403);
    expect((await n.observer.post(path(), form)).status).toBe(403);
    expect((await n.secretariat.post(path(), form)).status).toBe(403);
    expect((await n.outsider.post(path(), form)).status).toBe(404);
    expect(await clauseState(db.sql, n.documentId, n.clauses[1].id)).toBe("open");
  });

  it("refuses an unknown state or a forged clause id (400)", async () => {
    expect((await n.chair.post(path(), { clauseId: n.clauses[1].id, state: "closed" })).status).toBe(400);
    const res = await n.chair.post(path(), { clauseId: "not-a-clause", state: "agreed" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("There is no such clause");
  });

  it("refuses a change of state without the anti-forgery token (403)", async ({ server }) => {
    const res = await fetch(`${server.url}${path()}`, {
      method: "POST",
      headers: { cookie: n.chair.cookie },
      body: new URLSearchParams({ clauseId: n.clauses[1].id, state: "agreed" }),
    });
    expect(res.status).toBe(403);
  });
});
