import { describe, expect, it } from "../support/fixtures";
import { compromiseContent, createProposalFixture, type ProposalFixture } from "../support/proposals";
import { deadlineFields } from "../support/negotiation";
import { waitFor } from "../support/wait";
import { auditEntries, entriesOf, lastSeq } from "../support/audit";
import { verifyChain } from "../../server/audit/verify";
import { latestSilence } from "../../server/queries/silence-procedures";
import { issueInvitation, acceptInvitation } from "../../server/people/invitations";
import { hashPassword } from "../../server/auth/password";
import { restoreConfirmation } from "../../app/statement/restore-names";
import { textDigest } from "../../server/audit/text-digest";
import { openBusiness } from "../../server/negotiation/open-business";
import { currentStatement } from "../../server/negotiation/numbering";

/**
 * Every kind of decision and state change, made through the real routes, leaves its entry with
 * who did it (name, role, delegation), when, and what it was about.
 */
let f: ProposalFixture;
let clauses: Record<string, string>;
const proposalPath = (id: string) => `/documents/${f.documentId}/proposals/${id}`;
const names = { alice: "Alice Berg", bruno: "Bruno Lima" };

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  clauses = await f.clauseIds();
});

/** The single entry of `action` recorded since `after`, checked for its actor. */
async function only(action: string, after: number) {
  const rows = await entriesOf(f.db.sql, f.conferenceId, action, after);
  expect(rows, action).toHaveLength(1);
  return rows[0];
}

