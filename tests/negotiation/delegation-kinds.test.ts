import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, participant, type NegotiationFixture, type Participant } from "../support/negotiation";
import { createDelegation, createGroup, createSignedInPerson } from "../support/factories";
import { pageText } from "../support/http";
import { setNonNegotiatingMayPropose } from "../../server/people/delegations";
import { currentSignals, recordSignal, signalHistory } from "../../server/queries/clause-signals";
import { cancelSilence, latestSilence, openSilence } from "../../server/queries/silence-procedures";
import { findProposal, listProposals } from "../../server/queries/proposals";
import { openBusiness } from "../../server/negotiation/open-business";
import { currentStatement } from "../../server/negotiation/numbering";
import { currentClauseStates } from "../../server/queries/clause-states";
import type { Sql } from "../../server/db/sql";
import type { DelegationKind } from "../../app/statement/vocabulary";

/**
 * Who may do what by kind of delegation: delegations that do not negotiate (here an NGO) are
 * refused proposals (unless the conference allows them), signals, support and objections and
 * breaking silence, and every refusal changes nothing; their signals do not count; a group's
 * proposal is the group's, and its members align with it.
 */

let n: NegotiationFixture;
let ngo: Participant;
let regional: Participant;
let group: Participant;
let groupCode: string;
/** A submitted proposal of delegation A's. */
let proposalOfA: string;

const doc = () => `/documents/${n.documentId}`;
const proposalPath = (id: string) => `${doc()}/proposals/${id}`;

async function delegateOf(sql: Sql, serverUrl: string, kind: DelegationKind, code: string, name: string): Promise<Participant> {
  const delegation = await createDelegation(sql, n.conferenceId, { code, name, kind });
  return participant(
    serverUrl,
    await createSignedInPerson(sql, { conferenceId: n.conferenceId, role: "delegate", delegationId: delegation.id }),
  );
}

/** What a refusal must leave as it was: proposals with their positions and events, signals, audit entries, the silence procedure. */
async function snapshot(sql: Sql) {
  const [{ events }] = await sql<{ events: number }[]>`
    select count(*)::int as events from proposal_events e join proposals p on p.id = e.proposal_id where p.document_id = ${n.documentId}`;
  const [{ audit }] = await sql<{ audit: number }[]>`select count(*)::int as audit from audit_log where document_id = ${n.documentId}`;
  return {
    proposals: (await listProposals(sql, n.documentId)).map((p) => ({ id: p.id, status: p.status, positions: p.positions })),
    signals: (await signalHistory(sql, n.documentId)).map((s) => s.id),
    silence: (await latestSilence(sql, n.documentId))?.status ?? null,
    events,
    audit,
  };
}

async function expectRefused(sql: Sql, res: Promise<Response>, message: RegExp, before: Awaited<ReturnType<typeof snapshot>>) {
  const answer = await res;
  expect(answer.status).toBe(403);
  expect(await answer.text()).toMatch(message);
  expect(await snapshot(sql)).toEqual(before);
}

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  ngo = await delegateOf(db.sql, server.url, "ngo", "ICBL", "International Campaign to Ban Landmines");
  regional = await delegateOf(db.sql, server.url, "regional_organization", "EU", "European Union");
  const g77 = await createGroup(db.sql, n.conferenceId, [n.delegateA.delegationId!], { code: "G77", name: "G-77 and China" });
  groupCode = g77.code;
  group = await participant(
    server.url,
    await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "delegate", delegationId: g77.id }),
  );
  const created = await n.delegateA.post(doc(), { intent: "propose", kind: "retain", clauseId: n.clauses[0].id });
  proposalOfA = created.headers.get("location")!.split("/").pop()!;
  expect((await n.delegateA.post(proposalPath(proposalOfA), { intent: "submit" })).status).toBe(200);
});

