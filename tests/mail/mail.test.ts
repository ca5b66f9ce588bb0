import { describe, expect, it } from "../support/fixtures";
import { startTestServer, type TestServer } from "../support/server";
import { freePort, linkIn, startSmtp, type TestSmtp } from "../support/smtp";
import { createProposalFixture, type Person, type ProposalFixture } from "../support/proposals";
import { createConference, createPerson, createSignedInPerson, testPassword } from "../support/factories";
import { clientFor, csrfTokenFor, invitationLinksIn, pageText, postLogin, request, sessionPair } from "../support/http";
import { waitFor } from "../support/wait";
import { createPasswordReset } from "../../server/queries/mail";
import { mailedNotificationKinds, notificationKinds } from "../../app/statement/notifications";

/**
 * E-mail through a real SMTP server started here (smtp-server, read with mailparser): the
 * server's PUBLIC_URL is its own address, so the links in the mail are followed over HTTP.
 */
let smtp: TestSmtp;
let server: TestServer;

it.beforeAll(async ({ db }) => {
  smtp = await startSmtp();
  const port = await freePort();
  server = await startTestServer({
    databaseUrl: db.url,
    env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, SMTP_URL: smtp.url, MAIL_FROM: "Concord <concord@example.org>" },
  });
});

describe("an invitation", () => {
  it("is mailed with a link on PUBLIC_URL, even when a proxy passed another host, and the link works", async ({ db }) => {
    const conference = await createConference(db.sql, { title: "Conference on <Rivers> & Lakes" });
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: conference.id, role: "secretariat" });
    const path = `/conferences/${conference.id}/people`;
    const csrf = await csrfTokenFor(server.url, secretariat.cookie, path);
    // As behind a proxy that rewrites the host: the request names an internal host.
    const res = await request(`${server.url}${path}`, {
      headers: { Cookie: secretariat.cookie, Host: "concord-backend.internal:8080" },
      form: { csrf, intent: "invite", email: "Invitee@Example.org", role: "observer", delegationId: "", days: "7" },
    });
    expect(res.status, pageText(res.body).slice(0, 400)).toBe(200);
    expect(pageText(res.body)).toContain("on its way to them by e-mail");
    const [shown] = invitationLinksIn(res.body);
    expect(shown.startsWith(`${server.url}/invitations/`)).toBe(true);

    const mail = await smtp.nextTo("invitee@example.org");
    expect(mail.from?.value).toEqual([{ name: "Concord", address: "concord@example.org" }]);
    expect(mail.subject).toBe("Invitation to Conference on <Rivers> & Lakes");
    const link = linkIn(mail, `${server.url}/invitations/`);
    expect(link).toBe(shown);
    // Everything typed by people is escaped in the HTML.
    expect(mail.html).toContain("Conference on &lt;Rivers&gt; &amp; Lakes");
    expect(mail.html).not.toContain("<Rivers>");

    const signUp = await fetch(`${link}?intent=signup`, {
      method: "POST",
      body: new URLSearchParams({ name: "Ines Invitee", password: testPassword, confirm: testPassword }),
      redirect: "manual",
    });
    expect(signUp.status).toBe(302);
    expect(signUp.headers.get("location")).toBe(`/conferences/${conference.id}`);
    // Once sent, the outbox forgets the link.
    await waitFor(async () => {
      const [row] = await db.sql`select status, data from mail_outbox where to_address = 'Invitee@Example.org'`;
      return row.status === "sent" && row.data === null;
    });
  });
});

