import { randomUUID } from "node:crypto";
import { describe, expect, it } from "../support/fixtures";
import { clientFor, pageText, type FormClient } from "../support/http";
import { createConference, createDelegation, createGroup, createPerson, type TestPerson } from "../support/factories";
import { auditEntries, lastSeq } from "../support/audit";
import { listGroupMembers } from "../../server/queries/delegation-groups";
import { listDelegations, type DelegationRow } from "../../server/queries/delegations";
import { nonNegotiatingMayPropose } from "../../server/people/delegations";
import { verifyChain } from "../../server/audit/verify";
import type { AuditRow } from "../../server/queries/audit-log";
import type { Sql } from "../../server/db/sql";

/**
 * The secretariat's settings on the delegations page: a delegation's kind, a group's members
 * and whether delegations that do not negotiate may propose. Each change is one audit entry with
 * what it was before and after; a refusal changes and records nothing, and so does a change to
 * what already is. The database holds the same rules against writes that bypass the page.
 */

let conferenceId: string;
let path: string;
let secretariatPerson: TestPerson;
let secretariat: FormClient;
let chair: FormClient;
let g77: DelegationRow;
let eu: DelegationRow;
let brazil: DelegationRow;
let india: DelegationRow;
let elsewhere: DelegationRow;

let serverUrl: string;

/** Posts a group's members as the page's checkboxes do: one `members` field per chosen delegation. */
async function postMembers(client: FormClient, groupId: string, members: string[]): Promise<Response> {
  const body = new URLSearchParams({ csrf: (await client.csrf()) ?? "", intent: "members", delegationId: groupId });
  for (const m of members) body.append("members", m);
  return fetch(`${serverUrl}${path}`, { method: "POST", headers: { Cookie: client.cookie }, body, redirect: "manual" });
}

/** Kinds and memberships of the conference, to compare before and after a refusal. */
async function state(sql: Sql) {
  return {
    kinds: (await listDelegations(sql, conferenceId)).map((d) => [d.code, d.kind]),
    members: [...(await listGroupMembers(sql, conferenceId)).entries()],
    mayPropose: await nonNegotiatingMayPropose(sql, conferenceId),
  };
}

/** The conference's audit entries after `seq`, whatever their action. */
async function recordedSince(sql: Sql, seq: number): Promise<AuditRow[]> {
  return (await auditEntries(sql, conferenceId)).filter((r) => r.seq > seq);
}

/** The one entry recorded since `seq`, by the secretariat, of the conference rather than of a statement. */
async function onlyEntrySince(sql: Sql, seq: number): Promise<AuditRow> {
  const entries = await recordedSince(sql, seq);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ actorId: secretariatPerson.id, actorRole: "secretariat", documentId: null });
  return entries[0];
}

/** A delegation in an audited list of a group's members. */
const listed = (d: DelegationRow) => ({ delegationId: d.id, delegation: d.code });

it.beforeAll(async ({ db, server }) => {
  serverUrl = server.url;
  conferenceId = (await createConference(db.sql)).id;
  path = `/conferences/${conferenceId}/delegations`;
  brazil = await createDelegation(db.sql, conferenceId, { code: "BRA", name: "Brazil" });
  india = await createDelegation(db.sql, conferenceId, { code: "IND", name: "India" });
  eu = await createDelegation(db.sql, conferenceId, { code: "EU", name: "European Union", kind: "regional_organization" });
  g77 = await createGroup(db.sql, conferenceId, [], { code: "G77", name: "G-77 and China" });
  const other = await createConference(db.sql);
  elsewhere = await createDelegation(db.sql, other.id, { code: "FRA", name: "France" });
  secretariatPerson = await createPerson(db.sql, { role: "secretariat", conferenceId });
  secretariat = await clientFor(server.url, secretariatPerson);
  chair = await clientFor(server.url, await createPerson(db.sql, { role: "chair", conferenceId }));
});

