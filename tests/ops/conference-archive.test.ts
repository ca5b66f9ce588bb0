import { createHash } from "node:crypto";
import JSZip from "jszip";
import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type ProposalFixture } from "../support/proposals";
import { acceptedProposal, saveRevision } from "../support/versions";
import { wordParagraphs } from "../support/zip";
import { entriesOf } from "../support/audit";
import { validateAkn } from "../export/akn-schema";
import { findProposal } from "../../server/queries/proposals";

/**
 * The conference archive the secretariat downloads for the records: every file it names is in it
 * with the SHA-256 it gives, the negotiation's record is complete, and delegations' drafts stay out.
 */

let f: ProposalFixture;
let accepted: number;
let rejected: number;
let draft: number;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  const clauses = await f.clauseIds();
  const acceptedId = await acceptedProposal(
    f,
    f.people.alice,
    { kind: "replace", clauseId: clauses.OP2 },
    "Call upon all States and partners to act now;",
  );
  accepted = (await findProposal(db.sql, f.documentId, acceptedId))!.number;
  const rejectedId = await f.propose(f.people.bruno, { kind: "delete", clauseId: clauses.OP3 });
  const page = `/documents/${f.documentId}/proposals/${rejectedId}`;
  expect((await f.post(f.people.bruno, page, { intent: "submit" })).status).toBe(200);
  expect((await f.post(f.people.chair, page, { intent: "reject", reason: "No support in the room." })).status).toBe(200);
  rejected = (await findProposal(db.sql, f.documentId, rejectedId))!.number;
  // Anna's delegation's draft, never tabled: theirs alone.
  draft = (await findProposal(db.sql, f.documentId, await f.propose(f.people.anna, { kind: "delete", clauseId: clauses.OP1 })))!.number;
  await saveRevision(f, f.people.chair, "Rev.1 for the plenary");
  const explained = await f.post(f.people.bruno, `/documents/${f.documentId}/explanation`, {
    intent: "file",
    text: "Our delegation joins the consensus with a reservation on OP2.",
    reservation: "on",
  });
  expect(explained.status).toBe(200);
  expect(
    (await f.post(f.people.chair, `/documents/${f.documentId}/adoption`, { meeting: "its 4th plenary meeting", timeZone: "UTC" })).status,
  ).toBe(200);
});

const archiveUrl = () => `${f.server.url}/conferences/${f.conferenceId}/archive`;