describe("a password reset", () => {
  const ask = (email: string, localAddress?: string) => request(`${server.url}/forgot-password`, { form: { email }, localAddress });

  it("goes from the request to a mailed link, a new password, the old sessions ended and a sign-in", async ({ db }) => {
    const person = await createSignedInPerson(db.sql, { email: "Forgetful@example.org" });
    const asked = await ask("forgetful@example.org");
    expect(asked.status).toBe(200);
    const answer = pageText(asked.body);
    expect(answer).toContain("If an account exists for forgetful@example.org");

    const mail = await smtp.nextTo(person.email);
    expect(mail.subject).toBe("Choose a new Concord password");
    const link = linkIn(mail, `${server.url}/reset-password/`);
    expect(mail.html).toContain(`href="${link}"`);
    // Only the hash of the token is stored, and the mail's copy is erased once sent.
    const token = link.slice(link.lastIndexOf("/") + 1);
    expect(JSON.stringify(await db.sql`select * from password_resets`)).not.toContain(token);
    await waitFor(async () => (await db.sql`select 1 from mail_outbox where user_id = ${person.id} and data is null`).length === 1);

    expect((await request(link)).status).toBe(200);
    const tooShort = await request(link, { form: { password: "short", confirm: "short" } });
    expect(tooShort.status).toBe(400);
    const newPassword = "a brand new passphrase";
    const reset = await request(link, { form: { password: newPassword, confirm: newPassword } });
    expect(reset.status).toBe(302);
    expect(sessionPair(reset)).toMatch(/^concord_session=.+/);
    // The session open before the reset is gone; the one the reset opened works.
    expect((await request(`${server.url}/notifications`, { headers: { Cookie: person.cookie } })).location).toMatch(/^\/login/);
    expect((await request(`${server.url}/notifications`, { headers: { Cookie: sessionPair(reset)! } })).status).toBe(200);

    expect((await postLogin(server.url, { email: person.email, password: testPassword })).status).toBe(400);
    const signedIn = await postLogin(server.url, { email: person.email, password: newPassword });
    expect(signedIn.status).toBe(302);
    expect(sessionPair(signedIn)).toMatch(/^concord_session=.+/);

    // A link works once.
    expect((await request(link)).status).toBe(410);
    const again = await request(link, { form: { password: "yet another passphrase", confirm: "yet another passphrase" } });
    expect(again.status).toBe(410);
    expect((await postLogin(server.url, { email: person.email, password: newPassword })).status).toBe(302);
  });

  it("refuses an expired link", async ({ db }) => {
    const person = await createPerson(db.sql);
    const { token } = await createPasswordReset(db.sql, { userId: person.id, createdBy: null, expiresAt: new Date(Date.now() - 1000) });
    const link = `${server.url}/reset-password/${token}`;
    expect((await request(link)).status).toBe(410);
    expect((await request(link, { form: { password: "a brand new passphrase", confirm: "a brand new passphrase" } })).status).toBe(410);
    expect((await postLogin(server.url, { email: person.email, password: testPassword })).status).toBe(302);
  });

  it("answers an unknown address as a known one, and mails nothing", async ({ db }) => {
    const known = await createPerson(db.sql, { email: "known-person@example.org" });
    const forKnown = pageText((await ask(known.email, "127.0.0.7")).body).replace(known.email, "ADDRESS");
    const forUnknown = pageText((await ask("nobody-here@example.org", "127.0.0.7")).body).replace("nobody-here@example.org", "ADDRESS");
    expect(forUnknown).toBe(forKnown);
    await smtp.nextTo(known.email);
    // Mail is queued in the request's transaction: had there been one for the unknown address, it would be here.
    expect(await db.sql`select 1 from mail_outbox where lower(to_address) = 'nobody-here@example.org'`).toHaveLength(0);
    expect(smtp.to("nobody-here@example.org")).toHaveLength(0);
  });

  it("is limited per address and account, as sign-in is", async ({ db }) => {
    const person = await createPerson(db.sql);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask(person.email, "127.0.0.9")).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.slice(2)).toContain(429);
  });
});

