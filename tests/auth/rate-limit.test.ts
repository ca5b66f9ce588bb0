import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { alertsIn, postLogin, type RawResponse, sessionPair, sessionSetCookie } from "../support/http";
import { createPerson, uniqueTag } from "../support/factories";

/**
 * Sign-in throttling: one account from one address gets two failures free, then waits 2^n
 * seconds after the n-th; one address gets 30 failures in 15 minutes over all accounts. The
 * counts are in PostgreSQL: two instances on one database share them. Every test uses
 * addresses of its own (127.0.<test>.<host>), so no test inherits another's counts.
 */

let db: TestDatabase;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  [a, b] = await Promise.all([startTestServer({ databaseUrl: db.url }), startTestServer({ databaseUrl: db.url })]);
});

let subnet = 0;
/** Addresses for one test: host n is 127.0.<this test>.n. */
function addressesOfTest(): (host: number) => string {
  const mine = ++subnet;
  return (host) => `127.0.${mine}.${host}`;
}

const wrong = "definitely-not-it";
const tooMany = /^Too many sign-in attempts\. Try again in \d+ (seconds?|minutes?)\.$/;

function expectRefused(res: RawResponse): { message: string; retryAfter: number } {
  expect(res.status).toBe(429);
  expect(sessionSetCookie(res)).toBeUndefined();
  const retryAfter = Number(res.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  const [message, ...rest] = alertsIn(res.body);
  expect(rest).toEqual([]);
  expect(message).toMatch(tooMany);
  return { message, retryAfter };
}

function expectWrong(res: RawResponse): void {
  expect(res.status).toBe(400);
  expect(alertsIn(res.body)).toEqual(["The e-mail address or password is incorrect."]);
}

function expectSignedIn(res: RawResponse): void {
  expect(res.status).toBe(302);
  expect(sessionPair(res)).not.toBeNull();
}

describe("one account from one address", () => {
  it("after three failures (over both instances) the next attempt waits 8 seconds, even with the right password, as for an unknown account", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    const unknown = `nobody-${uniqueTag()}@example.org`;
    for (const [i, server] of [a, b, a].entries()) {
      expectWrong(await postLogin(server.url, { email: person.email, password: `${wrong}-${i}` }, { localAddress: at(1) }));
      expectWrong(await postLogin(server.url, { email: unknown, password: `${wrong}-${i}` }, { localAddress: at(1) }));
    }
    const known = expectRefused(await postLogin(b.url, { email: person.email, password: person.password }, { localAddress: at(1) }));
    const notKnown = expectRefused(await postLogin(b.url, { email: unknown, password: "anything at all" }, { localAddress: at(1) }));
    expect(known.retryAfter).toBeGreaterThanOrEqual(7);
    expect(known.retryAfter).toBeLessThanOrEqual(8);
    expect(notKnown.message.replace(/\d+/, "N")).toBe(known.message.replace(/\d+/, "N"));
    // The count is per account, whatever the case of the address it was given with.
    expectRefused(await postLogin(a.url, { email: person.email.toUpperCase(), password: person.password }, { localAddress: at(1) }));

    // Another account from the same address is not affected.
    const other = await createPerson(db.sql);
    expectSignedIn(await postLogin(a.url, { email: other.email, password: other.password }, { localAddress: at(1) }));
  });

  it("the delay grows: 8 seconds after the third failure, 16 after the fourth", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    for (let i = 0; i < 3; i++) expectWrong(await postLogin(a.url, { email: person.email, password: wrong }, { localAddress: at(1) }));
    const first = expectRefused(await postLogin(b.url, { email: person.email, password: wrong }, { localAddress: at(1) }));
    expect(first.retryAfter).toBeLessThanOrEqual(8);
    await new Promise((resolve) => setTimeout(resolve, first.retryAfter * 1000 + 250));
    expectWrong(await postLogin(b.url, { email: person.email, password: wrong }, { localAddress: at(1) }));
    const second = expectRefused(await postLogin(a.url, { email: person.email, password: person.password }, { localAddress: at(1) }));
    expect(second.retryAfter).toBeGreaterThanOrEqual(15);
    expect(second.retryAfter).toBeLessThanOrEqual(16);
    expect(second.message).toMatch(/Try again in 1[56] seconds\.$/);
  });

  it("parallel attempts on both instances get no more than the free failures", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        postLogin((i % 2 ? a : b).url, { email: person.email, password: `${wrong}-${i}` }, { localAddress: at(1) }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(9);
  });

  it("cannot be used to lock the owner out: they sign in from their own address while another address hammers their account", async () => {
    const at = addressesOfTest();
    const owner = await createPerson(db.sql);
    for (let i = 0; i < 20; i++) {
      const res = await postLogin((i % 2 ? a : b).url, { email: owner.email, password: `${wrong}-${i}` }, { localAddress: at(66) });
      expect([400, 429]).toContain(res.status);
    }
    expectRefused(await postLogin(a.url, { email: owner.email, password: wrong }, { localAddress: at(66) }));
    expectSignedIn(await postLogin(a.url, { email: owner.email, password: owner.password }, { localAddress: at(1) }));
    expectSignedIn(await postLogin(b.url, { email: owner.email, password: owner.password }, { localAddress: at(1) }));
  });

  it("a successful sign-in forgets that account's failures from that address", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    for (let round = 0; round < 3; round++) {
      // Without forgetting, the second round's failures would be the 3rd and 4th, and the sign-in after them refused.
      for (let i = 0; i < 2; i++) expectWrong(await postLogin(a.url, { email: person.email, password: wrong }, { localAddress: at(1) }));
      expectSignedIn(await postLogin(b.url, { email: person.email, password: person.password }, { localAddress: at(1) }));
    }
  });

  it("form errors (nothing checked) do not count as attempts", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    for (let i = 0; i < 8; i++) {
      expect((await postLogin(a.url, { email: person.email, password: "" }, { localAddress: at(1) })).status).toBe(400);
    }
    expectSignedIn(await postLogin(a.url, { email: person.email, password: person.password }, { localAddress: at(1) }));
  });
});