describe("the conference archive", () => {
  it("is the secretariat's alone", async () => {
    for (const who of [f.people.chair, f.people.alice, f.people.observer]) {
      expect((await fetch(archiveUrl(), { headers: { cookie: who.cookie } })).status).toBe(403);
    }
    expect((await fetch(archiveUrl(), { headers: { cookie: f.people.outsider.cookie } })).status).toBe(404);
    expect((await fetch(archiveUrl(), { redirect: "manual" })).status).toBe(302);
  });

  it("holds every revision in Word, PDF and Akoma Ntoso, the compilation at adoption, proposals, explanations and the audit log, each with its SHA-256", async ({
    db,
  }) => {
    const res = await fetch(archiveUrl(), { headers: { cookie: f.people.secretariat.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="[\w-]+_archive_\d{4}-\d\d-\d\d\.zip"/);
    const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
    const read = (path: string) => zip.file(path)!.async("nodebuffer");

    const manifest = JSON.parse(await zip.file("manifest.json")!.async("string")) as {
      conference: { id: string };
      statements: { folder: string; adoptedAt: string | null }[];
      files: { path: string; bytes: number; sha256: string }[];
    };
    expect(manifest.conference.id).toBe(f.conferenceId);
    const listed = manifest.files.map((file) => file.path).sort();
    expect(listed).toEqual(
      Object.keys(zip.files)
        .filter((p) => !zip.files[p].dir && p !== "manifest.json" && p !== "SHA256SUMS")
        .sort(),
    );
    for (const file of manifest.files) {
      const body = await read(file.path);
      expect({ path: file.path, bytes: body.length, sha256: createHash("sha256").update(body).digest("hex") }).toEqual(file);
    }
    const sums = (await zip.file("SHA256SUMS")!.async("string")).trim().split("\n");
    expect(sums).toEqual(manifest.files.map((file) => `${file.sha256}  ${file.path}`));

    const [{ folder, adoptedAt }] = manifest.statements;
    expect(adoptedAt).not.toBeNull();
    const revisions = listed.filter((p) => p.startsWith(`${folder}/revisions/`));
    // The named revision and the adopted text, each in three formats.
    expect(revisions.map((p) => p.slice(p.lastIndexOf("."))).sort()).toEqual([".docx", ".docx", ".pdf", ".pdf", ".xml", ".xml"]);
    const [named, adopted] = [
      revisions.filter((p) => p.includes("_rev-1-for-the-plenary_clean.")),
      revisions.filter((p) => p.includes("_adopted-text_clean.")),
    ];
    expect(named).toHaveLength(3);
    expect(adopted).toHaveLength(3);
    for (const path of revisions.filter((p) => p.endsWith(".docx"))) {
      const body = wordParagraphs(await (await JSZip.loadAsync(await read(path))).file("word/document.xml")!.async("string")).join("\n");
      expect(body).toContain("Call upon all States and partners to act now;");
    }
    const adoptedDocx = wordParagraphs(
      await (await JSZip.loadAsync(await read(adopted.find((p) => p.endsWith(".docx"))!))).file("word/document.xml")!.async("string"),
    ).join("\n");
    expect(adoptedDocx).toMatch(/Adopted by consensus at its 4th plenary meeting/);
    for (const path of revisions.filter((p) => p.endsWith(".pdf"))) expect((await read(path)).subarray(0, 5).toString()).toBe("%PDF-");
    for (const path of revisions.filter((p) => p.endsWith(".xml"))) {
      const checked = await validateAkn((await read(path)).toString("utf8"));
      expect(checked.ok, checked.output).toBe(true);
    }

    const compilation = wordParagraphs(
      await (await JSZip.loadAsync(await read(`${folder}/compilation-at-adoption.docx`))).file("word/document.xml")!.async("string"),
    );
    expect(compilation.join("\n")).toContain("Call upon all States and partners to act now;");

    const proposals = JSON.parse((await read(`${folder}/proposals.json`)).toString("utf8")) as {
      number: string;
      status: string;
      decisionReason: string | null;
      revisions: { text: string }[];
      history: { kind: string }[];
    }[];
    expect(proposals.map((p) => p.number)).toEqual([`P${accepted}`, `P${rejected}`]);
    expect(proposals.map((p) => p.number)).not.toContain(`P${draft}`);
    expect(proposals[0]).toMatchObject({ status: "accepted", revisions: [{ text: "Call upon all States and partners to act now;" }] });
    expect(proposals[0].history.map((h) => h.kind)).toEqual(expect.arrayContaining(["submitted", "accepted"]));
    expect(proposals[1]).toMatchObject({ status: "rejected", decisionReason: "No support in the room." });

    const explanations = JSON.parse((await read(`${folder}/explanations-of-position.json`)).toString("utf8")) as {
      revisions: { text: string; reservation: boolean }[];
    }[];
    expect(explanations).toHaveLength(1);
    expect(explanations[0].revisions).toMatchObject([
      { text: "Our delegation joins the consensus with a reservation on OP2.", reservation: true },
    ]);

    // The log ends with this very download, which is recorded before the archive is built.
    const log = (await read("audit-log.jsonl"))
      .toString("utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { seq: number; action: string; subject: { what?: string } });
    expect(log.map((e) => e.seq)).toEqual(log.map((_, i) => i + 1));
    expect(log.at(-1)).toMatchObject({ action: "export.downloaded", subject: { what: "conference archive" } });
    const downloads = await entriesOf(db.sql, f.conferenceId, "export.downloaded");
    expect(downloads.filter((e) => (e.subject as { what?: string }).what === "conference archive")).toHaveLength(1);
  });
});
