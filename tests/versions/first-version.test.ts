import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type Person, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { clauseTexts, typeInClause } from "../support/statement";
import { versionDoc } from "../support/versions";
import { seedDemo } from "../../server/seed/demo";

/**
 * Every statement starts with its first version, so the zero draft can be redlined against like
 * any revision: created by the secretariat ("Zero draft"), imported (named after the import), or
 * seeded.
 */
let f: ProposalFixture;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
});

const versionsOf = (documentId: string) =>
  f.db.sql<{ id: string; number: number; kind: string; name: string | null; createdBy: string | null; state: Buffer }[]>`
    select id, number, kind, name, created_by as "createdBy", state from versions where document_id = ${documentId} order by number`;

/** The statement a creation form led to. */
function createdId(res: Response): string {
  expect(res.status).toBe(302);
  return /\/documents\/([0-9a-f-]+)$/.exec(res.headers.get("location") ?? "")![1];
}

/** Edits a statement as the chair, then redlines it against its first version; returns the redline page. */
async function redlineAfterEditing(documentId: string, firstVersionId: string, chair: Person): Promise<string> {
  const client = await connectSyncedClient(f.server.wsUrl, documentId, { cookie: chair.cookie });
  typeInClause(client.doc, 0, " AMENDED LATER");
  await waitFor(() => client.isSaved(), { what: "the edit to be saved" });
  client.destroy();
  const res = await fetch(`${f.server.url}/documents/${documentId}/redline?from=${firstVersionId}&to=current`, {
    headers: { cookie: chair.cookie },
  });
  expect(res.status).toBe(200);
  return res.text();
}

describe("a statement's first version", () => {
  it("is “Zero draft” for a statement the secretariat creates, holding its text, and can be redlined against", async () => {
    const documentId = createdId(await f.post(f.people.secretariat, `/conferences/${f.conferenceId}`, { title: "Outcome document" }));
    const versions = await versionsOf(documentId);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ number: 1, kind: "named", name: "Zero draft", createdBy: f.people.secretariat.userId });
    const [{ n: audited }] = await f.db.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where document_id = ${documentId} and action = 'version.created' and subject->>'name' = 'Zero draft'`;
    expect(audited).toBe(1);

    const history = await (
      await fetch(`${f.server.url}/documents/${documentId}/history`, { headers: { cookie: f.people.observer.cookie } })
    ).text();
    expect(history).toContain('data-version="Zero draft"');
    const redline = await redlineAfterEditing(documentId, versions[0].id, f.people.chair);
    expect(redline).toContain("AMENDED LATER");
  });

  it("is named after the import for an imported statement, and holds the imported text", async () => {
    const statement = JSON.stringify({
      title: "Imported",
      preamble: [{ runs: [{ text: "Recalling the Ottawa Convention," }], items: [] }],
      operative: [{ runs: [{ text: "Welcome the progress made in mine clearance;" }], items: [] }],
    });
    const res = await f.post(f.people.secretariat, `/conferences/${f.conferenceId}/import`, {
      intent: "create",
      title: "Baku Declaration draft",
      statement,
    });
    const documentId = createdId(res);
    const versions = await versionsOf(documentId);
    expect(versions.map((v) => v.name)).toEqual(["Baku Declaration draft"]);
    const doc = versionDoc(versions[0].state);
    expect(clauseTexts(doc)).toEqual(["Recalling the Ottawa Convention,", "Welcome the progress made in mine clearance;"]);
    doc.destroy();
    const redline = await redlineAfterEditing(documentId, versions[0].id, f.people.chair);
    expect(redline).toContain("AMENDED LATER");
  });

  it("is “Zero draft” for the demo statement, seeded by the system", async () => {
    const { conference } = await seedDemo(f.db.sql, { password: "demo-password-for-tests", log: () => {} });
    const [document] = await f.db.sql<
      { id: string }[]
    >`select id from documents where conference_id = ${conference.id} and kind = 'statement'`;
    const versions = await versionsOf(document.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ kind: "named", name: "Zero draft", createdBy: null });
    const doc = versionDoc(versions[0].state);
    expect(clauseTexts(doc).length).toBeGreaterThan(5);
    doc.destroy();
  });
});
