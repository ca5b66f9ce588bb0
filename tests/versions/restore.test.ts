import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, startTyping, waitFor, waitForConvergence, type TestClient } from "../support/clients";
import { clauseTexts, statementFragment, storedDoc, typeInClause } from "../support/statement";
import { saveRevision, storedVersions, versionDoc } from "../support/versions";
import { currentClauseStates } from "../../server/queries/clause-states";
import { restoreConfirmation } from "../../app/statement/restore-names";

/**
 * The chair restores a version: a new change on top (history kept), live for everyone present,
 * clause states back as they were, refused while the text is locked; the text it replaces is kept
 * as a version; and it merges with typing going on at the same moment.
 */
let f: ProposalFixture;
let ids: Record<string, string>;
let rev1: string;
let rev1Texts: string[];

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  ids = await f.clauseIds();
  await f.db
    .sql`insert into clause_states (document_id, clause_id, state, user_id) values (${f.documentId}, ${ids.OP1}, 'agreed_ad_ref', ${f.people.chair.userId})`;
  rev1 = await saveRevision(f, f.people.chair, "Rev.1");
  const [v] = await storedVersions(f);
  const doc = versionDoc(v.state);
  rev1Texts = clauseTexts(doc);
  doc.destroy();
});

const history = () => `/documents/${f.documentId}/history`;
const restore = (who = f.people.chair, versionId = rev1) =>
  f.post(who, history(), { intent: "restore", versionId, confirm: restoreConfirmation });

