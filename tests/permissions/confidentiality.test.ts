import { extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { createClauseState, createProposal, createSignedInPerson, createStatement, type SignedInPerson } from "../support/factories";
import { csrfTokenFor } from "../support/http";
import { entriesOf, lastSeq } from "../support/audit";
import { zipText } from "../support/zip";
import { openEventStream } from "../support/event-stream";
import { openRawSocket } from "../support/raw-socket";
import { waitFor } from "../support/wait";
import { readStatement } from "../../server/negotiation/numbering";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { findConference, setConfidentiality } from "../../server/queries/conferences";
import { closeCodes } from "../../app/statement/protocol";

/**
 * Confidentiality and delegations' downloads, end to end through the real server: delegates take
 * the draft home (Word and PDF, read back), observers download what their mode lets them see, the
 * secretariat sets the mode (audited) and open streams and connections follow at once.
 */
let f: {
  documentId: string;
  conferenceId: string;
  chair: string;
  delegate: SignedInPerson;
  observer: SignedInPerson;
  secretariat: SignedInPerson;
  /** OP1, under a submitted proposal to replace it (bracketed in a draft, for those who see the negotiation). */
  proposed: string;
  /** OP2, marked under negotiation by the chair (bracketed in every draft). */
  underNegotiation: string;
};

it.beforeAll(async ({ db }) => {
  const fixture = await createStatement(db.sql);
  const delegate = await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "delegate" });
  const { ydoc, clauses } = await readStatement(db.sql, fixture.documentId);
  ydoc.destroy();
  const clause = (label: string) => clauses.find((c) => c.label === label)!;
  await createProposal(db.sql, {
    documentId: fixture.documentId,
    createdBy: delegate.id,
    delegationId: delegate.delegationId,
    clauseId: clause("OP1").id,
    text: "Replacement words",
  });
  await createClauseState(db.sql, { documentId: fixture.documentId, clauseId: clause("OP2").id!, state: "under_negotiation" });
  f = {
    documentId: fixture.documentId,
    conferenceId: fixture.conferenceId,
    chair: fixture.cookie,
    delegate,
    observer: await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "observer" }),
    secretariat: await createSignedInPerson(db.sql, { conferenceId: fixture.conferenceId, role: "secretariat" }),
    proposed: clause("OP1").text,
    underNegotiation: clause("OP2").text,
  };
});

const get = ({ server }: Pick<FileFixtures, "server">, cookie: string, path: string) =>
  fetch(`${server.url}${path}`, { headers: { cookie }, redirect: "manual" });
const exportPath = (query: string) => `/documents/${f.documentId}/export?${query}`;
/** The Markdown line of a clause, found by a few of its words (past its opening phrase, which is in italics). */
const lineOf = (md: string, text: string) => md.split("\n").find((l) => l.includes(text.split(" ").slice(3, 7).join(" ")))!;