describe("one address, all accounts", () => {
  it("allows 30 failures in 15 minutes over any number of accounts and both instances, then refuses even a right password", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    // 30 attempts for 30 different (unknown) accounts: none is slowed down on its own.
    for (let i = 0; i < 30; i++) {
      expectWrong(
        await postLogin((i % 2 ? a : b).url, { email: `spray-${i}-${uniqueTag()}@example.org`, password: wrong }, { localAddress: at(1) }),
      );
    }
    const fromHere = expectRefused(await postLogin(a.url, { email: person.email, password: person.password }, { localAddress: at(1) }));
    const unknownFromHere = expectRefused(
      await postLogin(b.url, { email: `new-${uniqueTag()}@example.org`, password: wrong }, { localAddress: at(1) }),
    );
    expect(unknownFromHere.message).toBe(fromHere.message);
    expect(fromHere.retryAfter).toBeGreaterThan(14 * 60);
    // Refused attempts store nothing: spraying from a refused address does not fill the table.
    const before = await db.sql`select count(*)::int as n from sign_in_throttle`;
    for (let i = 0; i < 10; i++)
      expectRefused(await postLogin(a.url, { email: `more-${i}-${uniqueTag()}@example.org`, password: wrong }, { localAddress: at(1) }));
    expect((await db.sql`select count(*)::int as n from sign_in_throttle`)[0].n).toBe(before[0].n);

    // The same account from another address signs in: the limit was the address's, not the account's.
    expectSignedIn(await postLogin(a.url, { email: person.email, password: person.password }, { localAddress: at(2) }));
  });

  it("does not count successful sign-ins, so a delegation behind one address is never locked out", async () => {
    const at = addressesOfTest();
    const person = await createPerson(db.sql);
    for (let i = 0; i < 40; i++)
      expectSignedIn(await postLogin((i % 2 ? a : b).url, { email: person.email, password: person.password }, { localAddress: at(1) }));
  });
});
