import { describe, expect, it } from "../support/fixtures";
import { afterAll } from "vitest";
import { waitFor } from "../support/wait";
import { subscribeAccessEvents, type AccessEvent } from "../../server/auth/access-events";
import type { ConferenceRow } from "../../server/queries/conferences";
import type { DelegationRow } from "../../server/queries/delegations";
import { findMembership } from "../../server/queries/memberships";
import { findUser } from "../../server/queries/users";
import { clientFor, type FormClient, pageText } from "../support/http";
import { createConference, createDelegation, createPerson, type TestPerson } from "../support/factories";

let conference: ConferenceRow;
let japan: DelegationRow;
let norway: DelegationRow;
let me: TestPerson;
let secretariat: FormClient;
let path: string;
const events: AccessEvent[] = [];
let unlisten: () => Promise<void>;

it.beforeAll(async ({ db, server }) => {
  conference = await createConference(db.sql);
  japan = await createDelegation(db.sql, conference.id, { code: "JPN", name: "Japan" });
  norway = await createDelegation(db.sql, conference.id, { code: "NOR", name: "Norway" });
  path = `/conferences/${conference.id}/people`;
  me = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id, name: "Leyla Secretariat" });
  secretariat = await clientFor(server.url, me);
  unlisten = await subscribeAccessEvents(db.sql, (e) => events.push(e));
});

afterAll(async () => {
  await unlisten?.();
});

const membershipEvents = (userId: string) =>
  events.filter((e) => e.type === "membership" && e.userId === userId && e.conferenceId === conference.id);

describe("the people page", () => {
  it("lists every participant with name, e-mail, role and delegation", async ({ db }) => {
    const delegate = await createPerson(db.sql, {
      role: "delegate",
      conferenceId: conference.id,
      delegationId: japan.id,
      name: "Kenji Delegate",
    });
    const chair = await createPerson(db.sql, { role: "chair", conferenceId: conference.id, name: "Rashad Chair" });
    const outsider = await createPerson(db.sql, { name: "Not A Member" });
    const text = pageText(await (await secretariat.get(path)).text());
    expect(text).toContain(`Kenji Delegate ${delegate.email} Delegate Japan (JPN)`);
    expect(text).toContain(`Rashad Chair ${chair.email} Chair —`);
    expect(text).toContain(`Leyla Secretariat (you) ${me.email} Secretariat —`);
    expect(text).not.toContain(outsider.email);
  });
});