describe("restoring a version", () => {
  it("brings its text back live for everyone connected, restores clause states, and records a restore version on top", async () => {
    const observer = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.observer.cookie });
    const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    typeInClause(chair.doc, 3, " AFTER REV1");
    await waitFor(() => chair.isSaved(), { what: "the edit to be saved" });
    await f.db
      .sql`insert into clause_states (document_id, clause_id, state, user_id) values (${f.documentId}, ${ids.OP1}, 'open', ${f.people.chair.userId}),
                   (${f.documentId}, ${ids.OP3}, 'agreed', ${f.people.chair.userId})`;
    const before = (await storedVersions(f)).length;

    const res = await restore();
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Restored Rev.1");
    await waitFor(() => clauseTexts(observer.doc)[3] === rev1Texts[3], { what: "the restored text to reach the observer" });
    expect(clauseTexts(observer.doc)).toEqual(rev1Texts);
    const stored = await storedDoc(f.db.sql, f.documentId);
    expect(clauseTexts(stored)).toEqual(rev1Texts);
    stored.destroy();

    const states = await currentClauseStates(f.db.sql, f.documentId);
    expect(states.get(ids.OP1)).toBe("agreed_ad_ref");
    expect(states.get(ids.OP3)).toBe("open");

    const versions = await storedVersions(f);
    expect(versions).toHaveLength(before + 2);
    expect(versions[0]).toMatchObject({ kind: "restore", name: "Restored Rev.1", restoredFrom: rev1, createdBy: f.people.chair.userId });
    const restoredDoc = versionDoc(versions[0].state);
    expect(clauseTexts(restoredDoc)).toEqual(rev1Texts);
    restoredDoc.destroy();
    // History is never rewritten: the versions before are all still there.
    expect(versions.map((v) => v.id)).toContain(rev1);
    const page = await (await fetch(`${f.server.url}${history()}`, { headers: { cookie: f.people.observer.cookie } })).text();
    expect(page).toContain('data-version="Restored Rev.1"');
    expect(page).toContain('data-version="Before restoring Rev.1"');
    observer.destroy();
    chair.destroy();
  });

  it("keeps the text it replaces as a version, “Before restoring …”, with the clause states it had", async () => {
    const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    typeInClause(chair.doc, 2, " WRITTEN SINCE");
    await waitFor(() => chair.isSaved(), { what: "the edit to be saved" });
    await f.db
      .sql`insert into clause_states (document_id, clause_id, state, user_id) values (${f.documentId}, ${ids.OP2}, 'under_negotiation', ${f.people.chair.userId})`;
    const replaced = clauseTexts(chair.doc);
    expect(replaced[2]).toContain("WRITTEN SINCE");

    const res = await restore();
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Before restoring Rev.1");
    const [restored, kept] = await storedVersions(f);
    expect(restored).toMatchObject({ kind: "restore", name: "Restored Rev.1" });
    expect(kept).toMatchObject({ kind: "named", name: "Before restoring Rev.1", createdBy: f.people.chair.userId, restoredFrom: null });
    const keptDoc = versionDoc(kept.state);
    expect(clauseTexts(keptDoc)).toEqual(replaced);
    keptDoc.destroy();
    expect(kept.clauseStates[ids.OP2]).toBe("under_negotiation");
    // The words written since Rev.1 are gone from the text, and can be redlined back from the kept version.
    await waitFor(() => !clauseTexts(chair.doc)[2].includes("WRITTEN SINCE"), { what: "the restore to arrive" });
    const redline = await fetch(`${f.server.url}/documents/${f.documentId}/redline?from=${kept.id}&to=current`, {
      headers: { cookie: f.people.chair.cookie },
    });
    expect(redline.status).toBe(200);
    expect(await redline.text()).toContain("WRITTEN SINCE");
    chair.destroy();
  });

  it("is not done without the chair's confirmation: refused (400), nothing changes", async () => {
    const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    typeInClause(chair.doc, 1, " UNCONFIRMED");
    await waitFor(() => chair.isSaved(), { what: "the edit to be saved" });
    const before = await storedVersions(f);
    const unconfirmed: Record<string, string>[] = [
      { intent: "restore", versionId: rev1 },
      { intent: "restore", versionId: rev1, confirm: "yes" },
    ];
    for (const fields of unconfirmed) {
      const res = await f.post(f.people.chair, history(), fields);
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("Confirm the restore");
    }
    expect((await storedVersions(f)).map((v) => v.id)).toEqual(before.map((v) => v.id));
    const stored = await storedDoc(f.db.sql, f.documentId);
    expect(clauseTexts(stored)[1]).toContain("UNCONFIRMED");
    stored.destroy();
    chair.destroy();
  });

  it("is the chair's alone, and refused (409) while a silence procedure runs or once the text is adopted", async () => {
    expect((await restore(f.people.alice)).status).toBe(403);
    expect((await restore(f.people.secretariat)).status).toBe(403);
    expect((await restore(f.people.observer)).status).toBe(403);
    expect((await restore(f.people.outsider)).status).toBe(404);
    expect((await restore(f.people.chair, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const [silence] = await f.db.sql<{ id: string }[]>`
      insert into silence_procedures (document_id, opened_by, deadline, time_zone)
      values (${f.documentId}, ${f.people.chair.userId}, now() + interval '1 day', 'UTC') returning id`;
    const locked = await restore();
    expect(locked.status).toBe(409);
    expect(await locked.text()).toContain("silence procedure");
    await f.db.sql`update silence_procedures set status = 'cancelled', closed_at = now() where id = ${silence.id}`;
    await f.db.sql`update documents set adopted_at = now() where id = ${f.documentId}`;
    expect((await restore()).status).toBe(409);
    await f.db.sql`update documents set adopted_at = null where id = ${f.documentId}`;
  });
});

describe("restoring under concurrent editing", () => {
  it("converges for everyone with the restored text, and keeps every word typed after the restore", async () => {
    const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
    const secretariat = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.secretariat.cookie });
    const observer = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.observer.cookie });
    // Rev.1's OP3 changed since: the restore must bring it back.
    typeInClause(chair.doc, 3, " DRIFT");
    await waitFor(() => chair.isSaved(), { what: "the drift to be saved" });

    const a = startTyping(chair.doc, { clause: 0, tag: "a", everyMs: 15 });
    const b = startTyping(secretariat.doc, { clause: 2, tag: "b", everyMs: 15 });
    await new Promise((r) => setTimeout(r, 400));
    const res = await restore();
    expect(res.status).toBe(200);
    const [typedA, typedB] = [a.words.length, b.words.length];
    await new Promise((r) => setTimeout(r, 600));
    const wordsA = a.stop();
    const wordsB = b.stop();
    expect(wordsA.length).toBeGreaterThan(typedA);
    expect(wordsB.length).toBeGreaterThan(typedB);

    const clients: TestClient[] = [chair, secretariat, observer];
    await waitForConvergence(clients);
    const texts = clauseTexts(observer.doc);
    expect(texts[3]).toBe(rev1Texts[3]);
    expect(texts[1]).toBe(rev1Texts[1]);
    for (const w of wordsA.slice(typedA)) expect(texts[0]).toContain(w);
    for (const w of wordsB.slice(typedB)) expect(texts[2]).toContain(w);
    // No word is lost: what the restore took out of the text is in the version it kept.
    const [, kept] = await storedVersions(f);
    const keptTexts = clauseTexts(versionDoc(kept.state));
    expect(kept.name).toBe("Before restoring Rev.1");
    for (const w of wordsA) expect(`${keptTexts[0]} ${texts[0]}`).toContain(w);
    for (const w of wordsB) expect(`${keptTexts[2]} ${texts[2]}`).toContain(w);
    // The database has what everyone sees.
    const stored = await storedDoc(f.db.sql, f.documentId);
    expect(statementFragment(stored).toJSON()).toBe(statementFragment(observer.doc).toJSON());
    stored.destroy();
    // Still serving.
    expect((await fetch(`${f.server.url}${history()}`, { headers: { cookie: f.people.chair.cookie } })).status).toBe(200);
    for (const c of clients) c.destroy();
  });
});
