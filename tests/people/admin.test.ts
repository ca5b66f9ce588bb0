import { describe, expect, it } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { subscribeAccessEvents, type AccessEvent } from "../../server/auth/access-events";
import { findConferenceBySlug } from "../../server/queries/conferences";
import { listDocuments } from "../../server/queries/documents";
import { findInvitationByToken } from "../../server/queries/invitations";
import { findMembership } from "../../server/queries/memberships";
import { findUserByEmail } from "../../server/queries/users";
import { clientFor, type FormClient, invitationLinksIn, pageText, sessionPair, tokenOf } from "../support/http";
import { createPerson } from "../support/factories";

let admin: FormClient;

it.beforeAll(async ({ db, server }) => {
  admin = await clientFor(server.url, await createPerson(db.sql, { isAdmin: true }), { csrfFrom: "/admin" });
});

describe("the deployment administrator", () => {
  it("creates a conference with a slug derived from its title, unique, and its first document", async ({ db }) => {
    const res = await admin.post("/admin", {
      intent: "create",
      title: "Conférence de Genève 2026!",
      subtitle: "On water",
      venue: "Geneva, Switzerland",
    });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Conference “Conférence de Genève 2026!” created (conference-de-geneve-2026).");
    const first = await findConferenceBySlug(db.sql, "conference-de-geneve-2026");
    expect(first).toMatchObject({ title: "Conférence de Genève 2026!", subtitle: "On water", venue: "Geneva, Switzerland" });
    expect((await listDocuments(db.sql, first!.id)).map((d) => d.title)).toEqual(["Joint Statement"]);

    const again = await admin.post("/admin", { intent: "create", title: "Conference de Geneve 2026", subtitle: "", venue: "" });
    expect(again.status).toBe(200);
    expect(await findConferenceBySlug(db.sql, "conference-de-geneve-2026-2")).toMatchObject({ title: "Conference de Geneve 2026" });

    const listing = pageText(await (await admin.get("/admin")).text());
    expect(listing).toContain("Conférence de Genève 2026! On water · Geneva, Switzerland · conference-de-geneve-2026 None yet 0");
  });

  it("requires a title", async () => {
    const res = await admin.post("/admin", { intent: "create", title: "   ", subtitle: "", venue: "" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(pageText(html)).toContain("Give the conference a title.");
    expect(/<input[^>]*name="title"[^>]*>/.exec(html)![0]).toContain('aria-invalid="true"');
  });

  it("appoints an existing account as secretariat at once", async ({ db }) => {
    await admin.post("/admin", { intent: "create", title: "Appointments Conference" });
    const conference = (await findConferenceBySlug(db.sql, "appointments-conference"))!;
    const person = await createPerson(db.sql, { name: "Sec Person" });
    const events: AccessEvent[] = [];
    const unlisten = await subscribeAccessEvents(db.sql, (e) => events.push(e));
    try {
      const res = await admin.post("/admin", { intent: "appoint", conferenceId: conference.id, email: person.email.toUpperCase() });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(pageText(html)).toContain(`Sec Person (${person.email}) is now secretariat of Appointments Conference.`);
      expect(invitationLinksIn(html)).toEqual([]);
      expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "secretariat", delegationId: null });
      await waitFor(() => events.some((e) => e.type === "membership" && e.userId === person.id && e.conferenceId === conference.id));
    } finally {
      await unlisten();
    }
    const listing = pageText(await (await admin.get("/admin")).text());
    expect(listing).toContain(`Appointments Conference appointments-conference ${person.email} 1`);
  });

  it("invites a new e-mail address as secretariat, with a link shown once that makes them secretariat", async ({ db, server }) => {
    await admin.post("/admin", { intent: "create", title: "Invited Secretariat Conference" });
    const conference = (await findConferenceBySlug(db.sql, "invited-secretariat-conference"))!;
    const res = await admin.post("/admin", { intent: "appoint", conferenceId: conference.id, email: "new.sec@example.org" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageText(html)).toContain("No account uses new.sec@example.org yet");
    const [link] = invitationLinksIn(html);
    expect(await findInvitationByToken(db.sql, tokenOf(link))).toMatchObject({
      email: "new.sec@example.org",
      role: "secretariat",
      status: "pending",
    });
    expect(invitationLinksIn(await (await admin.get("/admin")).text())).toEqual([]);

    const accepted = await fetch(`${link}?intent=signup`, {
      method: "POST",
      body: new URLSearchParams({ name: "New Secretariat", password: "a fine password", confirm: "a fine password" }),
      redirect: "manual",
    });
    expect(accepted.status).toBe(302);
    const user = (await findUserByEmail(db.sql, "new.sec@example.org"))!;
    expect(await findMembership(db.sql, conference.id, user.id)).toMatchObject({ role: "secretariat" });
    // As secretariat they manage the conference.
    const people = await fetch(`${server.url}/conferences/${conference.id}/people`, { headers: { Cookie: sessionPair(accepted)! } });
    expect(people.status).toBe(200);
  });

  it("refuses a bad e-mail address or an unknown conference", async ({ db }) => {
    const bad = await admin.post("/admin", {
      intent: "appoint",
      conferenceId: "00000000-0000-4000-8000-000000000000",
      email: "someone@example.org",
    });
    expect(bad.status).toBe(400);
    const badMail = await admin.post("/admin", { intent: "appoint", conferenceId: "00000000-0000-4000-8000-000000000000", email: "nope" });
    expect(badMail.status).toBe(400);
    const [{ n }] = await db.sql`select count(*)::int as n from invitations where email = 'someone@example.org'`;
    expect(n).toBe(0);
  });
});
