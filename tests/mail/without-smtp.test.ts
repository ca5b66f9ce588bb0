import { describe, expect, it } from "../support/fixtures";
import { createConference, createPerson, createSignedInPerson, testPassword } from "../support/factories";
import { clientFor, invitationLinksIn, pageText, postLogin, request, sessionPair } from "../support/http";

/**
 * Without SMTP_URL nothing is queued or sent: invitations show their link to copy, "Forgot your
 * password?" sends people to the secretariat, who makes a password link on the people page, for
 * their own participants only.
 */
const resetLinksIn = (html: string) => [...html.matchAll(/value="(https?:\/\/[^"]+\/reset-password\/[A-Za-z0-9_-]+)"/g)].map((m) => m[1]);

describe("without SMTP_URL", () => {
  it("queues no mail: an invitation's link is shown to copy, and a reset request keeps nothing", async ({ db, server }) => {
    const conference = await createConference(db.sql);
    const secretariat = await clientFor(server.url, await createPerson(db.sql, { conferenceId: conference.id, role: "secretariat" }));
    const res = await secretariat.post(`/conferences/${conference.id}/people`, {
      intent: "invite",
      email: "unmailed@example.org",
      role: "observer",
      delegationId: "",
      days: "7",
    });
    const html = await res.text();
    expect(invitationLinksIn(html)).toHaveLength(1);
    expect(pageText(html)).not.toContain("on its way to them by e-mail");

    const person = await createPerson(db.sql);
    const forgot = await request(`${server.url}/forgot-password`);
    expect(pageText(forgot.body)).toContain("Ask your conference secretariat");
    expect((await request(`${server.url}/forgot-password`, { form: { email: person.email } })).status).toBe(200);
    expect(await db.sql`select 1 from password_resets where user_id = ${person.id}`).toHaveLength(0);
    expect(await db.sql`select 1 from mail_outbox`).toHaveLength(0);
  });

  it("lets the secretariat make a one-time password link for a participant, which sets a new password", async ({ db, server }) => {
    const conference = await createConference(db.sql);
    const path = `/conferences/${conference.id}/people`;
    const secretariat = await clientFor(server.url, await createPerson(db.sql, { conferenceId: conference.id, role: "secretariat" }));
    const delegate = await createSignedInPerson(db.sql, { conferenceId: conference.id, role: "delegate" });
    const res = await secretariat.post(path, { intent: "resetLink", userId: delegate.id });
    const html = await res.text();
    expect(res.status, pageText(html).slice(0, 300)).toBe(200);
    const [link] = resetLinksIn(html);
    expect(link).toMatch(new RegExp(`^${server.url}/reset-password/[^/]+$`));
    const [entry] = await db.sql`select action, subject from audit_log where conference_id = ${conference.id} order by seq desc limit 1`;
    expect(entry).toMatchObject({ action: "password_reset.link_made", subject: { userId: delegate.id } });

    const reset = await request(link, { form: { password: "chosen by the delegate", confirm: "chosen by the delegate" } });
    expect(reset.status).toBe(302);
    expect((await request(`${server.url}/notifications`, { headers: { Cookie: delegate.cookie } })).location).toMatch(/^\/login/);
    expect(sessionPair(await postLogin(server.url, { email: delegate.email, password: "chosen by the delegate" }))).toMatch(
      /^concord_session=.+/,
    );
    expect((await postLogin(server.url, { email: delegate.email, password: testPassword })).status).toBe(400);
  });

  it("refuses a password link for someone outside the conference, in another conference, or the administrator", async ({ db, server }) => {
    const conference = await createConference(db.sql);
    const other = await createConference(db.sql);
    const path = `/conferences/${conference.id}/people`;
    const secretariat = await clientFor(server.url, await createPerson(db.sql, { conferenceId: conference.id, role: "secretariat" }));
    const outsider = await createPerson(db.sql, { conferenceId: other.id, role: "chair" });
    const inBoth = await createPerson(db.sql, { conferenceId: conference.id, role: "observer" });
    await db.sql`insert into memberships (conference_id, user_id, role) values (${other.id}, ${inBoth.id}, 'secretariat')`;
    const admin = await createPerson(db.sql, { isAdmin: true, conferenceId: conference.id, role: "observer" });

    const refused = async (userId: string, status: number, message: string) => {
      const res = await secretariat.post(path, { intent: "resetLink", userId });
      const html = await res.text();
      expect(res.status).toBe(status);
      expect(pageText(html)).toContain(message);
      expect(resetLinksIn(html)).toHaveLength(0);
    };
    await refused(outsider.id, 404, "does not take part in this conference");
    await refused(inBoth.id, 403, "also takes part in a conference you do not run");
    await refused(admin.id, 403, "Only the deployment administrator");
    const made = (id: string) => db.sql`select 1 from password_resets where user_id = ${id}`;
    for (const p of [outsider, inBoth, admin]) expect(await made(p.id)).toHaveLength(0);

    // The administrator may, for anyone of any conference.
    const administrator = await clientFor(server.url, await createPerson(db.sql, { isAdmin: true }));
    const res = await administrator.post(path, { intent: "resetLink", userId: admin.id });
    expect(resetLinksIn(await res.text())).toHaveLength(1);
    expect(await made(admin.id)).toHaveLength(1);
  });
});
