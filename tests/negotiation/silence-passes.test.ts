import { describe, expect, it } from "../support/fixtures";
import { connectSyncedClient, roundTrip, waitFor, type TestClient } from "../support/clients";
import { createNegotiation, deadlineFields, recordEvents, type NegotiationFixture } from "../support/negotiation";
import { statementText, storedDoc, typeInClause } from "../support/statement";
import { latestSilence } from "../../server/queries/silence-procedures";
import { currentClauseStates, textLocks } from "../../server/queries/clause-states";
import { findDocument } from "../../server/queries/documents";
import { adoptedNotice } from "../../server/negotiation/silence";

let n: NegotiationFixture;
let writer: TestClient;

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  writer = await connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie });
});

describe("a silence procedure nobody breaks", () => {
  it("passes at its deadline: every clause agreed by the system, the text adopted and locked, everyone told", async ({ db }) => {
    const events = await recordEvents(db.sql);
    // One clause already agreed by the chair keeps that state.
    expect((await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[0].id, state: "agreed" })).status).toBe(200);
    const deadline = new Date(Date.now() + 3000);
    expect(
      (await n.chair.post(`/documents/${n.documentId}/silence`, { intent: "open", ...deadlineFields(deadline, "America/New_York") }))
        .status,
    ).toBe(200);

    await waitFor(async () => (await latestSilence(db.sql, n.documentId))?.status === "passed", {
      what: "the procedure to pass",
      timeoutMs: 20_000,
    });
    const silence = await latestSilence(db.sql, n.documentId);
    expect(silence!.closedAt!.getTime()).toBeGreaterThanOrEqual(Math.floor(deadline.getTime() / 1000) * 1000);

    const states = await currentClauseStates(db.sql, n.documentId);
    for (const c of n.clauses) expect(states.get(c.id)).toBe("agreed");
    const bySystem = await db.sql<{ n: number }[]>`
      select count(*)::int as n from clause_states where document_id = ${n.documentId} and user_id is null and state = 'agreed'`;
    expect(bySystem[0].n).toBe(n.clauses.length - 1);
    expect((await findDocument(db.sql, n.documentId))!.adoptedAt).toBeInstanceOf(Date);
    expect((await textLocks(db.sql, n.documentId)).whole).toBe("adopted");
    await waitFor(() => events.some((e) => e.documentId === n.documentId && e.notice === adoptedNotice), {
      what: "the notice to everyone",
    });
  });

  it("leaves the text locked for good", async ({ db, server }) => {
    await waitFor(() => writer.readOnly === true, { what: "writers to be told the text is read-only" });
    typeInClause(writer.doc, 2, " [after adoption]");
    await roundTrip(writer);
    expect(statementText(await storedDoc(db.sql, n.documentId))).not.toContain("[after adoption]");
    const late = await connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie });
    expect(late.readOnly).toBe(true);
  });

  it("refuses new states, signals and silence procedures on the adopted text (400)", async () => {
    expect((await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[1].id, state: "open" })).status).toBe(400);
    expect((await n.delegateA.post(`/documents/${n.documentId}/signals`, { clauseId: n.clauses[1].id, signal: "accept" })).status).toBe(
      400,
    );
    const reopen = await n.chair.post(`/documents/${n.documentId}/silence`, {
      intent: "open",
      ...deadlineFields(new Date(Date.now() + 3_600_000)),
    });
    expect(reopen.status).toBe(400);
  });

  it("shows the adoption on the statement page", async () => {
    const html = await (await n.observer.get(`/documents/${n.documentId}`)).text();
    expect(html).toMatch(/class="silence-adopted"[^>]*>The text is adopted(<!-- -->)? under the silence procedure/);
  });
});
