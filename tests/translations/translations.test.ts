import * as Y from "yjs";
import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, participant, type NegotiationFixture, type Participant } from "../support/negotiation";
import { createSignedInPerson } from "../support/factories";
import { connectSyncedClient, waitFor } from "../support/clients";
import { typeInClause } from "../support/statement";
import { openEventStream } from "../support/event-stream";
import { entriesOf } from "../support/audit";
import { csrfTokenFor, pageText } from "../support/http";
import { findConference } from "../../server/queries/conferences";
import { findTranslation, listTranslations } from "../../server/queries/translations";
import { proposalField } from "../../app/statement/proposal-schema";
import type { Sql } from "../../server/db/sql";

let n: NegotiationFixture;
let serverUrl: string;
let wsUrl: string;
let french: Participant;
let arabic: Participant;
let op1: NegotiationFixture["clauses"][number];

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  serverUrl = server.url;
  wsUrl = server.wsUrl;
  op1 = n.clauses.find((c) => c.label === "OP1")!;
  const make = async (language: string) =>
    participant(serverUrl, await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "translator", language }));
  french = await make("fr");
  arabic = await make("ar");
});

const path = (language: string) => `/documents/${n.documentId}/translations/${language}`;
const statusOf = (html: string, key: string) =>
  new RegExp(`data-key="${key}"[\\s\\S]*?data-testid="translation-status"[^>]*>([^<]+)<`).exec(html)?.[1];
const rows = (sql: Sql) => listTranslations(sql, n.documentId);
/** Writes at the start of a translation's text, as a translator's editor does. */
const write = (doc: Y.Doc, text: string) =>
  doc.transact(() => {
    const paragraph = doc.getXmlFragment(proposalField).get(0) as Y.XmlElement;
    const run = paragraph.get(0) as Y.XmlText | undefined;
    if (run) run.insert(0, text);
    else paragraph.insert(0, [new Y.XmlText(text)]);
  });
const textOf = (doc: Y.Doc) => doc.getXmlFragment(proposalField).toJSON();