describe("a notice", () => {
  let f: ProposalFixture;
  let email: Record<"alice" | "anna", string>;
  const page = (id: string) => `/documents/${f.documentId}/proposals/${id}`;

  it.beforeAll(async ({ db }) => {
    f = await createProposalFixture({ db, server });
    const address = async (p: Person) => (await db.sql<{ email: string }[]>`select email from users where id = ${p.userId}`)[0].email;
    email = { alice: await address(f.people.alice), anna: await address(f.people.anna) };
  });

  /** Alice tables a proposal, Bruno co-sponsors it, and the chair rejects it with a reason: Norway's two delegates are told. */
  async function decided(reason: string, clause: string): Promise<string> {
    const clauses = await f.clauseIds();
    const id = await f.propose(f.people.alice, { kind: "retain", clauseId: clauses[clause] });
    expect((await f.post(f.people.alice, page(id), { intent: "submit" })).status).toBe(200);
    expect((await f.post(f.people.chair, page(id), { intent: "reject", reason })).status).toBe(200);
    return id;
  }

  it("arrives in the recipient's language, as text and HTML, with a one-click unsubscribe", async () => {
    // Alice chooses French for her mail on her notifications page.
    const saved = await f.post(f.people.alice, "/notifications", {
      intent: "preferences",
      kinds: [...notificationKinds],
      emailKinds: [...mailedNotificationKinds],
      mailLanguage: "fr",
    });
    expect(saved.status).toBe(200);
    const id = await decided("Pas <maintenant> & pas ainsi", "OP3");

    const toAlice = await smtp.nextTo(email.alice);
    expect(toAlice.subject).toMatch(/^Décision sur la proposition de votre délégation: /);
    expect(toAlice.text).toMatch(/La présidence a rejeté P\d+ : « Pas <maintenant> & pas ainsi »/);
    expect(toAlice.html).toMatch(/La présidence a rejeté P\d+ : « Pas &lt;maintenant&gt; &amp; pas ainsi »/);
    expect(toAlice.html).toContain(`href="${server.url}${page(id)}"`);
    expect(toAlice.html).toContain('lang="fr"');

    const toAnna = await smtp.nextTo(email.anna);
    expect(toAnna.text).toMatch(/The chair rejected P\d+: “Pas <maintenant> & pas ainsi”/);
    expect(toAnna.headerLines.find((h) => h.key === "list-unsubscribe-post")?.line).toBe(
      "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
    );
  });

  it("is no longer mailed once its kind is unsubscribed in one click, while other kinds and people still are", async ({ db }) => {
    const [toAlice] = smtp.to(email.alice);
    const header = toAlice.headerLines.find((h) => h.key === "list-unsubscribe")?.line ?? "";
    const unsubscribe = /<([^>]+)>/.exec(header)?.[1] ?? "";
    expect(unsubscribe.startsWith(`${server.url}/unsubscribe/`)).toBe(true);
    expect(toAlice.text).toContain(unsubscribe);
    // Opening the link changes nothing; the one-click POST (RFC 8058), without a session, does.
    expect((await request(unsubscribe)).status).toBe(200);
    const oneClick = await request(unsubscribe, { form: { "List-Unsubscribe": "One-Click" } });
    expect(oneClick.status).toBe(200);
    const [pref] = await db.sql`
      select enabled from notification_preferences where user_id = ${f.people.alice.userId} and kind = 'proposal_decided' and channel = 'email'`;
    expect(pref.enabled).toBe(false);
    // A forged token is refused.
    expect((await request(`${unsubscribe.slice(0, -3)}xyz`, { form: { "List-Unsubscribe": "One-Click" } })).status).toBe(404);

    await decided("Still not.", "OP2");
    await smtp.nextTo(email.anna, 2);
    expect(await db.sql`select 1 from mail_outbox where user_id = ${f.people.alice.userId} and template = 'notice'`).toHaveLength(1);
    expect(smtp.to(email.alice)).toHaveLength(1);
    // Alice is still told in the app.
    expect(await db.sql`select 1 from notifications where user_id = ${f.people.alice.userId} and kind = 'proposal_decided'`).toHaveLength(
      2,
    );
  });
});

describe("sending", () => {
  it("retries when the SMTP server refuses for a while", async ({ db }) => {
    const person = await createPerson(db.sql, { email: "greylisted@example.org" });
    smtp.refuseOnce(person.email);
    expect((await request(`${server.url}/forgot-password`, { form: { email: person.email }, localAddress: "127.0.0.11" })).status).toBe(
      200,
    );
    const mail = await smtp.nextTo(person.email);
    expect(mail.subject).toBe("Choose a new Concord password");
    await waitFor(async () => (await db.sql`select 1 from mail_outbox where user_id = ${person.id} and status = 'sent'`).length === 1);
    const [row] = await db.sql`select attempts, last_error as "lastError" from mail_outbox where user_id = ${person.id}`;
    expect(row.attempts).toBe(2);
    expect(row.lastError).toMatch(/^451/);
    expect(smtp.to(person.email)).toHaveLength(1);
  });

  it("by two instances on one database sends each message once", async ({ db }) => {
    const port = await freePort();
    const second = await startTestServer({
      databaseUrl: db.url,
      env: { PORT: String(port), PUBLIC_URL: server.url, SMTP_URL: smtp.url },
    });
    const conference = await createConference(db.sql);
    const secretariat = await clientFor(second.url, await createPerson(db.sql, { conferenceId: conference.id, role: "secretariat" }));
    const addresses = Array.from({ length: 12 }, (_, i) => `twice-${i}@example.org`);
    await Promise.all(
      addresses.map(async (email) => {
        const res = await secretariat.post(`/conferences/${conference.id}/people`, {
          intent: "invite",
          email,
          role: "observer",
          delegationId: "",
          days: "7",
        });
        expect(res.status).toBe(200);
      }),
    );
    for (const address of addresses) await smtp.nextTo(address);
    await waitFor(async () => (await db.sql`select 1 from mail_outbox where status = 'queued'`).length === 0);
    for (const address of addresses) expect(smtp.to(address)).toHaveLength(1);
  });
});