describe("a group's members", () => {
  it("are set by the secretariat, and shown on the page", async ({ db }) => {
    const res = await postMembers(secretariat, g77.id, [brazil.id, india.id]);
    expect(res.status).toBe(200);
    expect((await listGroupMembers(db.sql, conferenceId)).get(g77.id)?.sort()).toEqual([brazil.id, india.id].sort());
    const html = await (await secretariat.get(path)).text();
    expect(pageText(html)).toContain("BRA, IND");
    expect(pageText(html)).toContain("Member of G77");
  });

  it("are audited once per change, with the members before and after and who was added or removed; the same members again record nothing", async ({
    db,
  }) => {
    let seq = await lastSeq(db.sql, conferenceId);
    expect((await postMembers(secretariat, g77.id, [brazil.id])).status).toBe(200);
    const removal = await onlyEntrySince(db.sql, seq);
    expect(removal.action).toBe("group.members_changed");
    expect(removal.subject).toEqual({
      groupId: g77.id,
      group: "G-77 and China",
      from: [listed(brazil), listed(india)],
      to: [listed(brazil)],
      added: [],
      removed: [listed(india)],
    });

    seq = await lastSeq(db.sql, conferenceId);
    expect((await postMembers(secretariat, g77.id, [india.id, brazil.id])).status).toBe(200);
    expect((await onlyEntrySince(db.sql, seq)).subject).toEqual({
      groupId: g77.id,
      group: "G-77 and China",
      from: [listed(brazil)],
      to: [listed(brazil), listed(india)],
      added: [listed(india)],
      removed: [],
    });

    // The members it has, in another order and one of them twice: nothing changes, nothing is recorded.
    seq = await lastSeq(db.sql, conferenceId);
    const same = await postMembers(secretariat, g77.id, [india.id, brazil.id, india.id]);
    expect(same.status).toBe(200);
    expect(pageText(await same.text())).toContain("The group had these members already; nothing changed.");
    expect(await recordedSince(db.sql, seq)).toEqual([]);
  });

  it("refuses a group as a member, a delegation of another conference, and members for a delegation that is not a group; nothing changes", async ({
    db,
  }) => {
    const before = await state(db.sql);
    const seq = await lastSeq(db.sql, conferenceId);
    const eu2 = await createDelegation(db.sql, conferenceId, { code: "AU", name: "African Group", kind: "group" });
    const asGroup = await postMembers(secretariat, g77.id, [brazil.id, eu2.id]);
    expect(asGroup.status).toBe(400);
    expect(await asGroup.text()).toContain("a group cannot be a member of another");
    const foreign = await postMembers(secretariat, g77.id, [elsewhere.id]);
    expect(foreign.status).toBe(400);
    const notGroup = await postMembers(secretariat, eu.id, [brazil.id]);
    expect(notGroup.status).toBe(409);
    expect(await notGroup.text()).toContain("European Union is not a group");
    expect((await postMembers(secretariat, randomUUID(), [brazil.id])).status).toBe(404);
    expect((await state(db.sql)).members).toEqual(before.members);
    expect(await recordedSince(db.sql, seq)).toEqual([]);
  });

  it("are the secretariat's to set: the chair is refused (403)", async ({ db }) => {
    const before = await state(db.sql);
    const seq = await lastSeq(db.sql, conferenceId);
    expect((await postMembers(chair, g77.id, [])).status).toBe(403);
    expect(await state(db.sql)).toEqual(before);
    expect(await recordedSince(db.sql, seq)).toEqual([]);
  });

  it("are held by the database too: no group as a member, no member for a delegation that is not a group, none across conferences", async ({
    db,
  }) => {
    const insert = (groupId: string, memberId: string, conference = conferenceId) =>
      db.sql`insert into delegation_group_members (conference_id, group_id, member_id) values (${conference}, ${groupId}, ${memberId})`;
    await expect(insert(eu.id, brazil.id)).rejects.toThrow(/only a group has member delegations/);
    const other = await createDelegation(db.sql, conferenceId, { code: "ARAB", name: "Arab Group", kind: "group" });
    await expect(insert(g77.id, other.id)).rejects.toThrow(/a group cannot be a member of a group/);
    await expect(insert(g77.id, elsewhere.id)).rejects.toThrow(/foreign key/);
    await expect(db.sql`update delegations set kind = 'member_state' where id = ${g77.id}`).rejects.toThrow(/must stay a group/);
    await expect(db.sql`update delegations set kind = 'group' where id = ${brazil.id}`).rejects.toThrow(/cannot become a group/);
  });
});

