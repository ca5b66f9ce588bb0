import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, recordEvents, type NegotiationFixture, type Participant } from "../support/negotiation";
import { csrfTokenFor } from "../support/http";
import { entriesOf } from "../support/audit";
import { waitFor } from "../support/clients";
import { findExplanation, standingExplanations } from "../../server/queries/explanations";
import { findDocument } from "../../server/queries/documents";
import { fileExplanation } from "../../server/negotiation/explanations";
import { Refusal } from "../../server/negotiation/refusal";
import { maxExplanationLength } from "../../app/statement/limits";
import { textDigest } from "../../server/audit/text-digest";
import type { Sql } from "../../server/db/sql";

let n: NegotiationFixture;
let serverUrl: string;

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  serverUrl = server.url;
});

/** Posts the explanations form as the page does: `clauseIds` once per chosen paragraph. */
async function post(who: Participant, fields: Record<string, string>, clauseIds: string[] = []): Promise<Response> {
  const body = new URLSearchParams({ csrf: await csrfTokenFor(serverUrl, who.cookie), ...fields });
  for (const id of clauseIds) body.append("clauseIds", id);
  return fetch(`${serverUrl}/documents/${n.documentId}/explanation`, {
    method: "POST",
    headers: { cookie: who.cookie },
    body,
    redirect: "manual",
  });
}

const errorsOf = async (res: Response) => ((await res.json()) as { errors: Record<string, string[]> }).errors;
/** Revisions stored for the statement: a refusal adds none. */
const count = async (sql: Sql) =>
  (
    await sql<
      { n: number }[]
    >`select count(*)::int as n from explanation_revisions r join explanations_of_position e on e.id = r.explanation_id where e.document_id = ${n.documentId}`
  )[0].n;

