import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, deadlineFields, recordEvents, type NegotiationFixture } from "../support/negotiation";
import { waitFor } from "../support/clients";
import { entriesOf } from "../support/audit";
import { createProposal } from "../support/factories";
import { adoptionRecord } from "../../server/queries/adoption";
import { latestSilence } from "../../server/queries/silence-procedures";
import { currentClauseStates, textLocks } from "../../server/queries/clause-states";
import { findDocument } from "../../server/queries/documents";
import { adoptedByConsensusNotice } from "../../server/negotiation/plenary-adoption";

const adoptionLinePattern = (line: string) => new RegExp(`class="adoption-line"[^>]*><strong>${line.replace(/[().+]/g, "\\$&")}</strong>`);

describe("adoption by consensus in plenary", () => {
  let n: NegotiationFixture;
  it.beforeAll(async ({ db, server }) => {
    n = await createNegotiation(db.sql, server.url);
    expect((await n.chair.post(`/documents/${n.documentId}/history`, { intent: "create", name: "Before adoption" })).status).toBe(200);
  });

  it("is the chair's: others are refused and nothing changes", async ({ db }) => {
    for (const who of [n.delegateA, n.observer, n.secretariat]) {
      expect((await who.post(`/documents/${n.documentId}/adoption`, { timeZone: "UTC" })).status).toBe(403);
    }
    expect((await n.chair.post(`/documents/${n.documentId}/adoption`, { timeZone: "Mars/Olympus" })).status).toBe(400);
    expect((await findDocument(db.sql, n.documentId))!.adoptedAt).toBeNull();
  });

  it("waits for a running silence procedure to end, and for open business to be confirmed", async ({ db }) => {
    const open = await n.chair.post(`/documents/${n.documentId}/silence`, {
      intent: "open",
      ...deadlineFields(new Date(Date.now() + 3_600_000)),
    });
    expect(open.status).toBe(200);
    expect((await n.chair.post(`/documents/${n.documentId}/adoption`, { timeZone: "UTC" })).status).toBe(409);
    expect((await n.chair.post(`/documents/${n.documentId}/silence`, { intent: "cancel" })).status).toBe(200);

    const proposal = await createProposal(db.sql, {
      documentId: n.documentId,
      createdBy: n.delegateA.userId,
      delegationId: n.delegateA.delegationId,
      clauseId: n.clauses[8].id,
      kind: "delete",
      status: "submitted",
    });
    const unconfirmed = await n.chair.post(`/documents/${n.documentId}/adoption`, { timeZone: "UTC" });
    expect(unconfirmed.status).toBe(409);
    expect(await unconfirmed.text()).toContain(`P${proposal.number}`);
    expect((await findDocument(db.sql, n.documentId))!.adoptedAt).toBeNull();
    expect(await db.sql`select 1 from proposals where id = ${proposal.id} and status = 'submitted'`).toHaveLength(1);
  });

  it("adopts the text with its record: method, time, zone and meeting; open proposals are not taken up; everyone told", async ({ db }) => {
    const events = await recordEvents(db.sql);
    const proposal = (
      await db.sql<{ number: number }[]>`select number from proposals where document_id = ${n.documentId} and status = 'submitted'`
    )[0];
    const before = Date.now();
    const res = await n.chair.post(`/documents/${n.documentId}/adoption`, {
      meeting: "its 4th plenary meeting",
      timeZone: "Asia/Baku",
      openBusiness: `P${proposal.number}`,
    });
    expect(res.status).toBe(200);
    const record = (await adoptionRecord(db.sql, n.documentId))!;
    expect(record).toMatchObject({ method: "consensus", timeZone: "Asia/Baku", meeting: "its 4th plenary meeting" });
    expect(new Date(record.at).getTime()).toBeGreaterThanOrEqual(before - 1000);
    const states = await currentClauseStates(db.sql, n.documentId);
    for (const c of n.clauses) expect(states.get(c.id)).toBe("agreed");
    expect((await textLocks(db.sql, n.documentId)).whole).toBe("adopted");
    expect(await db.sql`select 1 from proposals where document_id = ${n.documentId} and status = 'not_taken_up'`).toHaveLength(1);
    const [entry] = await entriesOf(db.sql, n.conferenceId, "statement.adopted");
    expect(entry.subject).toMatchObject({
      method: "consensus",
      meeting: "its 4th plenary meeting",
      timeZone: "Asia/Baku",
      openProposals: [`P${proposal.number}`],
    });
    await waitFor(() => events.some((e) => e.documentId === n.documentId && e.notice === adoptedByConsensusNotice), { what: "the notice" });

    const date = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Baku", day: "numeric", month: "long", year: "numeric" }).format(
      new Date(record.at),
    );
    const html = await (await n.observer.get(`/documents/${n.documentId}`)).text();
    expect(html).toMatch(adoptionLinePattern(`Adopted by consensus at its 4th plenary meeting on ${date}.`));
    // Adopted once: a second adoption and a silence procedure are refused.
    expect((await n.chair.post(`/documents/${n.documentId}/adoption`, { timeZone: "UTC" })).status).toBe(400);
  });

  it("prints the adoption line and the explanations in every export of the adopted text", async ({ db }) => {
    const file = await n.delegateA.post(`/documents/${n.documentId}/explanation`, {
      intent: "file",
      text: "We join the consensus.",
      reservation: "on",
    });
    expect(file.status).toBe(200);
    const md = await (await n.chair.get(`/documents/${n.documentId}/export?format=md`)).text();
    expect(md).toMatch(/^\*Adopted by consensus at its 4th plenary meeting on \d{1,2} \w+ \d{4}\.\*$/m);
    expect(md).toMatch(/^### Delegation [^\n]*, on the statement as a whole$/m);
    expect(md).toContain("*Reservation. Filed after adoption.*\n\nWe join the consensus.");
    const html = await (await n.chair.get(`/documents/${n.documentId}/export?format=html`)).text();
    expect(html).toContain('<p class="adoption-line">Adopted by consensus at its 4th plenary meeting on ');
    const akn = await (await n.chair.get(`/documents/${n.documentId}/export?format=akn`)).text();
    expect(akn).toContain(
      '<conclusions eId="conclusions" xml:lang="en"><container eId="conclusions__adoption" name="adoption"><p>Adopted by consensus',
    );
    expect(akn).toContain("<attachments>");
    // A version saved before adoption is not the adopted text; one saved after it is.
    const after = await n.chair.post(`/documents/${n.documentId}/history`, { intent: "create", name: "As adopted" });
    expect(after.status).toBe(200);
    const [adopted] = await db.sql<{ id: string }[]>`select id from versions where document_id = ${n.documentId} and name = 'As adopted'`;
    const adoptedMd = await (await n.chair.get(`/documents/${n.documentId}/export?format=md&version=${adopted.id}`)).text();
    expect(adoptedMd).toContain("*Adopted by consensus at its 4th plenary meeting on ");
    expect(adoptedMd).toContain("## Annex: Explanations of position");
    const [before] = await db.sql<
      { id: string }[]
    >`select id from versions where document_id = ${n.documentId} and name = 'Before adoption'`;
    const earlier = await (await n.chair.get(`/documents/${n.documentId}/export?format=md&version=${before.id}`)).text();
    expect(earlier).toContain("7. *Decide*");
    expect(earlier).not.toContain("Adopted by consensus");
    // The compilation is a working document, not the adopted text.
    const compilation = await n.chair.get(`/documents/${n.documentId}/export?format=compilation`);
    expect(compilation.status).toBe(200);
  });
});

