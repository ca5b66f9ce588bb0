import { randomUUID } from "node:crypto";
import * as Y from "yjs";
import { describe, expect, it } from "../support/fixtures";
import { createProposalFixture, type ProposalFixture } from "../support/proposals";
import { connectSyncedClient, waitFor } from "../support/clients";
import { clauseElements, clauseTexts, statementFragment } from "../support/statement";
import { zipText } from "../support/zip";
import { acceptedProposal, saveRevision } from "../support/versions";
import { pageText } from "../support/http";

/**
 * The redline between two versions: clauses added, deleted, moved (old and new numbers) and
 * changed word by word, unchanged ones folded, each change with the proposal (and delegation) it
 * came from; and the same as Word tracked changes.
 */
let f: ProposalFixture;
let rev1: string;
let rev2: string;
let ids: Record<string, string>;

/** Moves a clause to the end of the preamble, as the editor does: a new element with the same id, the old one deleted. */
function moveToPreamble(doc: Y.Doc, index: number) {
  const el = clauseElements(doc)[index];
  const text = clauseTexts(doc)[index];
  doc.transact(() => {
    const moved = new Y.XmlElement("clause");
    moved.setAttribute("id", el.getAttribute("id")!);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(text)]);
    moved.insert(0, [paragraph]);
    const preamble = statementFragment(doc)
      .toArray()
      .find((n) => n instanceof Y.XmlElement && n.nodeName === "preamble") as Y.XmlElement;
    preamble.insert(preamble.length, [moved]);
    const part = el.parent as Y.XmlElement;
    part.delete(part.toArray().indexOf(el), 1);
  });
}

it.beforeAll(async ({ db, server }) => {
  f = await createProposalFixture({ db, server });
  ids = await f.clauseIds();
  rev1 = await saveRevision(f, f.people.chair, "Rev.1");
  await acceptedProposal(
    f,
    f.people.alice,
    { kind: "replace", clauseId: ids.OP2 },
    "Call upon all States and donors to integrate demining into recovery frameworks;",
  );
  await acceptedProposal(f, f.people.bruno, { kind: "add", clauseId: ids.OP1 }, "Welcome the offer of the host country;");
  await acceptedProposal(f, f.people.bruno, { kind: "delete", clauseId: ids.OP3 });
  const chair = await connectSyncedClient(f.server.wsUrl, f.documentId, { cookie: f.people.chair.cookie });
  moveToPreamble(chair.doc, 1);
  await waitFor(() => chair.isSaved(), { what: "the move to be saved" });
  chair.destroy();
  rev2 = await saveRevision(f, f.people.chair, "Rev.2");
});

const get = (path: string, cookie: string) => fetch(`${f.server.url}${path}`, { headers: { cookie }, redirect: "manual" });

/** Each clause entry of a redline page: its id, change and text. */
function entries(html: string) {
  return [...html.matchAll(/<li class="redline-clause ([^"]*)" data-clause-id="([^"]+)" data-change="(\w+)">(.*?)<\/li>/gs)].map((m) => ({
    classes: m[1],
    id: m[2],
    change: m[3],
    html: m[4],
    text: pageText(m[4]),
  }));
}

describe("the redline page", () => {
  it("shows added, deleted, moved and changed clauses, folds the unchanged ones, and names the proposal behind each change", async () => {
    const res = await get(`/documents/${f.documentId}/redline?from=${rev1}&to=${rev2}`, f.people.observer.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    const byId = Object.fromEntries(entries(html).map((e) => [e.id, e]));

    expect(byId[ids.OP2].change).toBe("changed");
    expect(byId[ids.OP2].html).toMatch(/<ins>.*donors/s);
    expect(byId[ids.OP2].html).toContain('data-proposal="P1"');
    expect(byId[ids.OP2].text).toContain("Norway");

    const added = Object.values(byId).find((e) => e.change === "added")!;
    expect(added.text).toContain("Welcome the offer of the host country");
    expect(added.html).toContain('data-proposal="P2"');
    expect(added.text).toContain("Brazil");

    expect(byId[ids.OP3].change).toBe("deleted");
    expect(byId[ids.OP3].text).toContain("Deleted (was OP3)");
    expect(byId[ids.OP3].html).toContain('data-proposal="P3"');

    expect(byId[ids.OP1].classes).toContain("moved");
    expect(byId[ids.OP1].text).toContain("Moved from OP1 to PP2");
    // The chair moved it in the editor: no proposal to name.
    expect(byId[ids.OP1].html).not.toContain("data-proposal");

    // PP1 did not change: folded away.
    expect(html).toMatch(
      /<details><summary>1(<!-- -->)? unchanged clause(<!-- -->)?<\/summary><ol class="redline-list"><li class="redline-clause change-unchanged" data-clause-id="[^"]+" data-change="unchanged">/,
    );
    expect(pageText(html)).toContain("Rev.1");
  });

  it("takes the current text as either side, and answers 404 for a forged version or an outsider", async () => {
    const current = await get(`/documents/${f.documentId}/redline?from=current&to=${rev1}`, f.people.alice.cookie);
    expect(current.status).toBe(200);
    expect(pageText(await current.text())).toContain("Current text");
    expect((await get(`/documents/${f.documentId}/redline?from=${randomUUID()}&to=current`, f.people.chair.cookie)).status).toBe(404);
    expect((await get(`/documents/${f.other.documentId}/redline?from=${rev1}&to=current`, f.other.chair.cookie)).status).toBe(404);
    expect((await get(`/documents/${f.documentId}/redline?from=${rev1}&to=current`, f.people.outsider.cookie)).status).toBe(404);
  });
});

describe("the redline as Word", () => {
  it("has tracked insertions and deletions, and a file name with both versions", async () => {
    const res = await get(`/documents/${f.documentId}/export?format=redline&from=${rev1}&to=current`, f.people.chair.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/_rev-1-to-current-text_redline\.docx"/);
    const xml = await zipText(Buffer.from(await res.arrayBuffer()), "word/document.xml");
    // Each change is authored by the delegation whose accepted proposal made it.
    expect(xml).toMatch(/<w:ins [^>]*w:author="Norway"[^>]*><w:r><w:t[^>]*>[^<]*donors/);
    expect(xml).not.toContain('w:author="Concord"');
    expect(xml).toMatch(/<w:del [^>]*>.*?<w:delText[^>]*>[^<]*<\/w:delText>/s);
    expect(xml).toContain("moved from OP1");
    // Delegations download what the history shows them, redlines included.
    expect((await get(`/documents/${f.documentId}/export?format=redline&from=${rev1}&to=${rev2}`, f.people.alice.cookie)).status).toBe(200);
    expect((await get(`/documents/${f.documentId}/export?format=redline&from=nope&to=${rev2}`, f.people.chair.cookie)).status).toBe(404);
  });
});