describe("a delegation that does not negotiate (an NGO)", () => {
  it("is refused a proposal (403), and nothing is created", async ({ db }) => {
    const before = await snapshot(db.sql);
    await expectRefused(
      db.sql,
      ngo.post(doc(), { intent: "propose", kind: "retain", clauseId: n.clauses[1].id }),
      /only delegations that negotiate/i,
      before,
    );
  });

  it("is refused a signal, and no signal is recorded", async ({ db }) => {
    const before = await snapshot(db.sql);
    const res = ngo.post(`${doc()}/signals`, { clauseId: n.clauses[1].id, signal: "accept" });
    await expectRefused(db.sql, res, /only delegations that negotiate/i, before);
  });

  it("is refused support, objection and (without the conference's leave) co-sponsorship of a proposal, and no position is taken", async ({
    db,
  }) => {
    const before = await snapshot(db.sql);
    for (const intent of ["support", "object", "cosponsor"]) {
      await expectRefused(
        db.sql,
        ngo.post(proposalPath(proposalOfA), { intent, reason: "Our reason." }),
        /only delegations that negotiate/i,
        before,
      );
    }
  });

  it("cannot break silence: refused, and the procedure keeps running", async ({ db }) => {
    const deadline = new Date(Date.now() + 3600_000);
    await openSilence(db.sql, { documentId: n.documentId, userId: n.chair.userId, deadline, timeZone: "UTC", note: "" });
    try {
      const before = await snapshot(db.sql);
      expect(before.silence).toBe("running");
      const res = ngo.post(`${doc()}/silence`, { intent: "object", objection: "We object." });
      await expectRefused(db.sql, res, /only delegations that negotiate/i, before);
    } finally {
      await cancelSilence(db.sql, { documentId: n.documentId, userId: n.chair.userId });
    }
  });

  it("is told on the statement page why it does not propose, signal or break silence", async () => {
    expect(pageText(await (await ngo.get(doc())).text())).toMatch(
      /Your delegation takes part without negotiating: you comment, but do not propose, signal, break silence, or count toward consensus\./,
    );
    // A delegation that negotiates is told nothing of the kind.
    expect(pageText(await (await n.delegateA.get(doc())).text())).not.toMatch(/without negotiating/);
  });

  it("sees no Support or Object button on a proposal's page", async () => {
    const text = pageText(await (await ngo.get(proposalPath(proposalOfA))).text());
    expect(text).not.toMatch(/\bSupport\b|\bObject\b|Co-sponsor\b/);
  });
});

describe("when the conference lets delegations that do not negotiate propose", () => {
  it("the NGO proposes, submits and co-sponsors, but still may not support, object or signal", async ({ db }) => {
    await setNonNegotiatingMayPropose(db.sql, { conferenceId: n.conferenceId, actorId: n.secretariat.userId, allowed: true });
    try {
      const created = await ngo.post(doc(), { intent: "propose", kind: "retain", clauseId: n.clauses[2].id });
      expect(created.status).toBe(302);
      const id = created.headers.get("location")!.split("/").pop()!;
      expect((await ngo.post(proposalPath(id), { intent: "submit" })).status).toBe(200);
      expect(await findProposal(db.sql, n.documentId, id)).toMatchObject({ status: "submitted", delegationId: ngo.delegationId });
      expect((await ngo.post(proposalPath(proposalOfA), { intent: "cosponsor", reason: "" })).status).toBe(200);
      const before = await snapshot(db.sql);
      await expectRefused(
        db.sql,
        ngo.post(proposalPath(proposalOfA), { intent: "object", reason: "No." }),
        /only delegations that negotiate/i,
        before,
      );
      await expectRefused(db.sql, ngo.post(`${doc()}/signals`, { clauseId: n.clauses[2].id, signal: "accept" }), /negotiate/, before);
      // Withdrawing its co-sponsorship is always open to it.
      expect((await ngo.post(proposalPath(proposalOfA), { intent: "withdrawPosition" })).status).toBe(200);
    } finally {
      await setNonNegotiatingMayPropose(db.sql, { conferenceId: n.conferenceId, actorId: n.secretariat.userId, allowed: false });
    }
  });

  it("a draft made while allowed cannot be submitted once the leave is withdrawn, and stays a draft", async ({ db }) => {
    await setNonNegotiatingMayPropose(db.sql, { conferenceId: n.conferenceId, actorId: n.secretariat.userId, allowed: true });
    const created = await ngo.post(doc(), { intent: "propose", kind: "delete", clauseId: n.clauses[3].id });
    const id = created.headers.get("location")!.split("/").pop()!;
    await setNonNegotiatingMayPropose(db.sql, { conferenceId: n.conferenceId, actorId: n.secretariat.userId, allowed: false });
    const before = await snapshot(db.sql);
    await expectRefused(db.sql, ngo.post(proposalPath(id), { intent: "submit" }), /only delegations that negotiate/i, before);
    expect((await findProposal(db.sql, n.documentId, id))?.status).toBe("draft");
  });
});

describe("a regional integration organisation negotiates", () => {
  it("proposes and signals", async ({ db }) => {
    expect((await regional.post(doc(), { intent: "propose", kind: "retain", clauseId: n.clauses[4].id })).status).toBe(302);
    expect((await regional.post(`${doc()}/signals`, { clauseId: n.clauses[4].id, signal: "accept" })).status).toBe(200);
    expect((await currentSignals(db.sql, n.documentId)).some((s) => s.delegationId === regional.delegationId)).toBe(true);
  });
});

