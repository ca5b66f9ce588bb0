import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { createHash } from "node:crypto";
import type { ConferenceRow } from "../../server/queries/conferences";
import type { DelegationRow } from "../../server/queries/delegations";
import { createInvitation } from "../../server/queries/invitations";
import { findMembership } from "../../server/queries/memberships";
import { findUserByEmail } from "../../server/queries/users";
import { verifyPassword } from "../../server/auth/password";
import { waitFor } from "../support/wait";
import { clientFor, type FormClient, invitationLinksIn, pageText, sessionPair, tokenOf } from "../support/http";
import { createConference, createDelegation, createPerson } from "../support/factories";

let conference: ConferenceRow;
let japan: DelegationRow;
let secretariat: FormClient;
let peoplePath: string;

it.beforeAll(async ({ db, server }) => {
  conference = await createConference(db.sql, { title: "Conference on Urban Recovery" });
  japan = await createDelegation(db.sql, conference.id, { code: "JPN", name: "Japan" });
  peoplePath = `/conferences/${conference.id}/people`;
  secretariat = await clientFor(server.url, await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id }));
});

/** Invites through the people page, as the secretariat does, and returns the link shown once. */
async function invite(fields: { email: string; role: string; delegationId?: string; days?: string }): Promise<string> {
  const res = await secretariat.post(peoplePath, { intent: "invite", delegationId: "", days: "7", ...fields });
  const html = await res.text();
  expect(res.status, pageText(html).slice(0, 500)).toBe(200);
  const links = invitationLinksIn(html);
  expect(links).toHaveLength(1);
  return links[0];
}

const pathOf = (link: string) => new URL(link).pathname;
const post = ({ server }: Pick<FileFixtures, "server">, path: string, fields: Record<string, string>, cookie?: string) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    body: new URLSearchParams(fields),
    redirect: "manual",
    headers: cookie ? { Cookie: cookie } : {},
  });

/** The columns of an invitations row that the tests read. */
interface InvitationRow {
  id: string;
  email: string;
  role: string;
  delegation_id: string | null;
  expires_at: Date;
  revoked_at: Date | null;
  accepted_at: Date | null;
  accepted_by: string | null;
}

const invitationRow = async ({ db }: Pick<FileFixtures, "db">, token: string) => {
  const tokenHash = createHash("sha256").update(token).digest("hex");
  const [row] = await db.sql<InvitationRow[]>`select * from invitations where token_hash = ${tokenHash}`;
  return row;
};

