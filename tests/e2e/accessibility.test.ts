import { describe, expect, it, type OpenPage } from "../support/fixtures";
import { axeViolations } from "../support/axe";
import { createRevision } from "../../server/versions/capture";
import { appendAudit } from "../../server/audit/log";
import { createSignedInPerson, createStatement } from "../support/factories";

let fixture: { documentId: string; conferenceId: string; cookie: string };

it.beforeAll(async ({ db }) => {
  fixture = await createStatement(db.sql);
});

const open = (openPage: OpenPage, path: string, cookie: string | null, width = 1280) =>
  openPage(path, cookie, { viewport: { width, height: 900 } });

describe("pages meet WCAG 2.1 AA as axe-core checks it", () => {
  it("the sign-in page, also with an error shown", async ({ openPage }) => {
    const page = await open(openPage, "/login", null);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("E-mail").fill("nobody@example.org");
    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("The e-mail address or password is incorrect.").waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the statement editor of a chair, on a desktop and on a tablet", async ({ openPage }) => {
    for (const width of [1280, 820]) {
      const page = await open(openPage, `/documents/${fixture.documentId}`, fixture.cookie, width);
      await page.locator('.connection-badge[data-connection="connected"]').waitFor();
      await page.locator(".outline-item").first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
    }
  });

  it("the statement as a delegate reads it", async ({ db, openPage }) => {
    const delegate = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
    const page = await open(openPage, `/documents/${fixture.documentId}`, delegate.cookie);
    await page.locator('.connection-badge[data-connection="connected"]').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it("the secretariat's conference, delegations and people pages", async ({ db, openPage }) => {
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    for (const path of ["", "/delegations", "/people"]) {
      const page = await open(openPage, `/conferences/${fixture.conferenceId}${path}`, secretariat.cookie);
      expect(await axeViolations(page), path || "/").toEqual([]);
    }
  });
  it("the history, a version, a redline and the import page", async ({ db, openPage }) => {
    const [{ userId }] = await db.sql<{ userId: string }[]>`
      select user_id as "userId" from memberships where conference_id = ${fixture.conferenceId} and role = 'chair' limit 1`;
    const chair = { userId, role: "chair" as const, delegationId: null, isChair: true, negotiates: false, mayPropose: false };
    const rev = await createRevision(db.sql, chair, { documentId: fixture.documentId, name: "Rev.1" });
    const base = `/documents/${fixture.documentId}`;
    for (const path of [`${base}/history`, `${base}/versions/${rev.id}`, `${base}/redline?from=${rev.id}&to=current`]) {
      const page = await open(openPage, path, fixture.cookie);
      expect(await axeViolations(page), path).toEqual([]);
    }
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    expect(await axeViolations(await open(openPage, `/conferences/${fixture.conferenceId}/import`, secretariat.cookie))).toEqual([]);
  });

  it("the secretariat's audit trail, with entries and a verification", async ({ db, openPage }) => {
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" });
    await db.sql.begin((tx) =>
      appendAudit(tx, {
        documentId: fixture.documentId,
        actorId: secretariat.id,
        action: "clause_state.set",
        subject: { clause: "OP1", state: "agreed", reason: "Agreed." },
      }),
    );
    const page = await open(openPage, `/conferences/${fixture.conferenceId}/audit?verify=1`, secretariat.cookie);
    await page.getByText("The chain is intact").waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });
});
