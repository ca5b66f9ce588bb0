import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { alertsIn, createPerson, postLogin, sessionPair, sessionSetCookie, tag, type RawResponse } from "../support/auth";

/**
 * Sign-in attempts are limited to 5 failures per account and 30 failures per address in 15
 * minutes. The limits live in the server process, so every test starts a server of its own (on
 * the file's database) and no test inherits another's counts.
 */

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

const freshServer = (): Promise<TestServer> => startTestServer({ databaseUrl: db.url });
const wrong = "definitely-not-it";
const tooMany = /^Too many sign-in attempts\. Try again in \d+ minute\(s\)\.$/;

function expectRefused(res: RawResponse): string {
  expect(res.status).toBe(429);
  expect(sessionSetCookie(res)).toBeUndefined();
  const retryAfter = Number(res.headers["retry-after"]);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  const [message, ...rest] = alertsIn(res.body);
  expect(rest).toEqual([]);
  expect(message).toMatch(tooMany);
  return message;
}

function expectWrong(res: RawResponse): void {
  expect(res.status).toBe(400);
  expect(alertsIn(res.body)).toEqual(["The e-mail address or password is incorrect."]);
}

describe("per account", () => {
  it("refuses the 6th attempt after 5 wrong passwords, even with the right password, as for an unknown address", async () => {
    const server = await freshServer();
    const person = await createPerson(db.sql);
    const unknown = `nobody-${tag()}@example.org`;

    for (let i = 0; i < 5; i++) {
      expectWrong(await postLogin(server.url, { email: person.email, password: `${wrong}-${i}` }));
      expectWrong(await postLogin(server.url, { email: unknown, password: `${wrong}-${i}` }));
    }
    const known = expectRefused(await postLogin(server.url, { email: person.email, password: person.password }));
    const notKnown = expectRefused(await postLogin(server.url, { email: unknown, password: "anything at all" }));
    expect(notKnown).toBe(known);

    // The count is per account, whatever the case of the address it was given with.
    expectRefused(await postLogin(server.url, { email: person.email.toUpperCase(), password: person.password }));

    // Another account from the same address is not affected.
    const other = await createPerson(db.sql);
    const res = await postLogin(server.url, { email: other.email, password: other.password });
    expect(res.status).toBe(302);
    expect(sessionPair(res)).not.toBeNull();
  });

  it("a successful sign-in resets the account's count", async () => {
    const server = await freshServer();
    const person = await createPerson(db.sql);
    for (let i = 0; i < 4; i++) expectWrong(await postLogin(server.url, { email: person.email, password: wrong }));
    expect((await postLogin(server.url, { email: person.email, password: person.password })).status).toBe(302);
    // Without the reset these four would make eight failures, and the second would already be refused.
    for (let i = 0; i < 4; i++) expectWrong(await postLogin(server.url, { email: person.email, password: wrong }));
    const res = await postLogin(server.url, { email: person.email, password: person.password });
    expect(res.status).toBe(302);
    expect(sessionPair(res)).not.toBeNull();
  });

  it("form errors (nothing checked) do not count as attempts", async () => {
    const server = await freshServer();
    const person = await createPerson(db.sql);
    for (let i = 0; i < 8; i++) {
      expect((await postLogin(server.url, { email: person.email, password: "" })).status).toBe(400);
    }
    expect((await postLogin(server.url, { email: person.email, password: person.password })).status).toBe(302);
  });
});

describe("per address", () => {
  it("allows 30 failed attempts in 15 minutes from one address, over any number of accounts, then refuses even a right password", async () => {
    const server = await freshServer();
    const person = await createPerson(db.sql);
    const here = "127.0.0.1";
    // 30 attempts for 30 different (unknown) accounts: none reaches its own limit.
    for (let i = 0; i < 30; i++) {
      expectWrong(await postLogin(server.url, { email: `spray-${i}-${tag()}@example.org`, password: wrong }, { localAddress: here }));
    }
    const fromHere = expectRefused(await postLogin(server.url, { email: person.email, password: person.password }, { localAddress: here }));
    const unknownFromHere = expectRefused(await postLogin(server.url, { email: `new-${tag()}@example.org`, password: wrong }, { localAddress: here }));
    expect(unknownFromHere).toBe(fromHere);

    // The same account from another address signs in: the limit was the address's, not the account's.
    const elsewhere = await postLogin(server.url, { email: person.email, password: person.password }, { localAddress: "127.0.0.2" });
    expect(elsewhere.status).toBe(302);
    expect(sessionPair(elsewhere)).not.toBeNull();
  });

  it("does not count successful sign-ins, so a delegation behind one address is never locked out", async () => {
    const server = await freshServer();
    const person = await createPerson(db.sql);
    for (let i = 0; i < 40; i++) {
      const res = await postLogin(server.url, { email: person.email, password: person.password }, { localAddress: "127.0.0.1" });
      expect(res.status).toBe(302);
    }
  });

});