describe("adoption by silence", () => {
  it("records the silence deadline and its zone as the adoption", async ({ db, server }) => {
    const n = await createNegotiation(db.sql, server.url);
    const deadline = new Date(Date.now() + 2500);
    const open = await n.chair.post(`/documents/${n.documentId}/silence`, {
      intent: "open",
      ...deadlineFields(deadline, "America/New_York"),
    });
    expect(open.status).toBe(200);
    await waitFor(async () => (await latestSilence(db.sql, n.documentId))?.status === "passed", {
      what: "silence to pass",
      timeoutMs: 20_000,
    });
    const silence = (await latestSilence(db.sql, n.documentId))!;
    const record = (await adoptionRecord(db.sql, n.documentId))!;
    expect(record).toMatchObject({ method: "silence", timeZone: "America/New_York", meeting: null });
    expect(new Date(record.at).getTime()).toBe(silence.deadline.getTime());
    const inZone = (options: Intl.DateTimeFormatOptions) =>
      new Intl.DateTimeFormat("en-GB", { timeZone: "America/New_York", ...options }).format(silence.deadline);
    const date = inZone({ day: "numeric", month: "long", year: "numeric" });
    const time = inZone({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    const html = await (await n.observer.get(`/documents/${n.documentId}`)).text();
    expect(html).toMatch(
      new RegExp(
        `class="adoption-line"[^>]*><strong>Adopted by silence procedure ending ${date} at ${time} \\(New York time, UTC-0[45]:00\\)\\.</strong>`,
      ),
    );
  });
});