describe("an invitation for a new person", () => {
  it("is created with a one-time link, of which only the hash is stored", async ({ db, server }) => {
    const link = await invite({ email: "new.delegate@example.org", role: "delegate", delegationId: japan.id });
    const token = tokenOf(link);
    expect(link.startsWith(`${server.url}/invitations/`)).toBe(true);
    expect(token.length).toBeGreaterThanOrEqual(40);
    const row = await invitationRow({ db }, token);
    expect(row).toMatchObject({
      email: "new.delegate@example.org",
      role: "delegate",
      delegation_id: japan.id,
      accepted_at: null,
      revoked_at: null,
    });
    // The token itself is nowhere in the table.
    const [{ n }] = await db.sql`select count(*)::int as n from invitations i where i::text like ${`%${token}%`}`;
    expect(n).toBe(0);
    const days = (row.expires_at.getTime() - Date.now()) / (24 * 3600 * 1000);
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    // The page shows it once: reloading the people page shows no link any more, only the pending invitation.
    const again = await (await secretariat.get(peoplePath)).text();
    expect(invitationLinksIn(again)).toEqual([]);
    expect(pageText(again)).toMatch(/new\.delegate@example\.org Delegate of Japan \(JPN\) Pending/);
  });

  it("is accepted once: name and password chosen, account and membership created, signed in; a second use is refused", async ({
    db,
    server,
  }) => {
    const link = await invite({ email: "Ana.Silva@example.org", role: "delegate", delegationId: japan.id, days: "14" });
    const path = pathOf(link);

    const page = await fetch(`${server.url}${path}`);
    expect(page.status).toBe(200);
    const text = pageText(await page.text());
    expect(text).toContain("Conference on Urban Recovery");
    expect(text).toContain("Role Delegate");
    expect(text).toContain("Delegation Japan (JPN)");
    expect(text).toContain("Create your account");

    const res = await post({ server }, `${path}?intent=signup`, {
      name: "Ana Silva",
      password: "a long enough secret",
      confirm: "a long enough secret",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/conferences/${conference.id}`);
    const cookie = sessionPair(res);
    expect(cookie).toBeTruthy();

    const user = await findUserByEmail(db.sql, "ana.silva@example.org");
    expect(user).toMatchObject({ name: "Ana Silva", email: "Ana.Silva@example.org", isAdmin: false });
    expect(await verifyPassword("a long enough secret", user!.passwordHash!)).toBe(true);
    expect(await findMembership(db.sql, conference.id, user!.id)).toMatchObject({ role: "delegate", delegationId: japan.id });
    const row = await invitationRow({ db }, tokenOf(link));
    expect(row.accepted_at).toBeInstanceOf(Date);
    expect(row.accepted_by).toBe(user!.id);

    // The new session works: the conference opens.
    const conferencePage = await fetch(`${server.url}/conferences/${conference.id}`, { headers: { Cookie: cookie! } });
    expect(conferencePage.status).toBe(200);
    expect(pageText(await conferencePage.text())).toContain("Your role: Delegate");

    // Second use: refused, nothing created.
    const second = await post({ server }, `${path}?intent=signup`, {
      name: "Intruder",
      password: "another long secret",
      confirm: "another long secret",
    });
    expect(second.status).toBe(410);
    expect(sessionPair(second)).toBeNull();
    expect(pageText(await second.text())).toContain("This invitation has been used");
    const reopened = await fetch(`${server.url}${path}`);
    expect(reopened.status).toBe(410);
    const [{ n }] = await db.sql`select count(*)::int as n from users where lower(email) = 'ana.silva@example.org'`;
    expect(n).toBe(1);
    expect((await findUserByEmail(db.sql, "ana.silva@example.org"))!.name).toBe("Ana Silva");
  });

  it("refuses a short password or two different ones, next to the fields, and creates nothing", async ({ db, server }) => {
    const link = await invite({ email: "careful@example.org", role: "observer" });
    const short = await post({ server }, `${pathOf(link)}?intent=signup`, { name: "Careful", password: "short", confirm: "short" });
    expect(short.status).toBe(400);
    expect(pageText(await short.text())).toContain("Choose a password of at least 10 characters.");
    const differ = await post({ server }, `${pathOf(link)}?intent=signup`, {
      name: "Careful",
      password: "long enough one",
      confirm: "long enough two",
    });
    expect(differ.status).toBe(400);
    const html = await differ.text();
    expect(pageText(html)).toContain("The two passwords differ.");
    expect(/<input[^>]*name="confirm"[^>]*>/.exec(html)![0]).toContain('aria-invalid="true"');
    expect(await findUserByEmail(db.sql, "careful@example.org")).toBeNull();
    expect((await invitationRow({ db }, tokenOf(link))).accepted_at).toBeNull();
  });

  it("lets only one of two simultaneous uses of a link succeed", async ({ db, server }) => {
    const link = await invite({ email: "racer@example.org", role: "observer" });
    const attempt = (name: string) =>
      post({ server }, `${pathOf(link)}?intent=signup`, { name, password: "racing password", confirm: "racing password" });
    const results = await whileLocked({ db }, tokenOf(link), 2, () => Promise.all([attempt("Racer One"), attempt("Racer Two")]));
    expect(results.map((r) => r.status).sort()).toEqual([302, 410]);
    const [{ n }] = await db.sql`select count(*)::int as n from users where lower(email) = 'racer@example.org'`;
    expect(n).toBe(1);
  });

  it("lets only one of two simultaneous acceptances by a signed-in person succeed", async ({ db, server }) => {
    const person = await createPerson(db.sql, { email: "double.click@example.org" });
    const link = await invite({ email: person.email, role: "chair" });
    const client = await clientFor(server.url, person, { csrfFrom: pathOf(link) });
    const results = await whileLocked({ db }, tokenOf(link), 2, () =>
      Promise.all([client.post(`${pathOf(link)}?intent=accept`, {}), client.post(`${pathOf(link)}?intent=accept`, {})]),
    );
    expect(results.map((r) => r.status).sort()).toEqual([302, 410]);
    const [{ n }] = await db.sql`select count(*)::int as n from invitations where accepted_by = ${person.id}`;
    expect(n).toBe(1);
  });
});

/**
 * Runs `during` while this test holds the invitation's row lock, until `waiters` requests queue
 * behind it, so that they truly overlap; then lets them through together. (Were the server not to
 * lock the row, the requests would not wait, and they would both find the invitation pending.)
 */
async function whileLocked<T>({ db }: Pick<FileFixtures, "db">, token: string, waiters: number, during: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let signalLocked!: () => void;
  const locked = new Promise<void>((r) => (signalLocked = r));
  const holder = db.sql.begin(async (tx) => {
    await tx`select id from invitations where token_hash = ${createHash("sha256").update(token).digest("hex")} for update`;
    signalLocked();
    await released;
  });
  await locked;
  const running = during();
  await waitFor(
    async () => {
      const [{ n }] = await db.sql`select count(*)::int as n from pg_stat_activity where datname = ${db.name} and wait_event_type = 'Lock'`;
      return n >= waiters;
    },
    { timeoutMs: 5000, what: "the requests to wait for the invitation's lock" },
  ).catch(() => {});
  release();
  await holder;
  return running;
}

describe("an invitation that cannot be used", () => {
  it("answers an unknown token with 404 and a clear page", async ({ server }) => {
    const res = await fetch(`${server.url}/invitations/not-a-real-token`);
    expect(res.status).toBe(404);
    expect(pageText(await res.text())).toContain("This invitation link is not valid");
    const posted = await post({ server }, "/invitations/not-a-real-token?intent=signup", {
      name: "X",
      password: "long enough pw",
      confirm: "long enough pw",
    });
    expect(posted.status).toBe(404);
  });

  it("answers an expired one with 410 and creates no account", async ({ db, server }) => {
    const { token } = await createInvitation(db.sql, {
      conferenceId: conference.id,
      email: "late@example.org",
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: null,
      expiresAt: new Date(Date.now() - 60_000),
    });
    const res = await fetch(`${server.url}/invitations/${token}`);
    expect(res.status).toBe(410);
    expect(pageText(await res.text())).toContain("This invitation has expired");
    const posted = await post({ server }, `/invitations/${token}?intent=signup`, {
      name: "Late",
      password: "long enough pw",
      confirm: "long enough pw",
    });
    expect(posted.status).toBe(410);
    expect(await findUserByEmail(db.sql, "late@example.org")).toBeNull();
    expect(pageText(await (await secretariat.get(peoplePath)).text())).toMatch(/late@example\.org Observer Expired/);
  });

  it("is revoked by the secretariat while pending; the link then answers 410", async ({ db, server }) => {
    const link = await invite({ email: "withdrawn@example.org", role: "chair" });
    const row = await invitationRow({ db }, tokenOf(link));
    const res = await secretariat.post(peoplePath, { intent: "revoke", invitationId: row.id });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("The invitation was revoked; its link no longer works.");
    expect((await invitationRow({ db }, tokenOf(link))).revoked_at).toBeInstanceOf(Date);

    const page = await fetch(`${server.url}${pathOf(link)}`);
    expect(page.status).toBe(410);
    expect(pageText(await page.text())).toContain("This invitation was withdrawn");
    const posted = await post({ server }, `${pathOf(link)}?intent=signup`, {
      name: "Too Late",
      password: "long enough pw",
      confirm: "long enough pw",
    });
    expect(posted.status).toBe(410);
    expect(await findUserByEmail(db.sql, "withdrawn@example.org")).toBeNull();

    // Revoking twice, or an invitation already used, is refused.
    const again = await secretariat.post(peoplePath, { intent: "revoke", invitationId: row.id });
    expect(again.status).toBe(400);
    expect(pageText(await again.text())).toMatch(/withdrawn@example\.org Chair Revoked/);
  });
});

describe("an invitation for someone who has an account", () => {
  it("asks for their password, then adds them to the conference", async ({ db, server }) => {
    const person = await createPerson(db.sql, { email: "veteran@example.org" });
    const link = await invite({ email: "veteran@example.org", role: "chair" });
    const page = await fetch(`${server.url}${pathOf(link)}`);
    const text = pageText(await page.text());
    expect(text).toContain("Sign in to accept");
    expect(text).not.toContain("Create your account");

    const wrong = await post({ server }, `${pathOf(link)}?intent=signin`, { password: "not the password" });
    expect(wrong.status).toBe(400);
    expect(pageText(await wrong.text())).toContain("The e-mail address or password is incorrect.");
    expect(await findMembership(db.sql, conference.id, person.id)).toBeNull();

    // Creating a second account with that e-mail through the link is refused.
    const signup = await post({ server }, `${pathOf(link)}?intent=signup`, {
      name: "Impostor",
      password: "long enough pw",
      confirm: "long enough pw",
    });
    expect(signup.status).toBe(400);
    expect(pageText(await signup.text())).toContain("An account with this e-mail address exists already.");

    const right = await post({ server }, `${pathOf(link)}?intent=signin`, { password: person.password });
    expect(right.status).toBe(302);
    expect(sessionPair(right)).toMatch(/^concord_session=[^;]+$/);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "chair", delegationId: null });
  });

  it("is accepted at one click when they are signed in, with the anti-forgery token", async ({ db, server }) => {
    const person = await createPerson(db.sql, { email: "signed.in@example.org" });
    const link = await invite({ email: "signed.in@example.org", role: "observer" });
    const client = await clientFor(server.url, person, { csrfFrom: pathOf(link) });
    const forged = await client.post(`${pathOf(link)}?intent=accept`, {}, { csrf: false });
    expect(forged.status).toBe(403);
    expect(await findMembership(db.sql, conference.id, person.id)).toBeNull();
    const res = await client.post(`${pathOf(link)}?intent=accept`, {});
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/conferences/${conference.id}`);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "observer" });
  });
});