describe("a delegation's kind", () => {
  it("is changed by the secretariat, with its label on the page, and audited once per change with the kind before and after", async ({
    db,
  }) => {
    let seq = await lastSeq(db.sql, conferenceId);
    const res = await secretariat.post(path, { intent: "kind", delegationId: india.id, kind: "observer_state" });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Kind changed to Observer State.");
    expect((await listDelegations(db.sql, conferenceId)).find((d) => d.id === india.id)?.kind).toBe("observer_state");
    const entry = await onlyEntrySince(db.sql, seq);
    expect(entry.action).toBe("delegation.kind_changed");
    expect(entry.subject).toEqual({ delegationId: india.id, delegation: "India", from: "member_state", to: "observer_state" });

    // The kind it has already: nothing changes, nothing is recorded.
    seq = await lastSeq(db.sql, conferenceId);
    const same = await secretariat.post(path, { intent: "kind", delegationId: india.id, kind: "observer_state" });
    expect(same.status).toBe(200);
    expect(pageText(await same.text())).toContain("The kind was Observer State already; nothing changed.");
    expect(await recordedSince(db.sql, seq)).toEqual([]);

    expect((await secretariat.post(path, { intent: "kind", delegationId: india.id, kind: "member_state" })).status).toBe(200);
    expect((await onlyEntrySince(db.sql, seq)).subject).toEqual({
      delegationId: india.id,
      delegation: "India",
      from: "observer_state",
      to: "member_state",
    });
  });

  it("refuses making a group with members anything else, or a member a group, an unknown kind or delegation, and the chair; nothing changes or is recorded", async ({
    db,
  }) => {
    const before = await state(db.sql);
    const seq = await lastSeq(db.sql, conferenceId);
    const group = await secretariat.post(path, { intent: "kind", delegationId: g77.id, kind: "member_state" });
    expect(group.status).toBe(409);
    expect(await group.text()).toContain("has member delegations");
    const member = await secretariat.post(path, { intent: "kind", delegationId: brazil.id, kind: "group" });
    expect(member.status).toBe(409);
    expect((await secretariat.post(path, { intent: "kind", delegationId: brazil.id, kind: "state" })).status).toBe(400);
    expect((await secretariat.post(path, { intent: "kind", delegationId: elsewhere.id, kind: "ngo" })).status).toBe(404);
    expect((await chair.post(path, { intent: "kind", delegationId: india.id, kind: "ngo" })).status).toBe(403);
    expect(await state(db.sql)).toEqual(before);
    expect(await recordedSince(db.sql, seq)).toEqual([]);
  });
});

describe("proposals by delegations that do not negotiate", () => {
  it("are off by default and switched on and off by the secretariat, each switch audited once; a refusal or the same setting records nothing", async ({
    db,
  }) => {
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(false);
    let seq = await lastSeq(db.sql, conferenceId);
    expect((await secretariat.post(path, { intent: "setting", mayPropose: "yes" })).status).toBe(200);
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(true);
    const on = await onlyEntrySince(db.sql, seq);
    expect(on.action).toBe("proposal_rights.changed");
    expect(on.subject).toEqual({ from: false, to: true });

    seq = await lastSeq(db.sql, conferenceId);
    expect((await chair.post(path, { intent: "setting", mayPropose: "no" })).status).toBe(403);
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(true);
    expect((await secretariat.post(path, { intent: "setting", mayPropose: "maybe" })).status).toBe(400);
    const same = await secretariat.post(path, { intent: "setting", mayPropose: "yes" });
    expect(same.status).toBe(200);
    expect(pageText(await same.text())).toContain("Delegations that do not negotiate may propose already; nothing changed.");
    expect(await recordedSince(db.sql, seq)).toEqual([]);

    expect((await secretariat.post(path, { intent: "setting", mayPropose: "no" })).status).toBe(200);
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(false);
    expect((await onlyEntrySince(db.sql, seq)).subject).toEqual({ from: true, to: false });
  });
});

describe("the audit trail of these changes", () => {
  it("shows them on the audit page, labelled, with kinds and the setting in the page's words", async () => {
    const text = pageText(await (await secretariat.get(`/conferences/${conferenceId}/audit`)).text());
    expect(text).toContain("Kind of delegation changed");
    expect(text).toMatch(/Before Observer State|After Observer State/);
    expect(text).toContain("Delegation India");
    expect(text).not.toContain("observer_state");
    expect(text).toContain("Group's members changed");
    expect(text).toContain("Group G-77 and China");
    expect(text).toContain("Removed IND");
    expect(text).toContain("Added none");
    expect(text).toContain("Proposals by delegations that do not negotiate");
    expect(text).toContain("Only delegations that negotiate propose");
    expect(text).toContain("Delegations that do not negotiate may propose");
  });

  it("has them in the download, and the chain verifies", async ({ db }) => {
    const res = await secretariat.get(`/conferences/${conferenceId}/audit/download?format=jsonl`);
    expect(res.status).toBe(200);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { action: string; subject: unknown });
    const recorded = (await auditEntries(db.sql, conferenceId)).filter((r) => r.action !== "export.downloaded");
    expect(recorded.map((r) => r.action).sort()).toEqual([
      "delegation.kind_changed",
      "delegation.kind_changed",
      "group.members_changed",
      "group.members_changed",
      "group.members_changed",
      "proposal_rights.changed",
      "proposal_rights.changed",
    ]);
    const downloaded = lines.filter((l) => l.action !== "export.downloaded").map(({ action, subject }) => ({ action, subject }));
    expect(downloaded).toEqual(recorded.map(({ action, subject }) => ({ action, subject })));
    expect(await verifyChain(db.sql, conferenceId)).toMatchObject({ ok: true });
  });
});
