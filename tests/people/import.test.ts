import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { afterAll } from "vitest";
import { waitFor } from "../support/wait";
import { subscribeAccessEvents, type AccessEvent } from "../../server/auth/access-events";
import type { ConferenceRow } from "../../server/queries/conferences";
import type { DelegationRow } from "../../server/queries/delegations";
import { findMembership } from "../../server/queries/memberships";
import { findInvitationByToken } from "../../server/queries/invitations";
import { clientFor, type FormClient, invitationLinksIn, pageText, tokenOf } from "../support/http";
import { createConference, createDelegation, createPerson, type TestPerson } from "../support/factories";

let conference: ConferenceRow;
let japan: DelegationRow;
let korea: DelegationRow;
let me: TestPerson;
let secretariat: FormClient;
let path: string;
const events: AccessEvent[] = [];
let unlisten: () => Promise<void>;

it.beforeAll(async ({ db, server }) => {
  conference = await createConference(db.sql);
  japan = await createDelegation(db.sql, conference.id, { code: "JPN", name: "Japan" });
  korea = await createDelegation(db.sql, conference.id, { code: "KOR", name: "Korea, Republic of" });
  path = `/conferences/${conference.id}/people`;
  me = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id });
  secretariat = await clientFor(server.url, me);
  unlisten = await subscribeAccessEvents(db.sql, (e) => events.push(e));
});

afterAll(async () => {
  await unlisten?.();
});

function csvForm(content: string | Uint8Array<ArrayBuffer>, filename = "people.csv"): FormData {
  const form = new FormData();
  form.append("intent", "import");
  form.append("file", new File([content], filename, { type: "text/csv" }));
  return form;
}

/** The report's rows: row number → outcome and the text of the row. */
function reportRows(html: string): Map<number, { outcome: string; text: string }> {
  const rows = new Map<number, { outcome: string; text: string }>();
  for (const m of html.matchAll(/<tr data-row="(\d+)" data-outcome="(\w+)">([\s\S]*?)<\/tr>/g)) {
    rows.set(Number(m[1]), { outcome: m[2], text: pageText(m[3]).trim() });
  }
  return rows;
}

const invitationCount = async ({ db }: Pick<FileFixtures, "db">) =>
  (await db.sql`select count(*)::int as n from invitations`)[0].n as number;