describe("creating an invitation", () => {
  it("validates the form, with errors next to the fields", async ({ db }) => {
    const missingDelegation = await secretariat.post(peoplePath, {
      intent: "invite",
      email: "x@example.org",
      role: "delegate",
      delegationId: "",
      days: "7",
    });
    expect(missingDelegation.status).toBe(400);
    const html = await missingDelegation.text();
    expect(pageText(html)).toContain("Choose the delegation this delegate speaks for.");
    expect(/<select[^>]*name="delegationId"[^>]*aria-invalid="true"/.test(html.slice(html.indexOf('id="invite"')))).toBe(true);

    const badEmail = await secretariat.post(peoplePath, { intent: "invite", email: "not-an-address", role: "observer", days: "7" });
    expect(badEmail.status).toBe(400);
    expect(pageText(await badEmail.text())).toContain("Enter a valid e-mail address.");

    const badDays = await secretariat.post(peoplePath, { intent: "invite", email: "y@example.org", role: "observer", days: "365" });
    expect(badDays.status).toBe(400);

    const otherConference = await createConference(db.sql);
    const foreign = await createDelegation(db.sql, otherConference.id, { code: "FOR" });
    const foreignDelegation = await secretariat.post(peoplePath, {
      intent: "invite",
      email: "z@example.org",
      role: "delegate",
      delegationId: foreign.id,
      days: "7",
    });
    expect(foreignDelegation.status).toBe(400);
    expect(pageText(await foreignDelegation.text())).toContain("There is no such delegation in this conference.");

    const [{ n }] =
      await db.sql`select count(*)::int as n from invitations where email in ('x@example.org', 'not-an-address', 'y@example.org', 'z@example.org')`;
    expect(n).toBe(0);
  });

  it("refuses to invite someone who already takes part", async ({ db }) => {
    const member = await createPerson(db.sql, { role: "observer", conferenceId: conference.id });
    const res = await secretariat.post(peoplePath, { intent: "invite", email: member.email.toUpperCase(), role: "chair", days: "7" });
    expect(res.status).toBe(400);
    expect(pageText(await res.text())).toContain("already takes part in this conference as Observer");
  });

  it("lets the expiry be chosen", async ({ db }) => {
    const link = await invite({ email: "brief@example.org", role: "observer", days: "1" });
    const row = await invitationRow({ db }, tokenOf(link));
    const hours = (row.expires_at.getTime() - Date.now()) / 3600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
  });
});
