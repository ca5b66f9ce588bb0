import { describe, expect, it } from "../support/fixtures";
import type { Db } from "../../server/db/sql";
import { setConferenceLanguages, type ConferenceRow } from "../../server/queries/conferences";
import type { DelegationRow } from "../../server/queries/delegations";
import { createInvitation } from "../../server/queries/invitations";
import { findMembership } from "../../server/queries/memberships";
import { findUserByEmail } from "../../server/queries/users";
import { entriesOf, lastSeq } from "../support/audit";
import { clientFor, type FormClient, invitationLinksIn, pageText, sessionPair } from "../support/http";
import { createConference, createDelegation, createPerson, type TestPerson } from "../support/factories";

/**
 * The translator role through the secretariat's people page, as a browser posts it: a translator
 * works in exactly one of the conference's languages, chosen when invited, when their role changes
 * or in a CSV import; nobody else has a language.
 */
let conference: ConferenceRow;
let japan: DelegationRow;
let me: TestPerson;
let secretariat: FormClient;
let path: string;

it.beforeAll(async ({ db, server }) => {
  conference = await createConference(db.sql, { title: "Conference on Urban Recovery" });
  await setConferenceLanguages(db.sql, conference.id, ["en", "fr", "es"]);
  japan = await createDelegation(db.sql, conference.id, { code: "JPN", name: "Japan" });
  path = `/conferences/${conference.id}/people`;
  me = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id });
  secretariat = await clientFor(server.url, me);
});

const invitationOf = async (sql: Db, email: string) =>
  (await sql<{ role: string; language: string | null }[]>`select role, language from invitations where lower(email) = lower(${email})`)[0];

/** The invite form's part of a page, where its fields' errors are shown. */
const inviteSection = (html: string) => html.slice(html.indexOf('id="invite"'));

