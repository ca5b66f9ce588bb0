import { describe, expect, it } from "../support/fixtures";
import { connectSyncedClient, waitFor, type TestClient } from "../support/clients";
import { createNegotiation, deadlineFields, recordEvents, type NegotiationFixture } from "../support/negotiation";
import { latestSilence } from "../../server/queries/silence-procedures";
import { textLocks } from "../../server/queries/clause-states";
import { findDelegation } from "../../server/queries/delegations";
import type { NegotiationEvent } from "../../server/negotiation/events";

let n: NegotiationFixture;
let writer: TestClient;
const path = () => `/documents/${n.documentId}/silence`;

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
  writer = await connectSyncedClient(server.wsUrl, n.documentId, { cookie: n.chair.cookie });
  expect(
    (await n.chair.post(path(), { intent: "open", ...deadlineFields(new Date(Date.now() + 3_600_000), "Europe/Zurich") })).status,
  ).toBe(200);
  await waitFor(() => writer.readOnly === true, { what: "the text to be locked" });
});

describe("a delegation breaks silence", () => {
  let events: NegotiationEvent[];

  it("ends the procedure with its objection, reopens the text and tells everyone", async ({ db }) => {
    events = await recordEvents(db.sql);
    const objection = "We cannot join consensus on OP4 as drafted.";
    expect((await n.delegateB.post(path(), { intent: "object", objection })).status).toBe(200);

    const silence = await latestSilence(db.sql, n.documentId);
    const delegation = await findDelegation(db.sql, n.conferenceId, n.delegateB.delegationId!);
    expect(silence).toMatchObject({ status: "broken", objection, objectingDelegationName: delegation!.name });
    expect(silence!.closedAt).toBeInstanceOf(Date);

    await waitFor(() => events.some((e) => e.topic === "silence" && e.notice === `Silence broken by ${delegation!.name}: ${objection}`), {
      what: "the notice to everyone",
    });
    expect((await textLocks(db.sql, n.documentId)).whole).toBeNull();
    await waitFor(() => writer.readOnly === false, { what: "writers to be told they may write again" });
  });

  it("shows the objection on the statement page", async () => {
    const html = await (await n.observer.get(`/documents/${n.documentId}`)).text();
    expect(html).toContain("Silence was broken by");
    expect(html).toContain("We cannot join consensus on OP4 as drafted.");
  });

  it("cannot be broken twice", async () => {
    const res = await n.delegateA.post(path(), { intent: "object", objection: "Us too." });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("No silence procedure is running.");
  });

  it("refuses an objection after the deadline, by the database's clock", async ({ db }) => {
    expect((await n.chair.post(path(), { intent: "open", ...deadlineFields(new Date(Date.now() + 3_600_000)) })).status).toBe(200);
    // The instance has heard of the procedure (it locks the text as it arms the scheduler's timer):
    // else the scheduler could read the deadline moved below, and close the procedure first.
    await waitFor(() => writer.readOnly === true, { what: "the text to be locked" });
    // The deadline passes before the scheduler has closed it (as in the last instant before a timer fires).
    await db.sql`update silence_procedures set deadline = now() - interval '1 second' where document_id = ${n.documentId} and status = 'running'`;
    const res = await n.delegateA.post(path(), { intent: "object", objection: "Just too late." });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("The deadline has passed");
  });
});
