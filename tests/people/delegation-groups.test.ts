import { describe, expect, it } from "../support/fixtures";
import { clientFor, pageText, type FormClient } from "../support/http";
import { createConference, createDelegation, createGroup, createPerson } from "../support/factories";
import { listGroupMembers } from "../../server/queries/delegation-groups";
import { listDelegations, type DelegationRow } from "../../server/queries/delegations";
import { nonNegotiatingMayPropose } from "../../server/people/delegations";
import type { Sql } from "../../server/db/sql";

/**
 * The secretariat's settings on the delegations page: a delegation's kind, a group's members
 * and whether delegations that do not negotiate may propose. Each refusal changes nothing, and
 * the database holds the same rules against writes that bypass the page.
 */

let conferenceId: string;
let path: string;
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
  secretariat = await clientFor(server.url, await createPerson(db.sql, { role: "secretariat", conferenceId }));
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

  it("refuses a group as a member, a delegation of another conference, and members for a delegation that is not a group; nothing changes", async ({
    db,
  }) => {
    const before = await state(db.sql);
    const eu2 = await createDelegation(db.sql, conferenceId, { code: "AU", name: "African Group", kind: "group" });
    const asGroup = await postMembers(secretariat, g77.id, [brazil.id, eu2.id]);
    expect(asGroup.status).toBe(400);
    expect(await asGroup.text()).toContain("a group cannot be a member of another");
    const foreign = await postMembers(secretariat, g77.id, [elsewhere.id]);
    expect(foreign.status).toBe(400);
    const notGroup = await postMembers(secretariat, eu.id, [brazil.id]);
    expect(notGroup.status).toBe(409);
    expect(await notGroup.text()).toContain("European Union is not a group");
    expect((await state(db.sql)).members).toEqual(before.members);
  });

  it("are the secretariat's to set: the chair is refused (403)", async ({ db }) => {
    const before = await state(db.sql);
    expect((await postMembers(chair, g77.id, [])).status).toBe(403);
    expect(await state(db.sql)).toEqual(before);
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
  it("is changed by the secretariat, with its label on the page", async ({ db }) => {
    const res = await secretariat.post(path, { intent: "kind", delegationId: india.id, kind: "observer_state" });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Kind changed to Observer State.");
    expect((await listDelegations(db.sql, conferenceId)).find((d) => d.id === india.id)?.kind).toBe("observer_state");
    await secretariat.post(path, { intent: "kind", delegationId: india.id, kind: "member_state" });
  });

  it("refuses making a group with members anything else, or a member a group, and an unknown kind; nothing changes", async ({ db }) => {
    const before = await state(db.sql);
    const group = await secretariat.post(path, { intent: "kind", delegationId: g77.id, kind: "member_state" });
    expect(group.status).toBe(409);
    expect(await group.text()).toContain("has member delegations");
    const member = await secretariat.post(path, { intent: "kind", delegationId: brazil.id, kind: "group" });
    expect(member.status).toBe(409);
    expect((await secretariat.post(path, { intent: "kind", delegationId: brazil.id, kind: "state" })).status).toBe(400);
    expect(await state(db.sql)).toEqual(before);
  });
});

describe("proposals by delegations that do not negotiate", () => {
  it("are off by default and switched on and off by the secretariat", async ({ db }) => {
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(false);
    expect((await secretariat.post(path, { intent: "setting", mayPropose: "yes" })).status).toBe(200);
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(true);
    expect((await chair.post(path, { intent: "setting", mayPropose: "no" })).status).toBe(403);
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(true);
    expect((await secretariat.post(path, { intent: "setting", mayPropose: "maybe" })).status).toBe(400);
    expect((await secretariat.post(path, { intent: "setting", mayPropose: "no" })).status).toBe(200);
    expect(await nonNegotiatingMayPropose(db.sql, conferenceId)).toBe(false);
  });
});