describe("proposals", () => {
  it("records a proposal from its submission (a draft is its delegation's own), positions and acceptance, each with its actor and subject", async () => {
    const before = await lastSeq(f.db.sql, f.conferenceId);
    const started = Date.now();
    const id = await f.propose(f.people.alice, { kind: "replace", clauseId: clauses.OP2 });
    expect((await f.post(f.people.alice, proposalPath(id), { intent: "submit" })).status).toBe(200);
    expect((await f.post(f.people.bruno, proposalPath(id), { intent: "object", reason: "Too broad." })).status).toBe(200);
    expect((await f.post(f.people.bruno, proposalPath(id), { intent: "withdrawPosition" })).status).toBe(200);
    expect((await f.post(f.people.bruno, proposalPath(id), { intent: "support" })).status).toBe(200);
    expect((await f.post(f.people.chair, proposalPath(id), { intent: "accept", reason: "Consensus in the room." })).status).toBe(200);

    // The draft left no entry: its delegation's own until tabled.
    expect(await entriesOf(f.db.sql, f.conferenceId, "proposal.created", before)).toEqual([]);
    const created = await only("proposal.submitted", before);
    expect(created).toMatchObject({
      actorId: f.people.alice.userId,
      actorName: names.alice,
      actorRole: "delegate",
      delegation: "Norway",
      documentId: f.documentId,
    });
    expect(created.subject).toMatchObject({ proposalId: id, proposal: "P1", kind: "replace", clauseId: clauses.OP2, clause: "OP2" });
    expect(created.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
    expect(created.at.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    // A text is recorded by its digest, never in full.
    const submitted = (await only("proposal.submitted", before)).subject;
    const [{ text }] = await f.db.sql<{ text: string }[]>`select text from proposal_revisions where proposal_id = ${id}`;
    expect(submitted).toMatchObject({ proposal: "P1", revision: 1, clause: "OP2", text: textDigest(text) });
    expect(text.length).toBeGreaterThan(20);
    expect(JSON.stringify(submitted)).not.toContain(text);
    const objected = await only("proposal.objected", before);
    expect(objected).toMatchObject({ actorName: names.bruno, delegation: "Brazil" });
    expect(objected.subject).toMatchObject({ proposal: "P1", position: "object", reason: textDigest("Too broad.") });
    expect((await only("proposal.position_withdrawn", before)).actorName).toBe(names.bruno);
    expect((await only("proposal.supported", before)).subject).toMatchObject({ position: "support" });
    const accepted = await only("proposal.accepted", before);
    expect(accepted).toMatchObject({ actorId: f.people.chair.userId, actorRole: "chair", delegation: null });
    expect(accepted.subject).toMatchObject({ proposal: "P1", reason: textDigest("Consensus in the room."), clause: "OP2" });
    // In the order they happened.
    const actions = (await auditEntries(f.db.sql, f.conferenceId)).filter((r) => r.seq > before).map((r) => r.action);
    expect(actions).toEqual([
      "proposal.submitted",
      "proposal.objected",
      "proposal.position_withdrawn",
      "proposal.supported",
      "proposal.accepted",
    ]);
  });

  it("records withdrawal, rejection and a merge into a compromise", async () => {
    const before = await lastSeq(f.db.sql, f.conferenceId);
    // A draft withdrawn before it was ever tabled leaves no entry; a tabled one withdrawn does.
    const dropped = await f.propose(f.people.alice, { kind: "delete", clauseId: clauses.OP3 });
    expect((await f.post(f.people.alice, proposalPath(dropped), { intent: "withdraw" })).status).toBe(200);
    expect(await entriesOf(f.db.sql, f.conferenceId, "proposal.withdrawn", before)).toEqual([]);
    const withdrawn = await f.propose(f.people.alice, { kind: "retain", clauseId: clauses.OP1 });
    expect((await f.post(f.people.alice, proposalPath(withdrawn), { intent: "submit" })).status).toBe(200);
    expect((await f.post(f.people.alice, proposalPath(withdrawn), { intent: "withdraw" })).status).toBe(200);
    expect((await only("proposal.withdrawn", before)).subject).toMatchObject({ proposalId: withdrawn, previousStatus: "submitted" });

    const rejected = await f.propose(f.people.bruno, { kind: "delete", clauseId: clauses.OP3 });
    expect((await f.post(f.people.bruno, proposalPath(rejected), { intent: "submit" })).status).toBe(200);
    expect((await f.post(f.people.chair, proposalPath(rejected), { intent: "reject", reason: "No support." })).status).toBe(200);
    expect((await only("proposal.rejected", before)).subject).toMatchObject({ proposalId: rejected, reason: textDigest("No support.") });

    const a = await f.propose(f.people.alice, { kind: "retain", clauseId: clauses.OP3 });
    const b = await f.propose(f.people.bruno, { kind: "delete", clauseId: clauses.OP3 });
    for (const [p, id] of [
      [f.people.alice, a],
      [f.people.bruno, b],
    ] as const)
      expect((await f.post(p, proposalPath(id), { intent: "submit" })).status).toBe(200);
    const merge = await f.post(f.people.chair, proposalPath(a), {
      intent: "merge",
      merge: [a, b],
      content: compromiseContent("Decide to convey the Joint Statement."),
      reason: "Bridge",
    });
    expect([200, 302]).toContain(merge.status);
    const merged = await entriesOf(f.db.sql, f.conferenceId, "proposal.merged", before);
    expect(merged.map((m) => m.subject.proposalId).sort()).toEqual([a, b].sort());
    expect(merged[0].subject).toMatchObject({
      reason: textDigest("Bridge"),
      mergedIntoProposal: expect.stringMatching(/^P\d+$/) as unknown,
    });
    const compromise = (await entriesOf(f.db.sql, f.conferenceId, "proposal.created", before)).find((e) => e.subject.compromise === true);
    expect(compromise).toMatchObject({ actorRole: "chair" });
  });
});

describe("versions", () => {
  it("records a named revision, its export and a restore", async () => {
    const before = await lastSeq(f.db.sql, f.conferenceId);
    const history = `/documents/${f.documentId}/history`;
    expect((await f.post(f.people.chair, history, { intent: "create", name: "Rev.1" })).status).toBeLessThan(400);
    const created = await only("version.created", before);
    expect(created).toMatchObject({ actorId: f.people.chair.userId, actorRole: "chair" });
    expect(created.subject).toMatchObject({ name: "Rev.1" });
    const [{ id }] = await f.db.sql<{ id: string }[]>`select id from versions where document_id = ${f.documentId} and name = 'Rev.1'`;
    const res = await fetch(`${f.server.url}/documents/${f.documentId}/export?format=docx&version=${id}`, {
      headers: { Cookie: f.people.chair.cookie },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect((await only("export.downloaded", created.seq)).subject).toMatchObject({ format: "docx", version: "Rev.1" });
    expect((await f.post(f.people.chair, history, { intent: "restore", versionId: id, confirm: restoreConfirmation })).status).toBeLessThan(
      400,
    );
    expect((await only("version.restored", before)).subject).toMatchObject({
      restoredFrom: expect.stringContaining("Rev.1") as unknown,
      kept: { name: "Before restoring Rev.1", version: expect.any(Number) as unknown },
    });
  });
});

describe("signals, states and the silence procedure", () => {
  it("records a delegation's signal and a clause state with its previous state", async () => {
    const before = await lastSeq(f.db.sql, f.conferenceId);
    const signal = await f.post(f.people.bruno, `/documents/${f.documentId}/signals`, {
      clauseId: clauses.PP1,
      signal: "reservation",
      reason: "Our reading differs.",
    });
    expect(signal.status).toBe(200);
    const s = await only("signal.set", before);
    expect(s).toMatchObject({ actorName: names.bruno, actorRole: "delegate", delegation: "Brazil" });
    expect(s.subject).toMatchObject({
      clauseId: clauses.PP1,
      clause: "PP1",
      signal: "reservation",
      reason: textDigest("Our reading differs."),
    });

    expect(
      (
        await f.post(f.people.chair, `/documents/${f.documentId}/states`, {
          clauseId: clauses.PP1,
          state: "agreed_ad_ref",
          reason: "Pending capitals.",
        })
      ).status,
    ).toBe(200);
    const state = await only("clause_state.set", before);
    expect(state).toMatchObject({ actorId: f.people.chair.userId, actorRole: "chair" });
    expect(state.subject).toMatchObject({ clause: "PP1", from: "open", state: "agreed_ad_ref", reason: textDigest("Pending capitals.") });
  });

  it("records opening, breaking, cancelling and (by the system) passing", async () => {
    const silence = `/documents/${f.documentId}/silence`;
    const before = await lastSeq(f.db.sql, f.conferenceId);
    // The proposals left open earlier in this file, as the chair confirms going ahead with them.
    const confirmed = async () =>
      (await openBusiness(f.db.sql, f.documentId, (await currentStatement(f.db.sql, f.documentId)).clauses)).token;
    const open = async (ms: number) =>
      f.post(f.people.chair, silence, {
        intent: "open",
        ...deadlineFields(new Date(Date.now() + ms), "Europe/Oslo"),
        note: "Last call",
        openBusiness: await confirmed(),
      });
    expect((await open(3600_000)).status).toBe(200);
    const opened = await only("silence.opened", before);
    expect(opened).toMatchObject({ actorRole: "chair" });
    expect(opened.subject).toMatchObject({
      timeZone: "Europe/Oslo",
      note: textDigest("Last call"),
      silenceProcedureId: expect.any(String) as unknown,
    });
    expect((await f.post(f.people.alice, silence, { intent: "object", objection: "OP2 needs another look." })).status).toBe(200);
    const broken = await only("silence.broken", before);
    expect(broken).toMatchObject({ actorName: names.alice, delegation: "Norway" });
    expect(broken.subject).toMatchObject({
      objection: textDigest("OP2 needs another look."),
      silenceProcedureId: opened.subject.silenceProcedureId,
    });

    expect((await open(3600_000)).status).toBe(200);
    expect((await f.post(f.people.chair, silence, { intent: "cancel" })).status).toBe(200);
    expect((await only("silence.cancelled", before)).actorRole).toBe("chair");

    const passing = await lastSeq(f.db.sql, f.conferenceId);
    expect((await open(2500)).status).toBe(200);
    await waitFor(async () => (await latestSilence(f.db.sql, f.documentId))?.status === "passed", {
      what: "the procedure to pass",
      timeoutMs: 20_000,
    });
    const passed = await only("silence.passed", passing);
    expect(passed).toMatchObject({ actorId: null, actorName: "System", actorRole: "system", delegation: null });
    expect(passed.subject).toMatchObject({ adopted: true });
    // Every clause not yet agreed became agreed, each recorded as the system's doing, before the adoption.
    const states = await entriesOf(f.db.sql, f.conferenceId, "clause_state.set", passing);
    expect(states.length).toBeGreaterThan(0);
    for (const s of states) {
      expect(s).toMatchObject({ actorId: null, actorRole: "system" });
      expect(s.subject).toMatchObject({ state: "agreed", reason: textDigest("Adopted under the silence procedure.") });
      expect(s.seq).toBeLessThan(passed.seq);
    }
    expect(states.map((s) => s.subject.clause)).toContain("PP1");
  });
});

describe("people and downloads", () => {
  it("records a role change, a removal and an accepted invitation", async () => {
    const before = await lastSeq(f.db.sql, f.conferenceId);
    const people = `/conferences/${f.conferenceId}/people`;
    const sec = f.people.secretariat;
    expect(
      (
        await f.post(sec, people, {
          intent: "role",
          userId: f.people.observer.userId,
          role: "delegate",
          delegationId: f.people.bruno.delegationId!,
        })
      ).status,
    ).toBe(200);
    const changed = await only("role.changed", before);
    expect(changed).toMatchObject({ actorId: sec.userId, actorRole: "secretariat" });
    expect(changed.subject).toMatchObject({
      userId: f.people.observer.userId,
      from: { role: "observer", delegation: null },
      to: { role: "delegate", delegation: "Brazil" },
    });
    expect((await f.post(sec, people, { intent: "remove", userId: f.people.observer.userId })).status).toBe(200);
    const removed = await only("member.removed", before);
    expect(removed.subject).toMatchObject({ userId: f.people.observer.userId, from: { role: "delegate", delegation: "Brazil" }, to: null });

    const invitation = await issueInvitation(f.db.sql, {
      conferenceId: f.conferenceId,
      email: "new.observer@example.org",
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: sec.userId,
      origin: f.server.url,
    });
    const token = invitation.link.split("/").pop()!;
    const accepted = await acceptInvitation(f.db.sql, token, {
      kind: "new",
      name: "New Observer",
      passwordHash: await hashPassword("a long enough secret"),
    });
    expect(accepted.ok).toBe(true);
    const entry = await only("invitation.accepted", before);
    expect(entry).toMatchObject({ actorName: "New Observer", actorRole: "observer" });
    expect(entry.subject).toMatchObject({ invitationId: invitation.id, newAccount: true, from: null, to: { role: "observer" } });
  });

  it("records who downloaded which export", async () => {
    const before = await lastSeq(f.db.sql, f.conferenceId);
    const res = await fetch(`${f.server.url}/documents/${f.documentId}/export?format=md&draft=1`, {
      headers: { Cookie: f.people.chair.cookie },
    });
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    const entry = await only("export.downloaded", before);
    expect(entry).toMatchObject({ actorId: f.people.chair.userId, actorRole: "chair", documentId: f.documentId });
    expect(entry.subject).toMatchObject({
      format: "md",
      draft: true,
      version: "current",
      filename: expect.stringMatching(/\.md$/) as unknown,
    });
    // A refused download (an unknown format) is not recorded.
    const refused = await fetch(`${f.server.url}/documents/${f.documentId}/export?format=exe`, {
      headers: { Cookie: f.people.chair.cookie },
    });
    expect(refused.status).toBe(400);
    expect(await entriesOf(f.db.sql, f.conferenceId, "export.downloaded", entry.seq)).toHaveLength(0);
  });

  it("leaves one intact chain behind all of it", async () => {
    const report = await verifyChain(f.db.sql, f.conferenceId);
    expect(report).toEqual({ ok: true, entries: await lastSeq(f.db.sql, f.conferenceId) });
    expect(report.entries).toBeGreaterThan(25);
  });
});