describe("importing people from a CSV file", () => {
  it("reports every row: new people invited, accounts added or updated, bad rows rejected with their reasons", async ({ db }) => {
    const existing = await createPerson(db.sql, { email: "existing@example.org", name: "Existing Account" });
    const observer = await createPerson(db.sql, { email: "observer@example.org", role: "observer", conferenceId: conference.id });
    const csv = [
      "Name,E-mail,Delegation,Role",
      '"Kim, Min-jun",kim@example.org,"Korea, Republic of",delegate', // 2: quoted comma, delegation by name → invited
      '"Silva, Ana\n(head of delegation)",ana@example.org,jpn,Delegate', // 3: quoted comma and line break, code in any case → invited
      "Existing Account,EXISTING@example.org,,chair", // 4: account, not a participant → added
      "Olga Observer,observer@example.org,JPN,delegate", // 5: participant → updated
      "Bad Mail,not-an-email,,observer", // 6
      "Emperor,emperor@example.org,,emperor", // 7: unknown role
      "Nobody,nobody@example.org,XYZ,delegate", // 8: unknown delegation
      "Chair With Delegation,cwd@example.org,JPN,chair", // 9: delegation for a non-delegate
      "Kim Again,KIM@example.org,KOR,delegate", // 10: duplicate of row 2
      ",noname@example.org,,observer", // 11: missing name
      "Lonely Delegate,lonely@example.org,,delegate", // 12: delegate without delegation
      "", // blank line: skipped
      "Last One,last@example.org,,observer", // 14: after a blank line → invited
    ].join("\r\n");
    const before = await invitationCount({ db });
    const res = await secretariat.postMultipart(path, csvForm(csv));
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = reportRows(html);

    expect([...rows.keys()]).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14]);
    expect(Object.fromEntries([...rows].map(([n, r]) => [n, r.outcome]))).toEqual({
      2: "invited",
      3: "invited",
      4: "added",
      5: "updated",
      6: "rejected",
      7: "rejected",
      8: "rejected",
      9: "rejected",
      10: "rejected",
      11: "rejected",
      12: "rejected",
      14: "invited",
    });
    expect(rows.get(2)!.text).toContain("Kim, Min-jun kim@example.org Invited");
    expect(rows.get(2)!.text).toContain("invitation as Delegate of Korea, Republic of (KOR) created");
    expect(rows.get(3)!.text).toContain("Silva, Ana (head of delegation)");
    expect(rows.get(3)!.text).toContain("Delegate of Japan (JPN)");
    expect(rows.get(4)!.text).toContain("Existing account added as Chair.");
    expect(rows.get(5)!.text).toContain("changed from Observer to Delegate of Japan (JPN)");
    expect(rows.get(6)!.text).toContain('"not-an-email" is not a valid e-mail address.');
    expect(rows.get(7)!.text).toContain('Unknown role "emperor"');
    expect(rows.get(8)!.text).toContain('Unknown delegation "XYZ"');
    expect(rows.get(9)!.text).toContain("only delegates belong to a delegation");
    expect(rows.get(10)!.text).toContain("is already in row 2 of this file");
    expect(rows.get(11)!.text).toContain("The name is missing.");
    expect(rows.get(12)!.text).toContain("A delegate needs a delegation");
    expect(pageText(html)).toContain("3 invited, 1 added, 1 updated, 0 unchanged), 7 rejected.");

    // The invitations: one per new e-mail address, with the right role and delegation, their links in the report.
    const links = invitationLinksIn(html);
    expect(links).toHaveLength(3);
    const invited = await Promise.all(links.map((l) => findInvitationByToken(db.sql, tokenOf(l))));
    expect(invited.map((i) => [i!.email, i!.role, i!.delegationId, i!.status])).toEqual([
      ["kim@example.org", "delegate", korea.id, "pending"],
      ["ana@example.org", "delegate", japan.id, "pending"],
      ["last@example.org", "observer", null, "pending"],
    ]);
    expect(await invitationCount({ db })).toBe(before + 3);

    // Accounts: added and updated at once, and their open connections told.
    expect(await findMembership(db.sql, conference.id, existing.id)).toMatchObject({ role: "chair", delegationId: null });
    expect(await findMembership(db.sql, conference.id, observer.id)).toMatchObject({ role: "delegate", delegationId: japan.id });
    await waitFor(
      () => events.filter((e) => e.type === "membership" && (e.userId === existing.id || e.userId === observer.id)).length === 2,
      {
        what: "membership access events for the two accounts",
      },
    );

    // Rejected rows changed nothing.
    const [{ n }] = await db.sql`
      select count(*)::int as n from invitations
      where email in ('not-an-email', 'emperor@example.org', 'nobody@example.org', 'cwd@example.org', 'noname@example.org', 'lonely@example.org')
         or lower(email) = 'kim@example.org' and delegation_id <> ${korea.id}`;
    expect(n).toBe(0);
  });

  it("reports an unchanged participant, and does not let the secretariat change their own role", async ({ db }) => {
    const chair = await createPerson(db.sql, { role: "chair", conferenceId: conference.id });
    const csv = `name,email,delegation,role\nThe Chair,${chair.email},,chair\nMe,${me.email},,observer\n`;
    const html = await (await secretariat.postMultipart(path, csvForm(csv))).text();
    const rows = reportRows(html);
    expect(rows.get(2)).toMatchObject({ outcome: "unchanged" });
    expect(rows.get(3)).toMatchObject({ outcome: "rejected" });
    expect(rows.get(3)!.text).toContain("You cannot change your own role.");
    expect(await findMembership(db.sql, conference.id, me.id)).toMatchObject({ role: "secretariat" });
  });

  it("never changes the deployment administrator or the secretariat, reporting them as kept; ordinary accounts still change", async ({
    db,
    server,
  }) => {
    const admin = await createPerson(db.sql, { isAdmin: true, name: "The Administrator" });
    const adminMember = await createPerson(db.sql, { isAdmin: true, role: "chair", conferenceId: conference.id });
    const colleague = await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id, name: "Sec Colleague" });
    const chair = await createPerson(db.sql, { role: "chair", conferenceId: conference.id });
    const auditBefore = await db.sql`select count(*)::int as n from audit_log where conference_id = ${conference.id}`;
    const csv = [
      "name,email,delegation,role",
      `Admin,${admin.email.toUpperCase()},,observer`,
      `Admin Member,${adminMember.email},,observer`,
      `Colleague,${colleague.email},JPN,delegate`,
      `Chair,${chair.email},,observer`,
    ].join("\n");
    const res = await secretariat.postMultipart(path, csvForm(csv));
    expect(res.status).toBe(200);
    const html = await res.text();
    const rows = reportRows(html);
    expect(Object.fromEntries([...rows].map(([n, r]) => [n, r.outcome]))).toEqual({ 2: "kept", 3: "kept", 4: "kept", 5: "updated" });
    expect(rows.get(2)!.text).toContain(
      "This account is the deployment administrator: an import never changes their role. Nothing changed",
    );
    expect(rows.get(4)!.text).toContain("This account is of the secretariat: an import never changes their role. Nothing changed");
    expect(pageText(html)).toContain("1 of 4 rows accepted (0 invited, 0 added, 1 updated, 0 unchanged), 0 rejected. 3 kept as they are");

    // The administrator was not made a participant (which would have replaced their secretariat rights), the others keep their roles.
    expect(await findMembership(db.sql, conference.id, admin.id)).toBeNull();
    expect(await findMembership(db.sql, conference.id, adminMember.id)).toMatchObject({ role: "chair" });
    expect(await findMembership(db.sql, conference.id, colleague.id)).toMatchObject({ role: "secretariat", delegationId: null });
    expect(await findMembership(db.sql, conference.id, chair.id)).toMatchObject({ role: "observer" });
    const adminClient = await clientFor(server.url, admin);
    expect((await adminClient.get(path)).status).toBe(200);
    // Only the ordinary account's change is in the audit trail.
    const auditAfter = await db.sql`select count(*)::int as n from audit_log where conference_id = ${conference.id}`;
    expect(auditAfter[0].n - auditBefore[0].n).toBe(1);
  });

  it("rejects a file over 1 MB with an error next to the file field, and changes nothing", async ({ db }) => {
    const before = await invitationCount({ db });
    const header = "name,email,delegation,role\n";
    let body = header;
    for (let i = 0; body.length <= 1024 * 1024 + 1000; i++) body += `Person ${i},person${i}@example.org,,observer\n`;
    const res = await secretariat.postMultipart(path, csvForm(body, "big.csv"));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(pageText(html)).toContain("The file is larger than 1 MB.");
    expect(/<input[^>]*name="file"[^>]*>/.exec(html)![0]).toContain('aria-invalid="true"');
    expect(await invitationCount({ db })).toBe(before);
  });

  it("rejects a file without the required columns, one that is not UTF-8, an empty one, and an unclosed quote", async ({ db }) => {
    const before = await invitationCount({ db });
    const cases: [string | Uint8Array<ArrayBuffer>, string][] = [
      ["Alice,alice@example.org,,observer\n", "The header row must name the columns name, email, delegation and role"],
      ["name,email,role\nAlice,alice@example.org,observer\n", "delegation is missing"],
      [new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x41]), "The file is not UTF-8 text."],
      ["name,email,delegation,role\n", "The file has a header row but no people in it."],
      ['name,email,delegation,role\n"Open,open@example.org,,observer\n', "a quoted field is not closed"],
    ];
    for (const [content, message] of cases) {
      const res = await secretariat.postMultipart(path, csvForm(content));
      expect(res.status, message).toBe(400);
      expect(pageText(await res.text())).toContain(message);
    }
    const empty = await secretariat.postMultipart(path, csvForm(""));
    expect(empty.status).toBe(400);
    expect(await invitationCount({ db })).toBe(before);
  });

  it("refuses an upload without the anti-forgery token (403) and imports nothing, even one too large", async ({ db }) => {
    const before = await invitationCount({ db });
    const res = await secretariat.postMultipart(path, csvForm("name,email,delegation,role\nForged,forged@example.org,,observer\n"), {
      csrf: false,
    });
    expect(res.status).toBe(403);
    const big = "name,email,delegation,role\n" + "x".repeat(1024 * 1024 + 10);
    const bigRes = await secretariat.postMultipart(path, csvForm(big), { csrf: false });
    expect(bigRes.status).toBe(403);
    const wrong = new FormData();
    wrong.append("csrf", "not-the-token");
    for (const [k, v] of csvForm("name,email,delegation,role\nForged,forged@example.org,,observer\n").entries()) wrong.append(k, v);
    expect((await secretariat.postMultipart(path, wrong, { csrf: false })).status).toBe(403);
    expect(await invitationCount({ db })).toBe(before);
  });
});
