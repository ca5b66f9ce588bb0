import { describe, expect, it } from "../support/fixtures";
import { createNegotiation, deadlineFields, type NegotiationFixture } from "../support/negotiation";
import { latestSilence } from "../../server/queries/silence-procedures";

let n: NegotiationFixture;
const path = () => `/documents/${n.documentId}/silence`;
const inAnHour = () => deadlineFields(new Date(Date.now() + 3_600_000));

it.beforeAll(async ({ db, server }) => {
  n = await createNegotiation(db.sql, server.url);
});

describe("opening a silence procedure", () => {
  it("is for the chair only (403 for delegates, observers and the secretariat; 404 for outsiders)", async ({ db }) => {
    const form = { intent: "open", ...inAnHour() };
    expect((await n.delegateA.post(path(), form)).status).toBe(403);
    expect((await n.observer.post(path(), form)).status).toBe(403);
    expect((await n.secretariat.post(path(), form)).status).toBe(403);
    expect((await n.outsider.post(path(), form)).status).toBe(404);
    expect(await latestSilence(db.sql, n.documentId)).toBeNull();
  });

  it("refuses a deadline in the past, an unknown zone, or a time the clocks skip (400)", async ({ db }) => {
    const past = await n.chair.post(path(), { intent: "open", ...deadlineFields(new Date(Date.now() - 60_000)) });
    expect(past.status).toBe(400);
    expect(await past.text()).toContain("The deadline must be in the future.");
    expect((await n.chair.post(path(), { intent: "open", ...inAnHour(), timeZone: "Nowhere/Else" })).status).toBe(400);
    expect((await n.chair.post(path(), { intent: "open", date: "2099-03-08", time: "02:30", timeZone: "America/New_York" })).status).toBe(
      400,
    );
    expect((await n.chair.post(path(), { intent: "open", date: "", time: "", timeZone: "UTC" })).status).toBe(400);
    expect(await latestSilence(db.sql, n.documentId)).toBeNull();
  });

  it("stores the deadline in UTC with the zone it was given in, and the chair's note", async ({ db }) => {
    const res = await n.chair.post(path(), {
      intent: "open",
      date: "2099-06-01",
      time: "18:00",
      timeZone: "Asia/Baku",
      note: "Last call on OP4.",
    });
    expect(res.status).toBe(200);
    const silence = await latestSilence(db.sql, n.documentId);
    expect(silence).toMatchObject({ status: "running", timeZone: "Asia/Baku", note: "Last call on OP4." });
    expect(silence!.deadline.toISOString()).toBe("2099-06-01T14:00:00.000Z");
  });

  it("allows one running procedure per statement (400 for a second)", async () => {
    const res = await n.chair.post(path(), { intent: "open", ...inAnHour() });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("already running");
  });

  it("shows the deadline, in the zone given, on the statement page", async () => {
    const html = await (await n.delegateA.get(`/documents/${n.documentId}`)).text();
    expect(html).toContain("Silence is running");
    expect(html).toContain("Asia/Baku");
    expect(html).toContain("Last call on OP4.");
  });
});

describe("breaking silence and cancelling", () => {
  it("lets only delegates object (403 for the chair, the secretariat and observers), and needs a written objection (400)", async ({
    db,
  }) => {
    const form = { intent: "object", objection: "We cannot join consensus on OP4." };
    expect((await n.chair.post(path(), form)).status).toBe(403);
    expect((await n.secretariat.post(path(), form)).status).toBe(403);
    expect((await n.observer.post(path(), form)).status).toBe(403);
    expect((await n.delegateA.post(path(), { intent: "object", objection: "   " })).status).toBe(400);
    expect((await latestSilence(db.sql, n.documentId))!.status).toBe("running");
  });

  it("lets only the chair cancel (403 for delegates)", async ({ db }) => {
    expect((await n.delegateA.post(path(), { intent: "cancel" })).status).toBe(403);
    expect((await n.chair.post(path(), { intent: "cancel" })).status).toBe(200);
    expect((await latestSilence(db.sql, n.documentId))!.status).toBe("cancelled");
    // Nothing runs any more.
    expect((await n.chair.post(path(), { intent: "cancel" })).status).toBe(400);
    expect((await n.delegateA.post(path(), { intent: "object", objection: "Too late." })).status).toBe(400);
  });

  it("refuses an unknown intent (400)", async () => {
    expect((await n.chair.post(path(), { intent: "adopt" })).status).toBe(400);
  });
});