describe("the statement in the conference's languages", () => {
  it("the secretariat sets the working languages (audited); nobody else may, and an unknown language is refused", async ({ db }) => {
    expect((await n.chair.post(`/conferences/${n.conferenceId}`, { intent: "languages", languages: "fr" })).status).toBe(403);
    const bad = await n.secretariat.post(`/conferences/${n.conferenceId}`, { intent: "languages", languages: "xx" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("does not know the language");
    // Without the statement's original language: refused, it is what the statement is written in.
    expect((await n.secretariat.post(`/conferences/${n.conferenceId}`, { intent: "languages", languages: "fr" })).status).toBe(409);
    expect((await findConference(db.sql, n.conferenceId))!.languages).toEqual(["en"]);

    const body = new URLSearchParams({ intent: "languages", csrf: await csrfTokenFor(serverUrl, n.secretariat.cookie) });
    for (const l of ["ar", "en", "fr"]) body.append("languages", l);
    const res = await fetch(`${serverUrl}/conferences/${n.conferenceId}`, {
      method: "POST",
      headers: { cookie: n.secretariat.cookie },
      body,
      redirect: "manual",
    });
    expect(res.status).toBe(302);
    // In the order of the language list, whatever the form's.
    expect((await findConference(db.sql, n.conferenceId))!.languages).toEqual(["en", "fr", "ar"]);
    const [entry] = await entriesOf(db.sql, n.conferenceId, "languages.changed");
    expect(entry.subject).toEqual({ from: ["en"], to: ["en", "fr", "ar"] });
  });

  it("a translator starts a clause's translation in their language only; the refusals change nothing", async ({ db }) => {
    const start = (who: Participant, language: string, key = op1.id) => who.post(path(language), { intent: "start", key });
    expect((await start(arabic, "fr")).status).toBe(403);
    expect((await start(n.delegateA, "fr")).status).toBe(403);
    expect((await start(n.chair, "fr")).status).toBe(403);
    expect((await start(french, "fr", "no-such-clause")).status).toBe(404);
    expect((await start(french, "es")).status).toBe(404);
    expect((await start(french, "en")).status).toBe(400);
    expect(await rows(db.sql)).toEqual([]);

    expect((await start(french, "fr")).status).toBe(200);
    const row = (await findTranslation(db.sql, n.documentId, "fr", op1.id))!;
    expect(row.sourceText).toBe(op1.text);
    // Started twice (two translators at once): still one translation.
    expect((await start(n.secretariat, "fr")).status).toBe(200);
    expect(await rows(db.sql)).toHaveLength(1);
    // Nothing written yet: missing.
    expect(statusOf(await (await french.get(path("fr"))).text(), op1.id)).toBe("Missing");
  });

  it("translators co-edit a translation live; readers may not write it; the page shows it up to date", async ({ db }) => {
    const { textDocumentId } = (await findTranslation(db.sql, n.documentId, "fr", op1.id))!;
    const stream = await openEventStream(serverUrl, n.documentId, n.observer.cookie, "?translations=1");
    const statementStream = await openEventStream(serverUrl, n.documentId, n.delegateA.cookie);
    const a = await connectSyncedClient(wsUrl, textDocumentId, { cookie: french.cookie });
    const b = await connectSyncedClient(wsUrl, textDocumentId, { cookie: n.secretariat.cookie });
    const reader = await connectSyncedClient(wsUrl, textDocumentId, { cookie: n.delegateA.cookie });
    const otherLanguage = await connectSyncedClient(wsUrl, textDocumentId, { cookie: arabic.cookie });
    await waitFor(() => a.readOnly === false && b.readOnly === false && reader.readOnly === true && otherLanguage.readOnly === true, {
      what: "access flags",
    });
    write(a.doc, "Appellent les États ");
    await waitFor(() => textOf(b.doc).includes("Appellent les États"), { what: "b sees a" });
    write(b.doc, "à agir.");
    await waitFor(() => a.isSaved() && b.isSaved() && textOf(a.doc).includes("à agir."), {
      what: "both saved",
    });
    expect(textOf(reader.doc)).toContain("à agir.");

    const html = await (await n.observer.get(path("fr"))).text();
    expect(statusOf(html, op1.id)).toBe("Up to date");
    expect(pageText(html)).toContain("à agir.Appellent les États");
    expect(html).toMatch(/data-testid="translation-progress"[^>]*>1<!-- --> up to date, <!-- -->0<!-- --> out of date/);
    // The translation pages hear of it; the statement's own pages are not disturbed by typing translators.
    await waitFor(() => stream.events.some((e) => e.topic === "translations"), { what: "the translations event" });
    expect(statementStream.events.filter((e) => e.topic === "translations")).toEqual([]);
    stream.close();
    statementStream.close();
  });

  it("when the original clause changes the translation is out of date, with the change word by word; confirming makes it current", async ({
    db,
  }) => {
    const chair = await connectSyncedClient(wsUrl, n.documentId, { cookie: n.chair.cookie });
    const index = n.clauses.indexOf(op1);
    typeInClause(chair.doc, index, " urgently");
    await waitFor(() => chair.isSaved(), { what: "the chair's edit saved" });

    const html = await (await french.get(path("fr"))).text();
    expect(statusOf(html, op1.id)).toBe("Out of date");
    expect(html).toMatch(/<ins><span class="visually-hidden">\[inserted: <\/span> urgently/);
    expect(pageText(html)).toContain(`Mark ${op1.label} up to date`);
    // A reader sees the status, and no controls.
    const observerPage = await (await n.observer.get(path("fr"))).text();
    expect(statusOf(observerPage, op1.id)).toBe("Out of date");
    expect(observerPage).not.toContain('name="intent"');

    expect((await n.delegateA.post(path("fr"), { intent: "confirm", key: op1.id })).status).toBe(403);
    expect((await arabic.post(path("fr"), { intent: "confirm", key: op1.id })).status).toBe(403);
    expect((await french.post(path("fr"), { intent: "confirm", key: n.clauses[0].id })).status).toBe(404);
    expect((await findTranslation(db.sql, n.documentId, "fr", op1.id))!.sourceText).toBe(op1.text);

    expect((await french.post(path("fr"), { intent: "confirm", key: op1.id })).status).toBe(200);
    const row = (await findTranslation(db.sql, n.documentId, "fr", op1.id))!;
    expect(row.sourceText).toBe(`${op1.text} urgently`);
    expect(row.confirmedBy).toBe(french.userId);
    expect(statusOf(await (await french.get(path("fr"))).text(), op1.id)).toBe("Up to date");
  });

  it("the languages page shows each language's progress; the secretariat sets the original language (audited)", async ({ db }) => {
    const html = await (await n.delegateB.get(`/documents/${n.documentId}/translations`)).text();
    const total = n.clauses.length + 1;
    expect(html).toMatch(new RegExp(`data-language="fr"[\\s\\S]*?<td>1</td><td>0</td><td>${total - 1}</td>`));
    expect(html).toMatch(new RegExp(`data-language="ar"[\\s\\S]*?<td>0</td><td>0</td><td>${total}</td>`));

    const change = (who: Participant, language: string) => who.post(`/documents/${n.documentId}/translations`, { language });
    expect((await change(n.chair, "fr")).status).toBe(403);
    expect((await change(n.secretariat, "es")).status).toBe(400);
    expect((await change(n.secretariat, "fr")).status).toBe(302);
    const [entry] = await entriesOf(db.sql, n.conferenceId, "statement.original_language_changed");
    expect(entry.subject).toEqual({ from: "en", to: "fr" });
    // French is now the original: it has no translation page; English has.
    expect((await french.get(path("fr"))).status).toBe(404);
    expect((await french.get(path("en"))).status).toBe(200);
    expect((await change(n.secretariat, "en")).status).toBe(302);
  });

  it("someone of another conference sees none of it", async () => {
    expect((await n.outsider.get(path("fr"))).status).toBe(404);
    expect((await n.outsider.post(path("fr"), { intent: "start", key: op1.id })).status).toBe(404);
  });
});
