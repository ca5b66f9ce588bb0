import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, participant, type NegotiationFixture, type Participant } from "../support/negotiation";
import { createDelegation, createGroup, createSignedInPerson } from "../support/factories";
import { currentSignals, effectiveSignals, signalHistory } from "../../server/queries/clause-signals";
import { setGroupMembers } from "../../server/queries/delegation-groups";
import { openBusiness } from "../../server/negotiation/open-business";
import { currentStatement } from "../../server/negotiation/numbering";
import type { Sql } from "../../server/db/sql";

/**
 * A member delegation aligns with its group's signal on a clause: its effective signal is the
 * group's latest, followed live, and counts as such in the matrix, the chair's confirmations and
 * the open business; only a negotiating member of the group may align, and its own later signal
 * replaces the alignment.
 */

let n: NegotiationFixture;
/** G-77 and China: delegation A and an NGO are its members. */
let g77: Participant;
let g77Id: string;
/** The African Group: delegation B is its member, A is not. */
let africanGroupId: string;
let ngo: Participant;
let codeOfA: string;

const doc = () => `/documents/${n.documentId}`;
const signal = (who: Participant, clause: number, value: string, reason = "") =>
  who.post(`${doc()}/signals`, { clauseId: n.clauses[clause].id, signal: value, reason });
const effectiveOf = async (sql: Sql, delegationId: string | null, clause: number) =>
  (await currentSignals(sql, n.documentId)).find((s) => s.delegationId === delegationId && s.clauseId === n.clauses[clause].id);
/** A clause's row of the consensus matrix, as HTML. */
const matrixRow = async (clause: number) => {
  const html = await (await n.chair.get(`${doc()}/consensus`)).text();
  const start = html.indexOf(`data-clause-id="${n.clauses[clause].id}"`);
  return html.slice(start, html.indexOf("</tr>", start));
};
const cellOf = (row: string, code: string) => row.match(new RegExp(`<td[^>]*data-delegation="${code}".*?</td>`, "s"))![0];

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  const ngoDelegation = await createDelegation(db.sql, n.conferenceId, { code: "ICBL", name: "Campaign to Ban Landmines", kind: "ngo" });
  ngo = await participant(
    server.url,
    await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "delegate", delegationId: ngoDelegation.id }),
  );
  const group = await createGroup(db.sql, n.conferenceId, [n.delegateA.delegationId!, ngoDelegation.id], {
    code: "G77",
    name: "G-77 and China",
  });
  g77Id = group.id;
  g77 = await participant(
    server.url,
    await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "delegate", delegationId: g77Id }),
  );
  africanGroupId = (await createGroup(db.sql, n.conferenceId, [n.delegateB.delegationId!], { code: "AG", name: "African Group" })).id;
  [{ code: codeOfA }] = await db.sql<{ code: string }[]>`select code from delegations where id = ${n.delegateA.delegationId}`;
});

describe("a member delegation aligns with its group's signal", () => {
  it("offers the alignment to the members of a group only: the page's data names its groups", async () => {
    // The clause panel is drawn in the browser (tests/e2e/signal-alignment.test.ts); its groups come with the page.
    const ofA = await (await n.delegateA.get(doc())).text();
    expect(ofA).toContain(g77Id);
    expect(ofA).toContain("G-77 and China");
    expect(await (await n.delegateB.get(doc())).text()).not.toContain("G-77 and China");
  });

  it("has no signal that counts while the group has none on the clause", async ({ db }) => {
    expect((await signal(n.delegateA, 0, `align:${g77Id}`)).status).toBe(200);
    expect(await effectiveOf(db.sql, n.delegateA.delegationId, 0)).toBeUndefined();
    expect(cellOf(await matrixRow(0), codeOfA)).toContain("No signal");
    // The alignment itself is in the history, with its group.
    const [given] = await signalHistory(db.sql, n.documentId);
    expect(given).toMatchObject({ delegationId: n.delegateA.delegationId, signal: "align", alignedWith: { id: g77Id, code: "G77" } });
  });

  it("takes the group's signal once the group signals, shown as aligned in the matrix", async ({ db }) => {
    expect((await signal(g77, 0, "not_yet", "The Group is consulting its members.")).status).toBe(200);
    expect(await effectiveOf(db.sql, n.delegateA.delegationId, 0)).toMatchObject({
      signal: "not_yet",
      reason: "The Group is consulting its members.",
      alignedWith: { code: "G77", name: "G-77 and China" },
    });
    const cell = cellOf(await matrixRow(0), codeOfA);
    expect(cell).toContain("signal-not_yet");
    expect(cell).toContain("aligned with G77");
  });

  it("follows the group live: when the group changes its signal, the member's changes with it", async ({ db }) => {
    expect((await signal(g77, 0, "accept")).status).toBe(200);
    expect(await effectiveOf(db.sql, n.delegateA.delegationId, 0)).toMatchObject({
      signal: "accept",
      reason: "",
      alignedWith: { code: "G77" },
    });
    expect(cellOf(await matrixRow(0), codeOfA)).toContain("signal-accept");
  });

  it("is replaced by the member's own later signal, which no longer follows the group", async ({ db }) => {
    expect((await signal(n.delegateA, 0, "reservation", "We read it as non-binding.")).status).toBe(200);
    expect((await signal(g77, 0, "not_yet", "The Group reconsiders.")).status).toBe(200);
    expect(await effectiveOf(db.sql, n.delegateA.delegationId, 0)).toMatchObject({
      signal: "reservation",
      reason: "We read it as non-binding.",
      alignedWith: null,
    });
  });

  it("stops counting once the delegation leaves the group", async ({ db }) => {
    expect((await signal(g77, 2, "accept")).status).toBe(200);
    expect((await signal(n.delegateA, 2, `align:${g77Id}`)).status).toBe(200);
    expect((await effectiveOf(db.sql, n.delegateA.delegationId, 2))?.signal).toBe("accept");
    await setGroupMembers(db.sql, n.conferenceId, g77Id, []);
    try {
      expect(await effectiveOf(db.sql, n.delegateA.delegationId, 2)).toBeUndefined();
    } finally {
      await setGroupMembers(db.sql, n.conferenceId, g77Id, [n.delegateA.delegationId!, ngo.delegationId!]);
    }
    expect((await effectiveOf(db.sql, n.delegateA.delegationId, 2))?.signal).toBe("accept");
  });
});

