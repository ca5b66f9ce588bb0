import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, participant, type NegotiationFixture, type Participant } from "../support/negotiation";
import { createSignedInPerson } from "../support/factories";
import { loaderData } from "../support/http";
import { openEventStream, type LiveEvent } from "../support/event-stream";
import { waitFor } from "../support/wait";
import { applyLivePatch } from "../../app/negotiation/live-patch";
import { typeInClause } from "../support/statement";

/**
 * A negotiation event carries, to each page open on the statement, what changed on that page as
 * its reader sees it: applied to the data the page loaded, it gives exactly what a reload would,
 * so the page does not reload. Through the real server: actions as forms post them, the event
 * stream as the browser reads it, the page's data as Remix sends it.
 */
const route = "routes/documents.$documentId";
type PageData = Record<string, unknown> & { liveVersion: string | null };

interface Page {
  who: Participant;
  data: PageData;
  events: LiveEvent[];
  seen: number;
}

const load = (server: { url: string }, n: NegotiationFixture, who: Participant) =>
  loaderData<PageData>(server, `/documents/${n.documentId}`, route, who.cookie);

describe("events that carry what changed", () => {
  it("bring every open page to what a reload shows, each reader's own view, without reloading", async ({ db, server }) => {
    const n = await createNegotiation(db.sql, server.url);
    // A second delegate of A: the same view of the negotiation as A's first, their own comments and unread.
    const a2 = await participant(
      server.url,
      await createSignedInPerson(db.sql, { conferenceId: n.conferenceId, role: "delegate", delegationId: n.delegateA.delegationId! }),
    );
    const readers = { chair: n.chair, a: n.delegateA, a2, b: n.delegateB, observer: n.observer };
    const pages = {} as Record<keyof typeof readers, Page>;
    for (const [name, who] of Object.entries(readers) as [keyof typeof readers, Participant][]) {
      const data = await load(server, n, who);
      expect(data.liveVersion).toEqual(expect.any(String));
      pages[name] = { who, data, events: (await openEventStream(server.url, n.documentId, who.cookie)).events, seen: 0 };
    }
    await waitFor(() => server.concord.live.count() === 5);

    const doc = `/documents/${n.documentId}`;
    let draftId = "";
    let threadId = "";
    const steps: [string, () => Promise<void>][] = [
      [
        "A drafts a proposal (seen by A's delegates only)",
        async () => {
          const res = await n.delegateA.post(doc, { intent: "propose", kind: "retain", clauseId: n.clauses[0].id });
          expect(res.status).toBe(302);
          draftId = res.headers.get("location")!.split("/").pop()!;
        },
      ],
      ["A submits it", async () => expect((await n.delegateA.post(`${doc}/proposals/${draftId}`, { intent: "submit" })).status).toBe(200)],
      [
        "B comments on PP1",
        async () => {
          const res = await n.delegateB.post(`${doc}/comments`, { intent: "create", clauseId: n.clauses[0].id, body: "Shorter, please." });
          threadId = ((await res.json()) as { threadId: string }).threadId;
        },
      ],
      [
        "A replies",
        async () => expect((await n.delegateA.post(`${doc}/comments`, { intent: "reply", threadId, body: "Agreed." })).status).toBe(200),
      ],
      [
        "B cannot accept PP1 yet",
        async () =>
          expect(
            (await n.delegateB.post(`${doc}/signals`, { clauseId: n.clauses[0].id, signal: "not_yet", reason: "Instructions awaited" }))
              .status,
          ).toBe(200),
      ],
      [
        "the chair puts PP2 under negotiation",
        async () =>
          expect((await n.chair.post(`${doc}/states`, { clauseId: n.clauses[1].id, state: "under_negotiation" })).status).toBe(200),
      ],
      [
        "the chair pins the thread",
        async () => expect((await n.chair.post(`${doc}/comments`, { intent: "pin", threadId })).status).toBe(200),
      ],
      [
        // A comment changes the comments alone, unless the text moved on meanwhile: A's proposal on
        // PP1 shows PP1's text as it is now.
        "PP1's text changes, then B replies",
        async () => {
          await server.concord.collab.changeDocument(n.documentId, (ydoc) => typeInClause(ydoc, 0, " (as amended)"));
          expect((await n.delegateB.post(`${doc}/comments`, { intent: "reply", threadId, body: "Seen." })).status).toBe(200);
        },
      ],
    ];

    for (const [step, act] of steps) {
      await act();
      await waitFor(() => Object.values(pages).every((p) => p.events.length > p.seen), { what: `every page told: ${step}` });
      for (const [name, page] of Object.entries(pages)) {
        const event = page.events[page.seen++];
        // The page's data is at the version the patch starts from: it applies it and does not reload.
        expect(event.patch?.from, `${name}: ${step}`).toBe(page.data.liveVersion);
        const patched = { ...applyLivePatch(page.data, event.patch!.data), liveVersion: event.patch!.to };
        const reloaded = await load(server, n, page.who);
        expect(patched, `${name}: ${step}`).toEqual(reloaded);
        page.data = patched;
      }
    }

    const proposal = (pages.chair.data.proposals as { id: string; currentText: string }[]).find((p) => p.id === draftId)!;
    expect(proposal.currentText).toContain(" (as amended)");
    // What each saw: A's draft reached A's delegates only. B's thread is B's, read as B replied last;
    // A has B's last reply to read, the others all three comments.
    const mentions = (p: Page, id: string) => p.events.slice(0, 1).some((e) => JSON.stringify(e).includes(id));
    expect([pages.a, pages.a2, pages.b, pages.chair, pages.observer].map((p) => mentions(p, draftId))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
    const thread = (p: Page) => (p.data.comments as { id: string; unreadCount: number; mine: boolean }[]).find((t) => t.id === threadId)!;
    expect([pages.b, pages.a, pages.a2, pages.chair].map((p) => [thread(p).mine, thread(p).unreadCount])).toEqual([
      [true, 0],
      [false, 1],
      [false, 3],
      [false, 3],
    ]);
  });
});
