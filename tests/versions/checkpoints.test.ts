import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type ProposalFixture } from "../support/proposals";
import { startTestServer } from "../support/server";
import { connectSyncedClient, waitFor } from "../support/clients";
import { clauseTexts, deleteInClause, typeInClause } from "../support/statement";
import { acceptedProposal, storedVersions, versionDoc } from "../support/versions";
import { captureVersion } from "../../server/versions/capture";
import { thinCheckpoints } from "../../server/queries/versions";
import { createProposal } from "../support/factories";

/**
 * Automatic checkpoints: one right after every accepted proposal (naming it), and timed ones while
 * the text changes, thinned so that the table does not grow without bound.
 */
let f: ProposalFixture;

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
});

describe("a checkpoint after an accepted proposal", () => {
  it("holds the accepted text and names the proposal", async () => {
    const ids = await f.clauseIds();
    const id = await acceptedProposal(
      f,
      f.people.alice,
      { kind: "replace", clauseId: ids.OP2 },
      "Call upon all States and partners to act;",
    );
    const [v] = await storedVersions(f);
    expect(v).toMatchObject({ kind: "checkpoint", name: null, proposalId: id, createdBy: null });
    const doc = versionDoc(v.state);
    expect(clauseTexts(doc)).toContain("Call upon all States and partners to act;");
    doc.destroy();
    // A rejection changes no text and makes no checkpoint.
    const other = await f.propose(f.people.bruno, { kind: "delete", clauseId: ids.OP3 });
    await f.post(f.people.bruno, `/documents/${f.documentId}/proposals/${other}`, { intent: "submit" });
    await f.post(f.people.chair, `/documents/${f.documentId}/proposals/${other}`, { intent: "reject" });
    expect((await storedVersions(f)).length).toBe(1);
  });
});

describe("timed checkpoints", () => {
  it("are written while the text changes, at most once per interval, and not while it stays the same", async () => {
    // An instance checking every 0.02 minutes (1.2 s).
    const fast = await startTestServer({ databaseUrl: f.db.url, env: { VERSION_CHECKPOINT_MINUTES: "0.02" } });
    const timed = async () => (await storedVersions(f)).filter((v) => v.kind === "checkpoint" && v.proposalId === null);
    const client = await connectSyncedClient(fast.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    typeInClause(client.doc, 0, " FIRST-EDIT");
    await waitFor(async () => (await timed()).length === 1, { what: "a timed checkpoint", timeoutMs: 15_000 });
    const [first] = await timed();
    const firstDoc = versionDoc(first.state);
    expect(clauseTexts(firstDoc)[0]).toContain("FIRST-EDIT");
    firstDoc.destroy();
    // Unchanged for several intervals: nothing new.
    await new Promise((r) => setTimeout(r, 4000));
    expect(await timed()).toHaveLength(1);
    typeInClause(client.doc, 0, " SECOND-EDIT");
    await waitFor(async () => (await timed()).length === 2, { what: "a second timed checkpoint", timeoutMs: 15_000 });
    const [second] = await timed();
    const secondDoc = versionDoc(second.state);
    expect(clauseTexts(secondDoc)[0]).toContain("SECOND-EDIT");
    secondDoc.destroy();
    // A deletion alone (the state vector stays) is a change too.
    deleteInClause(client.doc, 0, clauseTexts(client.doc)[0].indexOf(" SECOND-EDIT"), " SECOND-EDIT".length);
    await waitFor(async () => (await timed()).length === 3, { what: "a checkpoint after a deletion", timeoutMs: 15_000 });
    client.destroy();
    await fast.close();
  });
});

describe("thinning", () => {
  it("keeps the last day, one per hour before it, at most K timed ones, and every named, restore and proposal version", async () => {
    const { documentId } = f;
    await f.db.sql`delete from versions where document_id = ${documentId} and kind = 'checkpoint' and proposal_id is null`;
    const made: { id: string; hoursAgo: number; minute: number }[] = [];
    const timed = async (hoursAgo: number, minute: number) => {
      const v = await f.db.sql.begin((tx) =>
        captureVersion(tx, { documentId, kind: "checkpoint", name: null, createdBy: null, proposalId: null, restoredFrom: null }),
      );
      await f.db
        .sql`update versions set created_at = date_trunc('hour', now()) - make_interval(hours => ${hoursAgo}) + make_interval(mins => ${minute})
                     where id = ${v.id}`;
      made.push({ id: v.id, hoursAgo, minute });
      return v.id;
    };
    // Three an hour, 30 to 33 hours ago; and three in each of the last 3 hours.
    for (const h of [33, 32, 31, 30, 3, 2, 1]) for (const m of [5, 20, 40]) await timed(h, m);
    // A timed checkpoint that a restore brought back stays, whatever its age.
    const restoredOne = made.find((v) => v.hoursAgo === 33 && v.minute === 5)!.id;
    const restore = await f.db.sql.begin((tx) =>
      captureVersion(tx, {
        documentId,
        kind: "restore",
        name: "Restored Checkpoint",
        createdBy: f.people.chair.userId,
        proposalId: null,
        restoredFrom: restoredOne,
      }),
    );
    const named = await f.db.sql.begin((tx) =>
      captureVersion(tx, {
        documentId,
        kind: "named",
        name: "Old revision",
        createdBy: f.people.chair.userId,
        proposalId: null,
        restoredFrom: null,
      }),
    );
    const proposal = await createProposal(f.db.sql, {
      documentId,
      createdBy: f.people.chair.userId,
      kind: "retain",
      clauseId: "x",
      status: "accepted",
    });
    const afterProposal = await f.db.sql.begin((tx) =>
      captureVersion(tx, { documentId, kind: "checkpoint", name: null, createdBy: null, proposalId: proposal.id, restoredFrom: null }),
    );
    await f.db.sql`update versions set created_at = now() - interval '40 hours' where id in ${f.db.sql([
      restore.id,
      named.id,
      afterProposal.id,
    ])}`;

    const removed = await thinCheckpoints(f.db.sql, documentId, 1000);
    const left = new Set((await storedVersions(f)).map((v) => v.id));
    const expected = made.filter((v) => v.hoursAgo < 24 || v.minute === 40 || v.id === restoredOne).map((v) => v.id);
    expect(removed).toBe(made.length - expected.length);
    for (const v of made) expect(left.has(v.id), `${v.hoursAgo}h ago at :${v.minute}`).toBe(expected.includes(v.id));
    for (const id of [restore.id, named.id, afterProposal.id]) expect(left.has(id)).toBe(true);

    // At most K timed ones: the newest.
    await thinCheckpoints(f.db.sql, documentId, 4);
    const after = await storedVersions(f);
    const timedLeft = after.filter((v) => v.kind === "checkpoint" && v.proposalId === null).map((v) => v.id);
    const newest = made.filter((v) => v.hoursAgo === 1).map((v) => v.id);
    expect(new Set(timedLeft)).toEqual(new Set([...newest, made.find((v) => v.hoursAgo === 2 && v.minute === 40)!.id, restoredOne]));
    expect(after.map((v) => v.id)).toEqual(expect.arrayContaining([restore.id, named.id, afterProposal.id]));
  });
});