describe("inviting a translator", () => {
  it("offers the conference's languages, stores the one chosen, and the accepted invitation makes a translator of that language", async ({
    db,
    server,
  }) => {
    const page = await (await secretariat.get(path)).text();
    const languageSelect = /<select[^>]*name="language"[^>]*>([\s\S]*?)<\/select>/.exec(inviteSection(page))![1];
    expect([...languageSelect.matchAll(/<option value="(\w*)"[^>]*>([^<]+)</g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([
      ":— No language —",
      "en:English",
      "fr:French",
      "es:Spanish",
    ]);

    const res = await secretariat.post(path, {
      intent: "invite",
      email: "claire@example.org",
      role: "translator",
      delegationId: "",
      language: "fr",
      days: "7",
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageText(html)).toContain("Invitation created for claire@example.org as Translator (French).");
    const [link] = invitationLinksIn(html);
    expect(await invitationOf(db.sql, "claire@example.org")).toEqual({ role: "translator", language: "fr" });
    expect(pageText(await (await secretariat.get(path)).text())).toMatch(/claire@example\.org Translator \(French\) Pending/);

    const invitationPage = pageText(await (await fetch(`${server.url}${new URL(link).pathname}`)).text());
    expect(invitationPage).toContain("Role Translator (French)");

    const accepted = await fetch(`${server.url}${new URL(link).pathname}?intent=signup`, {
      method: "POST",
      body: new URLSearchParams({ name: "Claire Dubois", password: "a long enough secret", confirm: "a long enough secret" }),
      redirect: "manual",
    });
    expect(accepted.status).toBe(302);
    // Signing up signs the new translator in.
    expect(sessionPair(accepted)).toMatch(/^concord_session=./);
    const user = await findUserByEmail(db.sql, "claire@example.org");
    expect(await findMembership(db.sql, conference.id, user!.id)).toMatchObject({ role: "translator", language: "fr", delegationId: null });
    expect(pageText(await (await secretariat.get(path)).text())).toContain("Claire Dubois claire@example.org Translator (French) —");

    const [entry] = await entriesOf(db.sql, conference.id, "invitation.accepted");
    expect(entry.subject).toMatchObject({ from: null, to: { role: "translator", language: "fr" } });
  });

  it("refuses a translator without a language, a language the conference does not work in, and a language for a delegate: nothing is created", async ({
    db,
  }) => {
    const attempts: { fields: Record<string, string>; error: string }[] = [
      { fields: { email: "nolang@example.org", role: "translator", language: "" }, error: "Choose the language this translator works in." },
      {
        fields: { email: "russian@example.org", role: "translator", language: "ru" },
        error: "Russian is not a language of this conference; its languages are English, French and Spanish.",
      },
      {
        fields: { email: "klingon@example.org", role: "translator", language: "tlh" },
        error: '"tlh" is not a language of this conference; its languages are English, French and Spanish.',
      },
      {
        fields: { email: "delegate@example.org", role: "delegate", delegationId: japan.id, language: "fr" },
        error: "Only a translator works in a language: leave the language empty for the role delegate.",
      },
    ];
    for (const { fields, error } of attempts) {
      const res = await secretariat.post(path, { intent: "invite", delegationId: "", days: "7", ...fields });
      expect(res.status, fields.email).toBe(400);
      const html = await res.text();
      expect(pageText(html)).toContain(error);
      // The error sits on the invite form's language select, which keeps what was chosen.
      const select = /<select[^>]*name="language"[^>]*>/.exec(inviteSection(html))![0];
      expect(select).toContain('aria-invalid="true"');
      expect(invitationLinksIn(html)).toEqual([]);
    }
    const [{ n }] = await db.sql`
      select count(*)::int as n from invitations
      where email in ('nolang@example.org', 'russian@example.org', 'klingon@example.org', 'delegate@example.org')`;
    expect(n).toBe(0);
  });
});

describe("accepting a translator's invitation", () => {
  it("is refused while the conference no longer works in its language, and creates nothing", async ({ db, server }) => {
    const other = await createConference(db.sql);
    await setConferenceLanguages(db.sql, other.id, ["en", "es"]);
    const { token } = await createInvitation(db.sql, {
      conferenceId: other.id,
      email: "lucia@example.org",
      role: "translator",
      delegationId: null,
      language: "es",
      createdBy: null,
      expiresAt: new Date(Date.now() + 3600_000),
    });
    const signUp = () =>
      fetch(`${server.url}/invitations/${token}?intent=signup`, {
        method: "POST",
        body: new URLSearchParams({ name: "Lucía", password: "a long enough secret", confirm: "a long enough secret" }),
        redirect: "manual",
      });
    await setConferenceLanguages(db.sql, other.id, ["en"]);
    const refused = await signUp();
    expect(refused.status).toBe(400);
    expect(pageText(await refused.text())).toContain("The conference no longer works in the language of this invitation.");
    expect(await findUserByEmail(db.sql, "lucia@example.org")).toBeNull();

    await setConferenceLanguages(db.sql, other.id, ["en", "es"]);
    expect((await signUp()).status).toBe(302);
    const user = await findUserByEmail(db.sql, "lucia@example.org");
    expect(await findMembership(db.sql, other.id, user!.id)).toMatchObject({ role: "translator", language: "es" });
  });
});

describe("changing a participant's role to and from translator", () => {
  it("makes an observer a Spanish translator, audited with the language, then an observer again", async ({ db }) => {
    const person = await createPerson(db.sql, { role: "observer", conferenceId: conference.id, name: "Pablo Observer" });
    const before = await lastSeq(db.sql, conference.id);

    const res = await secretariat.post(path, { intent: "role", userId: person.id, role: "translator", delegationId: "", language: "es" });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageText(html)).toContain("Pablo Observer is now Translator (Spanish).");
    expect(pageText(html)).toContain(`Pablo Observer ${person.email} Translator (Spanish) —`);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "translator", language: "es" });
    const [changed] = await entriesOf(db.sql, conference.id, "role.changed", before);
    expect(changed.subject).toMatchObject({
      userId: person.id,
      from: { role: "observer", language: null },
      to: { role: "translator", language: "es" },
    });

    // Another language is a change too; the same one is none.
    expect((await secretariat.post(path, { intent: "role", userId: person.id, role: "translator", language: "fr" })).status).toBe(200);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "translator", language: "fr" });
    const same = await secretariat.post(path, { intent: "role", userId: person.id, role: "translator", language: "fr" });
    expect(pageText(await same.text())).toContain("Pablo Observer was already Translator (French); nothing changed.");

    // Back to observer: the language select still holding French is refused, emptied it is not.
    const kept = await secretariat.post(path, { intent: "role", userId: person.id, role: "observer", language: "fr" });
    expect(kept.status).toBe(400);
    expect(pageText(await kept.text())).toContain("Only a translator works in a language: leave the language empty for the role observer.");
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "translator", language: "fr" });
    expect((await secretariat.post(path, { intent: "role", userId: person.id, role: "observer", language: "" })).status).toBe(200);
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "observer", language: null });
    const changes = await entriesOf(db.sql, conference.id, "role.changed", before);
    expect(changes.map((e) => (e.subject as { to: { role: string; language: string | null } }).to)).toMatchObject([
      { role: "translator", language: "es" },
      { role: "translator", language: "fr" },
      { role: "observer", language: null },
    ]);
  });

  it("refuses a translator without a language or in another language than the conference's, in that person's row, and changes nothing", async ({
    db,
  }) => {
    const person = await createPerson(db.sql, { role: "chair", conferenceId: conference.id });
    const before = await lastSeq(db.sql, conference.id);
    for (const [language, error] of [
      ["", "Choose the language this translator works in."],
      ["ar", "Arabic is not a language of this conference"],
    ]) {
      const res = await secretariat.post(path, { intent: "role", userId: person.id, role: "translator", language });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(pageText(html)).toContain(error);
      const row = html.slice(html.indexOf(`<input type="hidden" name="userId" value="${person.id}"/>`));
      expect(/<select[^>]*name="language"[^>]*aria-invalid="true"/.test(row.slice(0, row.indexOf("</tr>")))).toBe(true);
    }
    expect(await findMembership(db.sql, conference.id, person.id)).toMatchObject({ role: "chair", language: null });
    expect(await entriesOf(db.sql, conference.id, "role.changed", before)).toEqual([]);
  });
});