describe("who may align", () => {
  async function expectNothingStored(sql: Sql, res: Promise<Response>, status: number, message: RegExp) {
    const before = (await signalHistory(sql, n.documentId)).map((s) => s.id);
    const [{ audit: auditBefore }] = await sql<
      { audit: number }[]
    >`select count(*)::int as audit from audit_log where document_id = ${n.documentId}`;
    const answer = await res;
    expect(answer.status).toBe(status);
    expect(await answer.text()).toMatch(message);
    expect((await signalHistory(sql, n.documentId)).map((s) => s.id)).toEqual(before);
    const [{ audit }] = await sql<{ audit: number }[]>`select count(*)::int as audit from audit_log where document_id = ${n.documentId}`;
    expect(audit).toBe(auditBefore);
  }

  it("refuses a delegation that is not a member of the group, and stores nothing", async ({ db }) => {
    await expectNothingStored(db.sql, signal(n.delegateB, 3, `align:${g77Id}`), 403, /Only a member delegation of a group/);
    await expectNothingStored(db.sql, signal(n.delegateA, 3, `align:${africanGroupId}`), 403, /Only a member delegation of a group/);
    // A group is not a member of itself.
    await expectNothingStored(db.sql, signal(g77, 3, `align:${g77Id}`), 403, /Only a member delegation of a group/);
  });

  it("refuses a member that does not negotiate, as it refuses it any signal", async ({ db }) => {
    await expectNothingStored(db.sql, signal(ngo, 3, `align:${g77Id}`), 403, /only delegations that negotiate/i);
  });

  it("refuses a choice that names no group (400)", async ({ db }) => {
    await expectNothingStored(db.sql, signal(n.delegateA, 3, "align:G77"), 400, /Choose your delegation's signal/);
    await expectNothingStored(db.sql, signal(n.delegateA, 3, "align"), 400, /Choose your delegation's signal/);
  });

  it("refuses an alignment in the database without its group, or a group without the alignment", async ({ db }) => {
    const row = {
      document_id: n.documentId,
      clause_id: n.clauses[3].id,
      delegation_id: n.delegateA.delegationId,
      user_id: n.delegateA.userId,
    };
    await expect(db.sql`insert into clause_signals ${db.sql({ ...row, signal: "align" })}`).rejects.toThrow(/aligned_group_check/);
    await expect(db.sql`insert into clause_signals ${db.sql({ ...row, signal: "accept", aligned_group_id: g77Id })}`).rejects.toThrow(
      /aligned_group_check/,
    );
  });
});

describe("the chair and the open business see an aligned member's signal", () => {
  it("asks the chair to confirm agreeing over an aligned member whose group says not yet, naming it", async ({ db }) => {
    const clauseId = n.clauses[1].id;
    expect((await signal(g77, 1, "not_yet", "Awaiting the Group's coordination.")).status).toBe(200);
    expect((await signal(n.delegateA, 1, `align:${g77Id}`)).status).toBe(200);
    const { clauses } = await currentStatement(db.sql, n.documentId);
    const business = await openBusiness(db.sql, n.documentId, clauses);
    expect(business.notYet.filter((s) => s.clauseId === clauseId).map((s) => s.delegationCode)).toEqual(
      expect.arrayContaining([codeOfA, "G77"]),
    );
    expect(business.notYet.find((s) => s.clauseId === clauseId && s.delegationCode === codeOfA)?.alignedWith).toBe("G77");
    const states = `${doc()}/states`;
    const refused = await n.chair.post(states, { clauseId, state: "agreed" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain(`(${codeOfA}, aligned with G77)`);
    // Confirming over the group alone is not enough: its aligned member says not yet too.
    expect((await n.chair.post(states, { clauseId, state: "agreed", overriding: g77Id })).status).toBe(409);
    const overriding = `${g77Id},${n.delegateA.delegationId}`;
    expect((await n.chair.post(states, { clauseId, state: "agreed", overriding })).status).toBe(200);
  });

  it("counts the alignment in effectiveSignals with the member's kind: a non-negotiating member is shown but not counted", async ({
    db,
  }) => {
    // Written directly: the route refuses it (above), but the member's kind may change after it aligned.
    await db.sql`insert into clause_signals (document_id, clause_id, delegation_id, signal, user_id, aligned_group_id)
      values (${n.documentId}, ${n.clauses[0].id}, ${ngo.delegationId}, 'align', ${ngo.userId}, ${g77Id})`;
    const row = (await effectiveSignals(db.sql, n.documentId)).find((s) => s.delegationId === ngo.delegationId);
    expect(row).toMatchObject({ signal: "not_yet", counts: false, alignedWith: { code: "G77" } });
    expect((await currentSignals(db.sql, n.documentId)).some((s) => s.delegationId === ngo.delegationId)).toBe(false);
  });
});
