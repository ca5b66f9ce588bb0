import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import type { ConferenceRow } from "../../server/queries/conferences";
import type { DelegationRow } from "../../server/queries/delegations";
import { createInvitation } from "../../server/queries/invitations";
import type { Role } from "../../app/statement/vocabulary";
import { clientFor, type FormClient, pageText } from "../support/http";
import { createConference, createDelegation, createPerson, type TestPerson } from "../support/factories";

let conference: ConferenceRow;
let japan: DelegationRow;
let secretariat: FormClient;
let target: TestPerson;
let pendingInvitationId: string;
const clients = {} as Record<Role | "outsider" | "admin", FormClient>;

it.beforeAll(async ({ db, server }) => {
  conference = await createConference(db.sql);
  japan = await createDelegation(db.sql, conference.id, { code: "JPN", name: "Japan" });
  const other = await createConference(db.sql);
  target = await createPerson(db.sql, { role: "observer", conferenceId: conference.id });
  pendingInvitationId = (
    await createInvitation(db.sql, {
      conferenceId: conference.id,
      email: "pending@example.org",
      role: "observer",
      delegationId: null,
      language: null,
      createdBy: null,
      expiresAt: new Date(Date.now() + 3600_000),
    })
  ).id;
  const otherSecretariat = await createPerson(db.sql, { role: "secretariat", conferenceId: other.id });
  const people: [keyof typeof clients, TestPerson][] = [
    ["secretariat", await createPerson(db.sql, { role: "secretariat", conferenceId: conference.id })],
    ["chair", await createPerson(db.sql, { role: "chair", conferenceId: conference.id })],
    ["delegate", await createPerson(db.sql, { role: "delegate", conferenceId: conference.id, delegationId: japan.id })],
    ["observer", await createPerson(db.sql, { role: "observer", conferenceId: conference.id })],
    // The secretariat of another conference: a token of their own, no part in this one.
    ["outsider", otherSecretariat],
    ["admin", await createPerson(db.sql, { isAdmin: true })],
  ];
  for (const [key, person] of people) {
    clients[key] = await clientFor(server.url, person, {
      csrfFrom: key === "outsider" ? `/conferences/${other.id}/people` : key === "admin" ? "/admin" : "/",
    });
  }
  secretariat = clients.secretariat;
});

const pages = () => [`/conferences/${conference.id}/delegations`, `/conferences/${conference.id}/people`];

/** Every change the two pages make, each of which must be refused to anyone without the right. */
const writes = (): { path: string; fields: Record<string, string> }[] => [
  { path: `/conferences/${conference.id}/delegations`, fields: { name: "Forged Land", code: "FRG", kind: "member_state" } },
  {
    path: `/conferences/${conference.id}/people`,
    fields: { intent: "invite", email: "forged@example.org", role: "secretariat", days: "7" },
  },
  { path: `/conferences/${conference.id}/people`, fields: { intent: "role", userId: target.id, role: "secretariat" } },
  { path: `/conferences/${conference.id}/people`, fields: { intent: "remove", userId: target.id } },
  { path: `/conferences/${conference.id}/people`, fields: { intent: "revoke", invitationId: pendingInvitationId } },
];

const importForm = () => {
  const form = new FormData();
  form.append("intent", "import");
  form.append(
    "file",
    new File(["name,email,delegation,role\nForged,forged-import@example.org,,secretariat\n"], "p.csv", { type: "text/csv" }),
  );
  return form;
};

/** Everything the writes above would change. */
async function snapshot({ db }: Pick<FileFixtures, "db">) {
  const [state] = await db.sql`
    select
      (select count(*)::int from delegations where conference_id = ${conference.id}) as delegations,
      (select count(*)::int from invitations where conference_id = ${conference.id}) as invitations,
      (select count(*)::int from invitations where conference_id = ${conference.id} and revoked_at is not null) as revoked,
      (select role from memberships where conference_id = ${conference.id} and user_id = ${target.id}) as "targetRole",
      (select count(*)::int from conferences) as conferences`;
  return state;
}

