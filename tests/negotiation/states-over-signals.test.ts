import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, type NegotiationFixture } from "../support/negotiation";
import { entriesOf } from "../support/audit";
import { clauseState } from "../../server/queries/clause-states";

let n: NegotiationFixture;
let codes: { a: string; b: string; nameA: string };
const path = () => `/documents/${n.documentId}/states`;
const signal = (clauseId: string, value: string, reason = "") => ({ clauseId, signal: value, reason });

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  const rows = await db.sql<{ id: string; code: string; name: string }[]>`
    select id, code, name from delegations where id in ${db.sql([n.delegateA.delegationId!, n.delegateB.delegationId!])}`;
  const byId = new Map(rows.map((r) => [r.id, r]));
  codes = {
    a: byId.get(n.delegateA.delegationId!)!.code,
    b: byId.get(n.delegateB.delegationId!)!.code,
    nameA: byId.get(n.delegateA.delegationId!)!.name,
  };
});

describe("agreeing a clause a delegation cannot accept yet", () => {
  it("is refused without the chair's confirmation (409), naming the delegation; the clause stays as it was", async ({ db }) => {
    const clauseId = n.clauses[5].id;
    expect(
      (await n.delegateA.post(`/documents/${n.documentId}/signals`, signal(clauseId, "not_yet", "Awaiting our capital."))).status,
    ).toBe(200);
    const res = await n.chair.post(path(), { clauseId, state: "agreed" });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { errors: Record<string, string[]> };
    expect(body.errors.overriding[0]).toBe(
      `${codes.nameA} (${codes.a}) cannot accept ${n.clauses[5].label} yet. Confirm that you agree ${n.clauses[5].label} over its signal.`,
    );
    expect(await clauseState(db.sql, n.documentId, clauseId)).toBe("open");
  });

  it("other states need no confirmation; nor do acceptances and reservations", async ({ db }) => {
    const clauseId = n.clauses[5].id;
    expect((await n.chair.post(path(), { clauseId, state: "under_negotiation" })).status).toBe(200);
    expect((await n.chair.post(path(), { clauseId, state: "agreed_ad_ref" })).status).toBe(200);
    const other = n.clauses[6].id;
    expect((await n.delegateA.post(`/documents/${n.documentId}/signals`, signal(other, "accept"))).status).toBe(200);
    expect((await n.delegateB.post(`/documents/${n.documentId}/signals`, signal(other, "reservation", "Our reading of it."))).status).toBe(
      200,
    );
    expect((await n.chair.post(path(), { clauseId: other, state: "agreed" })).status).toBe(200);
    expect(await clauseState(db.sql, n.documentId, other)).toBe("agreed");
  });

  it("a confirmation covers the delegations it names only: one signalling since is named again (409)", async ({ db }) => {
    const clauseId = n.clauses[5].id;
    expect((await n.delegateB.post(`/documents/${n.documentId}/signals`, signal(clauseId, "not_yet", "Still consulting."))).status).toBe(
      200,
    );
    const res = await n.chair.post(path(), { clauseId, state: "agreed", overriding: n.delegateA.delegationId! });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`(${codes.b})`);
    expect(await clauseState(db.sql, n.documentId, clauseId)).toBe("agreed_ad_ref");
  });

  it("once confirmed, agrees the clause and records the override in the audit entry", async ({ db }) => {
    const clauseId = n.clauses[5].id;
    const overriding = `${n.delegateA.delegationId},${n.delegateB.delegationId}`;
    expect((await n.chair.post(path(), { clauseId, state: "agreed", reason: "Consensus in the room.", overriding })).status).toBe(200);
    expect(await clauseState(db.sql, n.documentId, clauseId)).toBe("agreed");
    const entry = (await entriesOf(db.sql, n.conferenceId, "clause_state.set")).at(-1)!;
    expect(entry.subject).toMatchObject({ clauseId, state: "agreed", from: "agreed_ad_ref" });
    expect((entry.subject.overriding as { delegation: string }[]).map((o) => o.delegation).sort()).toEqual([codes.a, codes.b].sort());
    // Agreed over them once, it is not agreed over them again: setting "Agreed" anew asks nothing.
    expect((await n.chair.post(path(), { clauseId, state: "agreed", reason: "Confirmed." })).status).toBe(200);
  });

  it("records no override when nobody signalled against the clause", async ({ db }) => {
    const entry = (await entriesOf(db.sql, n.conferenceId, "clause_state.set")).find((e) => e.subject.clauseId === n.clauses[6].id)!;
    expect(entry.subject).not.toHaveProperty("overriding");
  });
});