describe("counting toward consensus", () => {
  it("a delegation whose kind no longer negotiates keeps its history, but its 'cannot accept yet' no longer holds up agreement or adoption", async ({
    db,
    server,
  }) => {
    const clauseId = n.clauses[5].id;
    const changer = await delegateOf(db.sql, server.url, "member_state", "CHG", "Changeling");
    await recordSignal(db.sql, {
      documentId: n.documentId,
      clauseId,
      delegationId: changer.delegationId!,
      userId: changer.userId,
      signal: "not_yet",
      reason: "Consulting.",
    });
    const { clauses } = await currentStatement(db.sql, n.documentId);
    expect((await openBusiness(db.sql, n.documentId, clauses)).notYet.map((s) => s.delegationCode)).toContain("CHG");
    // The secretariat makes it an observer State.
    const res = await n.secretariat.post(`/conferences/${n.conferenceId}/delegations`, {
      intent: "kind",
      delegationId: changer.delegationId!,
      kind: "observer_state",
    });
    expect(res.status).toBe(200);
    expect((await openBusiness(db.sql, n.documentId, clauses)).notYet.map((s) => s.delegationCode)).not.toContain("CHG");
    expect((await signalHistory(db.sql, n.documentId)).some((s) => s.delegationId === changer.delegationId)).toBe(true);
    // Agreeing the clause needs no confirmation over its signal.
    expect((await n.chair.post(`${doc()}/states`, { clauseId, state: "agreed" })).status).toBe(200);
    expect((await currentClauseStates(db.sql, n.documentId)).get(clauseId)).toBe("agreed");
    const consensus = await (await n.chair.get(`${doc()}/consensus`)).text();
    expect(consensus).toContain('data-not-counted="CHG"');
    expect(consensus).not.toContain('data-delegation="CHG"');
    expect(pageText(consensus)).toMatch(/not counted \(they take part without negotiating\):.*Changeling \(CHG, Observer State\)/);
  });
});

describe("groups", () => {
  let groupProposal: string;

  it.beforeAll(async () => {
    const created = await group.post(doc(), { intent: "propose", kind: "retain", clauseId: n.clauses[6].id });
    groupProposal = created.headers.get("location")!.split("/").pop()!;
    expect((await group.post(proposalPath(groupProposal), { intent: "submit" })).status).toBe(200);
  });

  it("a group's proposal is the group's, and a member delegation aligns with it: shown with the sponsor and in the history", async ({
    db,
  }) => {
    const page = pageText(await (await n.delegateA.get(proposalPath(groupProposal))).text());
    expect(page).toContain("Align with the group");
    const res = await n.delegateA.post(proposalPath(groupProposal), { intent: "align", reason: "" });
    expect(res.status).toBe(200);
    const p = (await findProposal(db.sql, n.documentId, groupProposal))!;
    expect(p.delegationId).toBe(group.delegationId);
    expect(p.positions.map((x) => [x.delegationId, x.position])).toEqual([[n.delegateA.delegationId, "align"]]);
    const [{ kind }] = await db.sql<{ kind: string }[]>`
      select kind from proposal_events where proposal_id = ${groupProposal} and delegation_id = ${n.delegateA.delegationId} order by id desc limit 1`;
    expect(kind).toBe("aligned");
    const [{ audited }] = await db.sql<{ audited: number }[]>`
      select count(*)::int as audited from audit_log where document_id = ${n.documentId} and action = 'proposal.aligned'`;
    expect(audited).toBe(1);
    const code = p.positions[0].delegationCode;
    const after = pageText(await (await n.observer.get(proposalPath(groupProposal))).text());
    expect(after).toContain(`G-77 and China (${groupCode}; aligned: ${code})`);
    expect(after).toMatch(/aligned with the group's proposal/);
    // And in the compilation.
    expect(pageText(await (await n.observer.get(`${doc()}/compilation`)).text())).toContain(`aligned: ${code}`);
  });

  it("a delegation that is not a member may not align (403), and nothing changes", async ({ db }) => {
    const before = await snapshot(db.sql);
    await expectRefused(
      db.sql,
      n.delegateB.post(proposalPath(groupProposal), { intent: "align", reason: "" }),
      /member delegations of the group/,
      before,
    );
    // Nor may anyone align with a proposal that is not a group's.
    await expectRefused(
      db.sql,
      n.delegateB.post(proposalPath(proposalOfA), { intent: "align", reason: "" }),
      /member delegations of the group/,
      before,
    );
    expect(pageText(await (await n.delegateB.get(proposalPath(groupProposal))).text())).not.toContain("Align with the group");
  });

  it("a member withdraws its alignment", async ({ db }) => {
    expect((await n.delegateA.post(proposalPath(groupProposal), { intent: "withdrawPosition" })).status).toBe(200);
    expect((await findProposal(db.sql, n.documentId, groupProposal))!.positions).toEqual([]);
  });

  it("a group's signal is the group's in the consensus matrix, its column naming its members", async ({ db }) => {
    expect(
      (await group.post(`${doc()}/signals`, { clauseId: n.clauses[6].id, signal: "not_yet", reason: "The Group is consulting." })).status,
    ).toBe(200);
    expect((await currentSignals(db.sql, n.documentId)).find((s) => s.delegationId === group.delegationId)?.signal).toBe("not_yet");
    const html = await (await n.chair.get(`${doc()}/consensus`)).text();
    const row = html.match(new RegExp(`data-clause-id="${n.clauses[6].id}".*?</tr>`, "s"))![0];
    expect(row).toMatch(new RegExp(`data-delegation="${groupCode}" class="signal-cell signal-not_yet"`));
    expect(html).toContain('G77<span class="group-members"> (1 member)</span>');
  });
});