describe("explanations of position", () => {
  it("a delegate files one on named paragraphs, as a reservation: stored in document order, audited by digest, announced", async ({
    db,
  }) => {
    const events = await recordEvents(db.sql);
    const [op3, pp2] = [n.clauses.find((c) => c.label === "OP3")!, n.clauses.find((c) => c.label === "PP2")!];
    const text = "Our delegation joins the consensus.\n\nIt reserves its position on the financing language.";
    const res = await post(n.delegateA, { intent: "file", text, reservation: "on" }, [op3.id, pp2.id]);
    expect(res.status).toBe(200);

    const [filed] = await standingExplanations(db.sql, n.documentId);
    expect(filed).toMatchObject({
      delegationId: n.delegateA.delegationId,
      clauseIds: [pp2.id, op3.id],
      reservation: true,
      text,
      revision: 1,
    });
    expect(filed.afterAdoption).toBe(false);
    const [entry] = await entriesOf(db.sql, n.conferenceId, "explanation.filed");
    expect(entry.subject).toMatchObject({ explanationId: filed.id, paragraphs: ["PP2", "OP3"], reservation: true, text: textDigest(text) });
    expect(JSON.stringify(entry.subject)).not.toContain("financing");
    // Before adoption, announced to those who see the negotiation only.
    await waitFor(() => events.some((e) => e.documentId === n.documentId && e.topic === "explanations" && e.afterAdoption === false), {
      what: "the live event",
    });

    // Everyone who sees the statement reads it, its paragraphs by their labels.
    const page = await (await n.observer.get(`/documents/${n.documentId}/explanations`)).text();
    expect(page).toMatch(
      /Delegation [^<]*<!-- --> <span class="explanation-scope">on <!-- -->PP2, OP3<\/span><span class="badge explanation-reservation">Reservation<\/span>/,
    );
    expect(page).toContain("It reserves its position on the financing language.");
  });

  it("files one on the statement as a whole when no paragraph is named", async ({ db }) => {
    expect((await post(n.delegateB, { intent: "file", text: "We welcome the statement." })).status).toBe(200);
    const mine = (await standingExplanations(db.sql, n.documentId)).filter((e) => e.delegationId === n.delegateB.delegationId);
    expect(mine.map((e) => e.clauseIds)).toEqual([[]]);
    const page = await (await n.observer.get(`/documents/${n.documentId}/explanations`)).text();
    expect(page).toContain("the statement as a whole");
  });

  it("refuses paragraphs that are not the statement's, and texts over the limit, changing nothing", async ({ db }) => {
    const before = await count(db.sql);
    const unknown = await post(n.delegateA, { intent: "file", text: "On a paragraph elsewhere." }, [n.clauses[0].id, "not-a-clause"]);
    expect(unknown.status).toBe(400);
    expect((await errorsOf(unknown)).clauseIds).toEqual(["There is no such paragraph in this statement."]);
    const long = await post(n.delegateA, { intent: "file", text: "x".repeat(maxExplanationLength + 1) });
    expect(long.status).toBe(400);
    expect((await errorsOf(long)).text?.[0]).toMatch(/under 10,000 characters/);
    const empty = await post(n.delegateA, { intent: "file", text: "   " });
    expect(empty.status).toBe(400);
    // The rule holds on the server itself, not only in the form.
    const actor = {
      userId: n.delegateA.userId,
      role: "delegate" as const,
      delegationId: n.delegateA.delegationId,
      isChair: false,
      negotiates: true,
      mayPropose: true,
    };
    await expect(
      fileExplanation(db.sql, actor, {
        document: { id: n.documentId, adoptedAt: null },
        clauseIds: [],
        reservation: false,
        text: "y".repeat(maxExplanationLength + 1),
      }),
    ).rejects.toBeInstanceOf(Refusal);
    expect(await count(db.sql)).toBe(before);
    // Exactly at the limit is accepted.
    expect((await post(n.delegateA, { intent: "file", text: "z".repeat(maxExplanationLength) })).status).toBe(200);
  });

  it("lets only delegates file, and only for their own delegation revise or withdraw", async ({ db }) => {
    const [a] = (await standingExplanations(db.sql, n.documentId)).filter((e) => e.delegationId === n.delegateA.delegationId);
    const before = await count(db.sql);
    for (const who of [n.chair, n.observer, n.secretariat])
      expect((await post(who, { intent: "file", text: "Not a delegation." })).status).toBe(403);
    expect((await post(n.outsider, { intent: "file", text: "Another conference." })).status).toBe(404);
    const revise = await post(n.delegateB, { intent: "revise", explanationId: a.id, text: "Taken over." });
    expect(revise.status).toBe(403);
    expect((await post(n.delegateB, { intent: "withdraw", explanationId: a.id })).status).toBe(403);
    expect(await count(db.sql)).toBe(before);
    expect((await findExplanation(db.sql, n.documentId, a.id))!.text).toBe(a.text);
  });

  it("keeps every revision; a withdrawn explanation is no longer listed and cannot be revised", async ({ db }) => {
    const [a] = (await standingExplanations(db.sql, n.documentId)).filter((e) => e.delegationId === n.delegateA.delegationId);
    const op1 = n.clauses.find((c) => c.label === "OP1")!;
    expect((await post(n.delegateA, { intent: "revise", explanationId: a.id, text: "Revised: on OP1 only." }, [op1.id])).status).toBe(200);
    const revised = (await findExplanation(db.sql, n.documentId, a.id))!;
    expect(revised).toMatchObject({ revision: 2, clauseIds: [op1.id], reservation: false, text: "Revised: on OP1 only." });
    expect((await entriesOf(db.sql, n.conferenceId, "explanation.revised"))[0].subject).toMatchObject({ revision: 2, paragraphs: ["OP1"] });

    expect((await post(n.delegateA, { intent: "withdraw", explanationId: a.id })).status).toBe(200);
    expect((await standingExplanations(db.sql, n.documentId)).map((e) => e.id)).not.toContain(a.id);
    const history = await db.sql<{ revision: number; withdrawn: boolean; text: string }[]>`
      select revision, withdrawn, text from explanation_revisions where explanation_id = ${a.id} order by revision`;
    expect(history.map((r) => [r.revision, r.withdrawn])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    expect(history[0].text).toBe(a.text);
    expect(await entriesOf(db.sql, n.conferenceId, "explanation.withdrawn")).toHaveLength(1);
    expect((await post(n.delegateA, { intent: "revise", explanationId: a.id, text: "Back again." })).status).toBe(400);
    expect((await post(n.delegateA, { intent: "withdraw", explanationId: a.id })).status).toBe(400);
  });

  it("is open after adoption, and says the explanation came after it", async ({ db }) => {
    const adopt = await n.chair.post(`/documents/${n.documentId}/adoption`, { meeting: "its 4th plenary meeting", timeZone: "Asia/Baku" });
    expect(adopt.status).toBe(200);
    expect((await findDocument(db.sql, n.documentId))!.adoptedAt).toBeInstanceOf(Date);
    const events = await recordEvents(db.sql);
    expect((await post(n.delegateB, { intent: "file", text: "After the gavel." }, [n.clauses[1].id])).status).toBe(200);
    // Announced to everyone who sees the statement, readers of the text alone too.
    await waitFor(() => events.some((e) => e.documentId === n.documentId && e.topic === "explanations" && e.afterAdoption === true), {
      what: "the live event",
    });
    const after = (await standingExplanations(db.sql, n.documentId)).find((e) => e.text === "After the gavel.")!;
    expect(after.afterAdoption).toBe(true);
    const page = await (await n.observer.get(`/documents/${n.documentId}/explanations`)).text();
    expect(page).toContain("Filed <!-- -->after<!-- --> adoption");
    expect(page).toMatch(
      /<p class="adoption-line" role="note">Adopted by consensus at its 4th plenary meeting on \d{1,2} \w+ \d{4}\.<\/p>/,
    );
  });
});