describe("a delegation takes the draft home", () => {
  it("downloads the current text as Word, clean and as a draft with its watermark, each download audited", async ({ db, server }) => {
    const before = await lastSeq(db.sql, f.conferenceId);
    const draft = await get({ server }, f.delegate.cookie, exportPath("format=docx&draft=1"));
    expect(draft.status).toBe(200);
    expect(draft.headers.get("content-disposition")).toContain("_draft.docx");
    const draftFile = Buffer.from(await draft.arrayBuffer());
    expect(await zipText(draftFile, "word/header1.xml")).toContain('string="DRAFT"');
    expect(await zipText(draftFile, "word/document.xml")).toContain("Reaffirm");
    const clean = Buffer.from(await (await get({ server }, f.delegate.cookie, exportPath("format=docx"))).arrayBuffer());
    expect(await zipText(clean, "word/document.xml")).not.toContain("DRAFT");

    const entries = await entriesOf(db.sql, f.conferenceId, "export.downloaded", before);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({ actorId: f.delegate.id, actorRole: "delegate", documentId: f.documentId });
    expect(entries[0].subject).toMatchObject({ format: "docx", draft: true, version: "current" });
    expect(entries[1].subject).toMatchObject({ format: "docx", draft: false });
  });

  it("downloads the draft as PDF, DRAFT on every page, audited", async ({ db, server }) => {
    const before = await lastSeq(db.sql, f.conferenceId);
    const res = await get({ server }, f.delegate.cookie, exportPath("format=pdf&draft=1"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = await getDocumentProxy(new Uint8Array(await res.arrayBuffer()));
    const { text } = await extractText(pdf, { mergePages: false });
    for (const page of text) expect(page).toMatch(/DRAFT/);
    expect(text.join(" ").replace(/\s+/g, " ")).toContain("Reaffirm");
    const [entry] = await entriesOf(db.sql, f.conferenceId, "export.downloaded", before);
    expect(entry).toMatchObject({ actorRole: "delegate" });
    expect(entry.subject).toMatchObject({ format: "pdf", draft: true });
  });

  it("sees the draft's brackets from proposals and clause states alike", async ({ server }) => {
    const md = await (await get({ server }, f.delegate.cookie, exportPath("format=md&draft=1"))).text();
    expect(lineOf(md, f.proposed)).toMatch(/\[.*\]/);
    expect(lineOf(md, f.underNegotiation)).toMatch(/\[.*\]/);
  });
});

describe("observers, by the conference's confidentiality", () => {
  it("standard: the draft without the brackets proposals make, and no compilation", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "standard");
    const res = await get({ server }, f.observer.cookie, exportPath("format=md&draft=1"));
    expect(res.status).toBe(200);
    const md = await res.text();
    expect(lineOf(md, f.proposed)).not.toContain("[");
    expect(lineOf(md, f.underNegotiation)).toMatch(/\[.*\]/);
    const compilation = await get({ server }, f.observer.cookie, exportPath("format=compilation"));
    expect(compilation.status).toBe(403);
    expect(await compilation.text()).toBe("Observers of this conference see the base text and its versions only, not the negotiation.");
  });

  it("standard: no rolling text, and explanations of position only once the text is adopted", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "standard");
    const rollingPage = (cookie: string) => get({ server }, cookie, `/documents/${f.documentId}?view=rolling`).then((r) => r.text());
    expect(await rollingPage(f.delegate.cookie)).toContain("Replacement words");
    const observerPage = await rollingPage(f.observer.cookie);
    expect(observerPage).not.toContain("Replacement words");
    expect(observerPage).not.toContain("Rolling text");
    expect((await get({ server }, f.observer.cookie, exportPath("format=docx&rolling=1"))).status).toBe(403);

    const explanations = () => get({ server }, f.observer.cookie, `/documents/${f.documentId}/explanations`);
    expect((await explanations()).status).toBe(403);
    await db.sql`update documents set adopted_at = now() where id = ${f.documentId}`;
    try {
      expect((await explanations()).status).toBe(200);
    } finally {
      await db.sql`update documents set adopted_at = null where id = ${f.documentId}`;
    }
  });

  it("open: the draft as delegations have it", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "open");
    const md = await (await get({ server }, f.observer.cookie, exportPath("format=md&draft=1"))).text();
    expect(lineOf(md, f.proposed)).toMatch(/\[.*\]/);
    expect((await get({ server }, f.observer.cookie, exportPath("format=compilation"))).status).toBe(200);
  });

  it("closed: refused everywhere with a clear message, while delegations work as usual", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "closed");
    const message = "This conference is in closed session (informal consultations): observers do not see its statements.";
    const page = await get({ server }, f.observer.cookie, `/documents/${f.documentId}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain(message);
    const download = await get({ server }, f.observer.cookie, exportPath("format=docx"));
    expect(download.status).toBe(403);
    expect(await download.text()).toBe(message);
    const events = await get({ server }, f.observer.cookie, `/documents/${f.documentId}/events`);
    expect([events.status, await events.text()]).toEqual([403, message]);
    const socket = openRawSocket(server.wsUrl, f.documentId, { cookie: f.observer.cookie });
    await expect(socket.opened).rejects.toThrow("HTTP 403");
    // The conference page says why its statements are not listed.
    const conference = await (await get({ server }, f.observer.cookie, `/conferences/${f.conferenceId}`)).text();
    expect(conference).toContain("closed session (informal consultations)");
    expect(conference).not.toContain(`/documents/${f.documentId}`);

    expect((await get({ server }, f.delegate.cookie, `/documents/${f.documentId}`)).status).toBe(200);
    expect((await get({ server }, f.delegate.cookie, exportPath("format=docx&draft=1"))).status).toBe(200);
  });
});

describe("the secretariat sets the mode", () => {
  const post = async ({ server }: Pick<FileFixtures, "server">, cookie: string, confidentiality: string) =>
    fetch(`${server.url}/conferences/${f.conferenceId}`, {
      method: "POST",
      headers: { cookie },
      body: new URLSearchParams({
        csrf: await csrfTokenFor(server.url, cookie, `/conferences/${f.conferenceId}`),
        intent: "confidentiality",
        confidentiality,
      }),
      redirect: "manual",
    });

  it("on the conference page, audited; the chair and delegates may not", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "standard");
    const page = await (await get({ server }, f.secretariat.cookie, `/conferences/${f.conferenceId}`)).text();
    expect(page).toContain("Confidentiality");
    const before = await lastSeq(db.sql, f.conferenceId);
    expect((await post({ server }, f.secretariat.cookie, "open")).status).toBe(302);
    expect((await findConference(db.sql, f.conferenceId))!.confidentiality).toBe("open");
    const [entry] = await entriesOf(db.sql, f.conferenceId, "confidentiality.changed", before);
    expect(entry).toMatchObject({ actorId: f.secretariat.id, actorRole: "secretariat", documentId: null });
    expect(entry.subject).toEqual({ from: "standard", to: "open" });
    // Choosing the mode it is already in records nothing.
    expect((await post({ server }, f.secretariat.cookie, "open")).status).toBe(302);
    expect(await entriesOf(db.sql, f.conferenceId, "confidentiality.changed", before)).toHaveLength(1);

    for (const cookie of [f.chair, f.delegate.cookie]) expect((await post({ server }, cookie, "closed")).status).toBe(403);
    expect((await findConference(db.sql, f.conferenceId))!.confidentiality).toBe("open");
  });

  it("refuses a mode it does not know, changing nothing", async ({ db, server }) => {
    const res = await post({ server }, f.secretariat.cookie, "secret");
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose what observers see: standard, open or closed.");
    expect((await findConference(db.sql, f.conferenceId))!.confidentiality).toBe("open");
  });

  it("from open to standard, an observer's open stream stops carrying the negotiation's events at once", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "open");
    const observerStream = await openEventStream(server.url, f.documentId, f.observer.cookie);
    const witness = await openEventStream(server.url, f.documentId, f.chair);
    expect((await post({ server }, f.secretariat.cookie, "standard")).status).toBe(302);
    // One round: a negotiation event and a text event; the topics the observer got (in order, so
    // once the text event is there, a negotiation event sent before it would be too).
    const round = async () => {
      const [from, witnessed] = [observerStream.events.length, witness.events.length];
      await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "proposals", notice: "P1 submitted by Norway" });
      await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "versions" });
      await waitFor(() => witness.events.length === witnessed + 2);
      await waitFor(() => observerStream.events.slice(from).some((e) => e.topic === "versions"));
      return observerStream.events.slice(from).map((e) => e.topic);
    };
    // The change reaches open streams through NOTIFY, as on every instance; until then the old mode holds.
    await waitFor(async () => !(await round()).includes("proposals"), { what: "the observer's stream to follow the new mode" });
    expect(await round()).toEqual(["versions"]);
    // Its page was told to reload, and now shows the text alone.
    expect(observerStream.events.map((e) => e.topic)).toContain("access");
    expect(observerStream.isEnded()).toBe(false);
    observerStream.close();
    witness.close();
  });

  it("in standard mode, an observer is told of explanations of position once the statement is adopted, not before", async ({
    db,
    server,
  }) => {
    await setConfidentiality(db.sql, f.conferenceId, "standard");
    const observerStream = await openEventStream(server.url, f.documentId, f.observer.cookie);
    const witness = await openEventStream(server.url, f.documentId, f.chair);
    await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "explanations", afterAdoption: false });
    await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "explanations", afterAdoption: true });
    await publishNegotiationEvent(db.sql, { documentId: f.documentId, topic: "versions" });
    await waitFor(() => witness.events.length === 3);
    await waitFor(() => observerStream.events.some((e) => e.topic === "versions"));
    expect(observerStream.events.map((e) => e.topic)).toEqual(["explanations", "versions"]);
    observerStream.close();
    witness.close();
  });

  it("closing ends observers' open event streams and WebSockets at once, not delegations'", async ({ db, server }) => {
    await setConfidentiality(db.sql, f.conferenceId, "open");
    const observerStream = await openEventStream(server.url, f.documentId, f.observer.cookie);
    const delegateStream = await openEventStream(server.url, f.documentId, f.delegate.cookie);
    const observerSocket = openRawSocket(server.wsUrl, f.documentId, { cookie: f.observer.cookie });
    const delegateSocket = openRawSocket(server.wsUrl, f.documentId, { cookie: f.delegate.cookie });
    await Promise.all([observerSocket.opened, delegateSocket.opened]);

    expect((await post({ server }, f.secretariat.cookie, "closed")).status).toBe(302);
    await waitFor(() => observerStream.isEnded(), { what: "the observer's stream to end" });
    expect((await observerSocket.closed).code).toBe(closeCodes.accessRemoved);
    expect(delegateStream.isEnded()).toBe(false);
    expect(delegateSocket.ws.readyState).toBe(delegateSocket.ws.OPEN);
    delegateStream.close();
  });
});
