import { describe, expect, it, type FileFixtures } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { openEventStream } from "../support/event-stream";
import { publishNegotiationEvent } from "../../server/negotiation/events";
import { publishAccessEvent } from "../../server/auth/access-events";
import { createSignedInPerson, createStatement, sessionCookieFor } from "../support/factories";
import { csrfFromHtml, request } from "../support/http";

/**
 * The negotiation event stream carries objections and their reasons, so it must end for someone
 * who may no longer see the statement, on the same notification that closes their WebSockets.
 */
let doc: Awaited<ReturnType<typeof createStatement>>;

it.beforeAll(async ({ db }) => {
  doc = await createStatement(db.sql);
});

const openStream = ({ server }: Pick<FileFixtures, "server">, cookie: string) => openEventStream(server.url, doc.documentId, cookie);

const broken = { topic: "silence" as const, notice: "Silence broken by Norway: our reasons" };

/** Publishes an event and waits until a stream that stays open (the witness) has it. */
async function publishSeenBy({ db }: Pick<FileFixtures, "db">, witness: Awaited<ReturnType<typeof openStream>>) {
  const before = witness.events.length;
  await publishNegotiationEvent(db.sql, { documentId: doc.documentId, ...broken });
  await waitFor(() => witness.events.length === before + 1);
}

describe("the event stream of someone who loses access", () => {
  it("ends when they are removed from the conference, and nothing more reaches them", async ({ db, server }) => {
    const secretariat = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "secretariat" });
    const delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate" });
    const removed = await openStream({ server }, delegate.cookie);
    const witness = await openStream({ server }, doc.cookie);
    await publishSeenBy({ db }, witness);
    await waitFor(() => removed.events.length === 1);

    const peoplePage = `/conferences/${doc.conferenceId}/people`;
    const csrf = csrfFromHtml((await request(`${server.url}${peoplePage}`, { headers: { Cookie: secretariat.cookie } })).body);
    const res = await request(`${server.url}${peoplePage}`, {
      headers: { Cookie: secretariat.cookie },
      form: { csrf, intent: "remove", userId: delegate.id },
    });
    expect(res.status).toBeLessThan(400);

    await waitFor(() => removed.isEnded());
    await publishSeenBy({ db }, witness);
    expect(removed.events).toHaveLength(1);
    expect(witness.isEnded()).toBe(false);
  });

  it("ends when they sign out, for that session only", async ({ db, server }) => {
    const delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate" });
    const signedOut = await openStream({ server }, delegate.cookie);
    // The same person, signed in on another device.
    const witness = await openStream({ server }, await sessionCookieFor(db.sql, delegate.id));

    const res = await request(`${server.url}/logout`, { method: "POST", headers: { Cookie: delegate.cookie } });
    expect(res.status).toBe(302);

    await waitFor(() => signedOut.isEnded());
    await publishSeenBy({ db }, witness);
    expect(signedOut.events).toEqual([]);
    expect(witness.isEnded()).toBe(false);
  });
  it("ends every stream of a person whose sessions all end, on any instance (the NOTIFY)", async ({ db, server }) => {
    const delegate = await createSignedInPerson(db.sql, { conferenceId: doc.conferenceId, role: "delegate" });
    const tabs = [await openStream({ server }, delegate.cookie), await openStream({ server }, delegate.cookie)];
    const witness = await openStream({ server }, doc.cookie);
    await publishAccessEvent(db.sql, { type: "user-sessions-ended", userId: delegate.id });
    await waitFor(() => tabs.every((t) => t.isEnded()));
    await publishSeenBy({ db }, witness);
    for (const t of tabs) expect(t.events).toEqual([]);
  });
});
