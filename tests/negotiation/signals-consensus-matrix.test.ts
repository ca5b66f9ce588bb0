import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";

let n: NegotiationFixture;
const matrix = () => `/documents/${n.documentId}/consensus`;

/** A clause's row of the matrix, as HTML. */
const rowOf = (html: string, clauseId: string) => {
  const start = html.indexOf(`data-clause-id="${clauseId}"`);
  return html.slice(start, html.indexOf("</tr>", start));
};

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  const signal = (who: typeof n.delegateA, clause: number, signal: string, reason = "") =>
    who.post(`/documents/${n.documentId}/signals`, { clauseId: n.clauses[clause].id, signal, reason });
  await signal(n.delegateA, 0, "accept");
  await signal(n.delegateB, 0, "reservation", "We read it as non-binding.");
  await signal(n.delegateA, 1, "not_yet", "Awaiting instructions from the capital.");
  await n.chair.post(`/documents/${n.documentId}/states`, { clauseId: n.clauses[0].id, state: "agreed_ad_ref" });
});

describe("the consensus matrix", () => {
  it("shows the chair each delegation's signal with its reason, the clause states and who has not yet signalled", async () => {
    const res = await n.chair.get(matrix());
    expect(res.status).toBe(200);
    const html = await res.text();
    const first = rowOf(html, n.clauses[0].id);
    expect(first).toContain("consensus-row");
    expect(first).toContain("Accepts with a reservation");
    expect(first).toContain("We read it as non-binding.");
    expect(first).toContain("Agreed ad referendum");
    const second = rowOf(html, n.clauses[1].id);
    expect(second).not.toContain("consensus-row");
    expect(second).toContain("Awaiting instructions from the capital.");
    // One of the two delegations has not signalled on the second clause.
    expect(second).toMatch(/class="silent-count">1</);
    // Every clause is listed, with its label.
    for (const c of n.clauses) expect(html).toContain(`data-clause-id="${c.id}"`);
    expect(html).toContain(n.clauses[1].label);
  });

  it("is open to the secretariat", async () => {
    expect((await n.secretariat.get(matrix())).status).toBe(200);
  });

  it("is refused to delegates and observers (403) and hidden from outsiders (404)", async () => {
    expect((await n.delegateA.get(matrix())).status).toBe(403);
    expect((await n.observer.get(matrix())).status).toBe(403);
    expect((await n.outsider.get(matrix())).status).toBe(404);
  });

  it("is linked from the statement page for the chair only", async () => {
    expect(await (await n.chair.get(`/documents/${n.documentId}`)).text()).toContain(`href="${matrix()}"`);
    expect(await (await n.delegateA.get(`/documents/${n.documentId}`)).text()).not.toContain(`href="${matrix()}"`);
  });
});