describe("who may manage a conference", () => {
  it("lets the secretariat and the deployment administrator open the pages", async () => {
    for (const who of ["secretariat", "admin"] as const) {
      for (const path of pages()) expect((await clients[who].get(path)).status, `${who} ${path}`).toBe(200);
    }
  });

  it("answers chair, delegate and observer with 403, on the pages and on every change", async ({ db }) => {
    const before = await snapshot({ db });
    for (const who of ["chair", "delegate", "observer"] as const) {
      for (const path of pages()) {
        const res = await clients[who].get(path);
        expect(res.status, `${who} GET ${path}`).toBe(403);
        expect(await res.text()).toContain("Your role in this conference does not allow this.");
      }
      for (const { path, fields } of writes()) {
        const res = await clients[who].post(path, fields);
        expect(res.status, `${who} POST ${path} ${fields.intent ?? ""}`).toBe(403);
        expect(await res.text()).toContain("Your role in this conference does not allow this.");
      }
      expect((await clients[who].postMultipart(`/conferences/${conference.id}/people`, importForm())).status, `${who} import`).toBe(403);
    }
    expect(await snapshot({ db })).toEqual(before);
  });

  it("answers a member of another conference with 404, as if the conference did not exist", async ({ db }) => {
    const before = await snapshot({ db });
    for (const path of pages()) expect((await clients.outsider.get(path)).status, `GET ${path}`).toBe(404);
    // Even the conference's own page, and an id that is not one.
    expect((await clients.outsider.get(`/conferences/${conference.id}`)).status).toBe(404);
    expect((await clients.outsider.get(`/conferences/not-a-uuid/people`)).status).toBe(404);
    for (const { path, fields } of writes()) {
      expect((await clients.outsider.post(path, fields)).status, `POST ${path} ${fields.intent ?? ""}`).toBe(404);
    }
    expect((await clients.outsider.postMultipart(`/conferences/${conference.id}/people`, importForm())).status).toBe(404);
    expect(await snapshot({ db })).toEqual(before);
  });

  it("sends someone signed out to sign in, and changes nothing", async ({ db, server }) => {
    const before = await snapshot({ db });
    for (const path of [...pages(), "/admin"]) {
      const res = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(res.status, path).toBe(302);
      expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
    }
    for (const { path, fields } of writes()) {
      const res = await fetch(`${server.url}${path}`, { method: "POST", body: new URLSearchParams(fields), redirect: "manual" });
      expect(res.status).toBe(302);
      expect(res.headers.get("Location")).toMatch(/^\/login\?/);
    }
    expect(await snapshot({ db })).toEqual(before);
  });
});

describe("cross-site request forgery", () => {
  it("refuses every change the secretariat's session makes without the form's token (403), and nothing changes", async ({ db }) => {
    const before = await snapshot({ db });
    for (const { path, fields } of writes()) {
      const missing = await secretariat.post(path, fields, { csrf: false });
      expect(missing.status, `POST ${path} ${fields.intent ?? ""}`).toBe(403);
      expect(await missing.text()).toContain("The form has expired.");
      const wrong = await secretariat.post(path, { ...fields, csrf: "forged-token" }, { csrf: false });
      expect(wrong.status, `POST ${path} ${fields.intent ?? ""} with a forged token`).toBe(403);
    }
    expect((await secretariat.postMultipart(`/conferences/${conference.id}/people`, importForm(), { csrf: false })).status).toBe(403);
    // Another person's token does not do either.
    const stolen = await clients.observer.csrf();
    expect(stolen).toBeTruthy();
    const res = await secretariat.post(
      `/conferences/${conference.id}/delegations`,
      { name: "Forged Land", code: "FRG", kind: "member_state", csrf: stolen! },
      { csrf: false },
    );
    expect(res.status).toBe(403);
    // The administration page too.
    expect((await clients.admin.post("/admin", { intent: "create", title: "Forged conference" }, { csrf: false })).status).toBe(403);
    expect(await snapshot({ db })).toEqual(before);
  });

  it("accepts the same changes with the token (so the refusals above are the token's doing)", async () => {
    const res = await secretariat.post(`/conferences/${conference.id}/delegations`, {
      name: "Genuine Land",
      code: "GEN",
      kind: "member_state",
    });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Delegation Genuine Land (GEN) added.");
  });
});

describe("the administration page", () => {
  it("is only for the deployment administrator", async ({ db }) => {
    for (const who of ["secretariat", "chair", "delegate", "observer", "outsider"] as const) {
      expect((await clients[who].get("/admin")).status, who).toBe(403);
      expect((await clients[who].post("/admin", { intent: "create", title: "Not allowed" })).status, who).toBe(403);
    }
    expect((await clients.admin.get("/admin")).status).toBe(200);
    const [{ n }] = await db.sql`select count(*)::int as n from conferences where title = 'Not allowed'`;
    expect(n).toBe(0);
  });
});