describe("importing translators from a CSV file", () => {
  it("reads the language by code or English name, and rejects each row whose language is missing, unknown, not the conference's or not a translator's", async ({
    db,
  }) => {
    const existing = await createPerson(db.sql, { email: "amira@example.org", name: "Amira Existing" });
    const csv = [
      "name,email,delegation,role,language",
      "Jean Translator,jean@example.org,,translator,fr", // 2: invited, French
      "Amira Existing,amira@example.org,,Translator,Spanish", // 3: existing account added, Spanish by name
      "No Language,nolanguage@example.org,,translator,", // 4
      "Klingon,klingon@example.org,,translator,Klingon", // 5: unknown language
      "Arabic,arabic@example.org,,translator,ar", // 6: not a language of the conference
      "Observer With Language,owl@example.org,,observer,fr", // 7: only translators have one
      "Plain Observer,plain@example.org,,observer,", // 8: invited, no language
    ].join("\n");
    const form = new FormData();
    form.append("intent", "import");
    form.append("file", new File([csv], "translators.csv", { type: "text/csv" }));
    const res = await secretariat.postMultipart(path, form);
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = new Map<number, { outcome: string; text: string }>();
    for (const m of html.matchAll(/<tr data-row="(\d+)" data-outcome="(\w+)">([\s\S]*?)<\/tr>/g))
      rows.set(Number(m[1]), { outcome: m[2], text: pageText(m[3]) });

    expect(rows.get(2)).toMatchObject({ outcome: "invited" });
    expect(rows.get(2)!.text).toContain("invitation as Translator (French) created");
    expect(rows.get(3)).toMatchObject({ outcome: "added" });
    expect(rows.get(3)!.text).toContain("Existing account added as Translator (Spanish).");
    expect(rows.get(4)).toMatchObject({ outcome: "rejected" });
    expect(rows.get(4)!.text).toContain("A translator needs a language");
    expect(rows.get(5)).toMatchObject({ outcome: "rejected" });
    expect(rows.get(5)!.text).toContain('Unknown language "Klingon"');
    expect(rows.get(6)).toMatchObject({ outcome: "rejected" });
    expect(rows.get(6)!.text).toContain("Arabic is not a language of this conference; its languages are English, French and Spanish.");
    expect(rows.get(7)).toMatchObject({ outcome: "rejected" });
    expect(rows.get(7)!.text).toContain('A language ("fr") is given for the role observer: only translators work in a language.');
    expect(rows.get(8)).toMatchObject({ outcome: "invited" });

    expect(await invitationOf(db.sql, "jean@example.org")).toEqual({ role: "translator", language: "fr" });
    expect(await invitationOf(db.sql, "plain@example.org")).toEqual({ role: "observer", language: null });
    expect(await findMembership(db.sql, conference.id, existing.id)).toMatchObject({ role: "translator", language: "es" });
    const [{ n }] = await db.sql`
      select count(*)::int as n from invitations
      where email in ('nolanguage@example.org', 'klingon@example.org', 'arabic@example.org', 'owl@example.org')`;
    expect(n).toBe(0);
  });

  it("still imports a file without a language column", async ({ db }) => {
    const csv = "name,email,delegation,role\nNew Chair,new.chair@example.org,,chair\nT,t@example.org,,translator\n";
    const form = new FormData();
    form.append("intent", "import");
    form.append("file", new File([csv], "people.csv", { type: "text/csv" }));
    const html = await (await secretariat.postMultipart(path, form)).text();
    expect(html).toMatch(/<tr data-row="2" data-outcome="invited">/);
    expect(html).toMatch(/<tr data-row="3" data-outcome="rejected">/);
    expect(await invitationOf(db.sql, "new.chair@example.org")).toEqual({ role: "chair", language: null });
  });
});