describe("changing a role", () => {
  it("makes an observer a delegate of a delegation, and tells open connections", async ({ db }) => {
    const person = await createPerson(db.sql, { role: "observer", conferenceId: conference.id, name: "Olga Observer" });
    const res = await secretariat.post(path, { intent: "role", userId: person.id, role: "delegate", delegationId: norway.id });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Olga Observer is now Delegate of Norway (NOR).");
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "delegate", delegationId: norway.id });
    await waitFor(() => membershipEvents(person.id).length === 1, { what: "the membership access event" });
  });

  it("moves a delegate to another delegation, and makes a delegate a chair (no delegation any more)", async ({ db }) => {
    const person = await createPerson(db.sql, { role: "delegate", conferenceId: conference.id, delegationId: japan.id });
    expect((await secretariat.post(path, { intent: "role", userId: person.id, role: "delegate", delegationId: norway.id })).status).toBe(
      200,
    );
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "delegate", delegationId: norway.id });
    // The delegation select still holds Norway; for a chair it is ignored.
    expect((await secretariat.post(path, { intent: "role", userId: person.id, role: "chair", delegationId: norway.id })).status).toBe(200);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "chair", delegationId: null });
    await waitFor(() => membershipEvents(person.id).length === 2, { what: "two membership access events" });
  });

  it("refuses a delegate without a delegation, next to the field, and changes nothing", async ({ db }) => {
    const person = await createPerson(db.sql, { role: "observer", conferenceId: conference.id });
    const res = await secretariat.post(path, { intent: "role", userId: person.id, role: "delegate", delegationId: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(pageText(html)).toContain("Choose the delegation this delegate speaks for.");
    // The error sits in that person's row, on the delegation select.
    const row = html.slice(html.indexOf(`<input type="hidden" name="userId" value="${person.id}"/>`));
    expect(/<select[^>]*name="delegationId"[^>]*aria-invalid="true"/.test(row.slice(0, row.indexOf("</tr>")))).toBe(true);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "observer", delegationId: null });
  });

  it("refuses a delegation of another conference, an unknown role, and someone who is not a participant", async ({ db }) => {
    const person = await createPerson(db.sql, { role: "observer", conferenceId: conference.id });
    const other = await createConference(db.sql);
    const foreign = await createDelegation(db.sql, other.id);
    const foreignRes = await secretariat.post(path, { intent: "role", userId: person.id, role: "delegate", delegationId: foreign.id });
    expect(foreignRes.status).toBe(400);
    expect(pageText(await foreignRes.text())).toContain("There is no such delegation in this conference.");
    const badRole = await secretariat.post(path, { intent: "role", userId: person.id, role: "emperor" });
    expect(badRole.status).toBe(400);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "observer" });

    const outsider = await createPerson(db.sql, { role: "observer", conferenceId: other.id });
    const res = await secretariat.post(path, { intent: "role", userId: outsider.id, role: "chair" });
    expect(res.status).toBe(400);
    expect(pageText(await res.text())).toContain("This person is not part of the conference.");
    expect(await findMembership(db.sql, conference.id, outsider.id)).toBeNull();
    expect(await findMembership(db.sql, other.id, outsider.id)).toMatchObject({ role: "observer" });
  });

  it("does not let the secretariat change their own role", async ({ db }) => {
    const res = await secretariat.post(path, { intent: "role", userId: me.id, role: "observer" });
    expect(res.status).toBe(400);
    expect(pageText(await res.text())).toContain("You cannot change your own role.");
    expect(await findMembership(db.sql, conference.id, me.id)).toMatchObject({ role: "secretariat" });
  });
});

describe("removing a person", () => {
  it("asks for confirmation first, then removes them and tells open connections", async ({ db }) => {
    const person = await createPerson(db.sql, {
      role: "delegate",
      conferenceId: conference.id,
      delegationId: japan.id,
      name: "Dmitri Delegate",
    });
    const confirm = await secretariat.get(`${path}?remove=${person.id}`);
    const confirmText = pageText(await confirm.text());
    expect(confirmText).toContain("Remove Dmitri Delegate?");
    expect(confirmText).toContain("Yes, remove Dmitri Delegate");
    // Asking is not removing.
    expect(await findMembership(db.sql, conference.id, person.id)).not.toBeNull();

    const res = await secretariat.post(path, { intent: "remove", userId: person.id });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Dmitri Delegate was removed from the conference.");
    expect(await findMembership(db.sql, conference.id, person.id)).toBeNull();
    // The account stays.
    expect(await findUser(db.sql, person.id)).not.toBeNull();
    await waitFor(() => membershipEvents(person.id).length === 1, { what: "the membership access event" });

    const again = await secretariat.post(path, { intent: "remove", userId: person.id });
    expect(again.status).toBe(400);
    expect(membershipEvents(person.id)).toHaveLength(1);
  });

  it("does not let the secretariat remove themselves, nor take a malformed id", async ({ db }) => {
    const res = await secretariat.post(path, { intent: "remove", userId: me.id });
    expect(res.status).toBe(400);
    expect(pageText(await res.text())).toContain("You cannot remove yourself.");
    expect(await findMembership(db.sql, conference.id, me.id)).not.toBeNull();
    const malformed = await secretariat.post(path, { intent: "remove", userId: "'; drop table users; --" });
    expect(malformed.status).toBe(400);
  });
});
