import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { startTestServer, type TestServer } from "../support/server";
import { createNegotiation, type NegotiationFixture, type Participant } from "../support/negotiation";
import { auditEntries } from "../support/audit";
import { parseCsv } from "../../server/people/csv";
import { textDigest } from "../../server/audit/text-digest";
import { pageText } from "../support/http";

/** The secretariat's audit page and downloads: who may see them, and what they hold. */
let db: TestDatabase;
let server: TestServer;
let n: NegotiationFixture;
const page = () => `/conferences/${n.conferenceId}/audit`;
const download = (format: string) => `/conferences/${n.conferenceId}/audit/download?format=${format}`;

/** An independent re-verification of a JSON Lines download, as anyone could write it from its description. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
function reverify(lines: Record<string, unknown>[]): number | null {
  let prev = "0".repeat(64);
  for (const [i, line] of lines.entries()) {
    const { hash, ...hashed } = line;
    const digest = createHash("sha256")
      .update(JSON.stringify(sorted(hashed)))
      .digest("hex");
    if (line.seq !== i + 1 || line.prev !== prev || digest !== hash) return i + 1;
    prev = hash;
  }
  return null;
}

function separatorsOutsideQuotes(text: string, separator: string): number {
  let quoted = false;
  let count = 0;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (c === separator && !quoted) count++;
  }
  return count;
}

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startTestServer({ databaseUrl: db.url });
  n = await createNegotiation(db.sql, server.url);
  expect(
    (
      await n.chair.post(`/documents/${n.documentId}/states`, {
        clauseId: n.clauses[0].id,
        state: "agreed",
        reason: "Agreed, <b>in plenary</b>.",
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await n.delegateA.post(`/documents/${n.documentId}/signals`, {
        clauseId: n.clauses[1].id,
        signal: "not_yet",
        reason: "Awaiting instructions.",
      })
    ).status,
  ).toBe(200);
  expect((await n.chair.post(`/documents/${n.documentId}/history`, { intent: "create", name: "Rev.<b>1</b>" })).status).toBe(200);
});

describe("who may see the audit trail", () => {
  it("is the secretariat's (200); the chair, delegates and observers are refused (403); outsiders are told nothing (404)", async () => {
    const statuses = async (p: Participant) => [(await p.get(page())).status, (await p.get(download("jsonl"))).status];
    expect(await statuses(n.secretariat)).toEqual([200, 200]);
    expect(await statuses(n.chair)).toEqual([403, 403]);
    expect(await statuses(n.delegateA)).toEqual([403, 403]);
    expect(await statuses(n.observer)).toEqual([403, 403]);
    expect(await statuses(n.outsider)).toEqual([404, 404]);
  });

  it("is a tab of the conference for the secretariat only", async () => {
    const forSecretariat = await (await n.secretariat.get(`/conferences/${n.conferenceId}`)).text();
    expect(forSecretariat).toContain(`href="/conferences/${n.conferenceId}/audit"`);
    const forChair = await (await n.chair.get(`/conferences/${n.conferenceId}`)).text();
    expect(forChair).not.toContain(`/conferences/${n.conferenceId}/audit`);
  });
});

describe("the page", () => {
  it("lists the entries newest first, with who, what and details (escaped), and written texts by their digest", async () => {
    const html = await (await n.secretariat.get(page())).text();
    const text = pageText(html);
    expect(text.indexOf("Signal given")).toBeLessThan(text.indexOf("Clause state set"));
    expect(text).toContain("Delegate A");
    const reason = textDigest("Awaiting instructions.");
    expect(text).toContain(`${reason.length} characters, SHA-256 ${reason.sha256.slice(0, 12)}`);
    expect(text).not.toContain("Awaiting instructions.");
    expect(html).not.toContain("in plenary");
    expect(html).toContain("Rev.&lt;b&gt;1&lt;/b&gt;");
    expect(text).not.toContain("The chain is");
  });

  it("verifies the chain on request, and names the first broken entry once it is tampered with", async () => {
    expect(pageText(await (await n.secretariat.get(`${page()}?verify=1`)).text())).toMatch(
      /The chain is intact: all \d+ entries check out\./,
    );
    await db.sql.begin(async (tx) => {
      await tx`alter table audit_log disable trigger audit_log_append_only`;
      await tx`update audit_log set actor_name = 'Nobody' where conference_id = ${n.conferenceId} and seq = 1`;
      await tx`alter table audit_log enable trigger audit_log_append_only`;
    });
    try {
      expect(pageText(await (await n.secretariat.get(`${page()}?verify=1`)).text())).toContain(
        "The chain is broken at entry 1. Its content does not match its hash: the entry was changed.",
      );
    } finally {
      await db.sql.begin(async (tx) => {
        await tx`alter table audit_log disable trigger audit_log_append_only`;
        await tx`update audit_log set actor_name = (select name from users where id = actor_id) where conference_id = ${n.conferenceId} and seq = 1`;
        await tx`alter table audit_log enable trigger audit_log_append_only`;
      });
    }
    expect(pageText(await (await n.secretariat.get(`${page()}?verify=1`)).text())).toContain("The chain is intact");
  });
});

describe("the download", () => {
  it("is the whole log as JSON Lines with its hashes, re-verifiable by anyone, and records itself", async () => {
    const res = await n.secretariat.get(download("jsonl"));
    expect(res.headers.get("content-type")).toMatch(/^application\/jsonl/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="test-conference_audit-log_\d{4}-\d{2}-\d{2}\.jsonl"/);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const stored = await auditEntries(db.sql, n.conferenceId);
    expect(lines.map((l) => l.hash)).toEqual(stored.map((r) => r.hash));
    // The download is itself recorded, and is the last line of the file it produced.
    expect(lines.at(-1)).toMatchObject({ action: "export.downloaded", subject: { what: "audit log", format: "jsonl" } });
    expect(lines[1]).toMatchObject({
      action: "signal.set",
      actor: { name: "Delegate A", role: "delegate" },
      subject: { reason: textDigest("Awaiting instructions.") },
    });
    expect(reverify(lines)).toBeNull();
    // Changing any line is caught by the same re-verification.
    lines[1] = { ...lines[1], subject: { ...(lines[1].subject as object), reason: textDigest("Ready.") } };
    expect(reverify(lines)).toBe(2);
  });

  it("is also a CSV file with one row per entry and the hashes", async () => {
    const res = await n.secretariat.get(download("csv"));
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/filename="test-conference_audit-log_\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = (await res.text()).trim().split("\r\n");
    const stored = await auditEntries(db.sql, n.conferenceId);
    expect(rows[0]).toBe(
      '"seq","at","conference_id","document_id","actor_id","actor_name","actor_role","delegation","action","subject","prev_hash","hash"',
    );
    expect(rows).toHaveLength(stored.length + 1);
    expect(rows[2]).toContain(',"signal.set",');
    expect(rows[2]).toContain('"{""clause"":""');
    expect(rows[2].endsWith(`,"${stored[1].prevHash}","${stored[1].hash}"`)).toBe(true);
  });

  it("quotes every CSV field and neutralises formulas, so no spreadsheet locale splits a field or runs it", async () => {
    // A spreadsheet set to a ";" locale splits an unquoted "Delegate;=1+1" and runs its second half.
    const name = "Delegate;=1+1";
    const delegation = '=HYPERLINK("http://evil.example","Open")';
    await db.sql`update users set name = ${name} where id = ${n.delegateB.userId}`;
    await db.sql`update delegations set name = ${delegation} where id = ${n.delegateB.delegationId}`;
    const reason = "Fine;=1+1";
    const signal = await n.delegateB.post(`/documents/${n.documentId}/signals`, { clauseId: n.clauses[2].id, signal: "not_yet", reason });
    expect(signal.status).toBe(200);

    const text = await (await n.secretariat.get(download("csv"))).text();
    // Read as a spreadsheet in a ";" locale does (a quote opens or closes quoted text), nothing splits.
    expect(separatorsOutsideQuotes(text, ";")).toBe(0);
    for (const line of text.trim().split("\r\n")) expect(line).toMatch(/^"([^"]|"")*"(,"([^"]|"")*")*$/);

    // The reason itself is kept as its digest; the name and delegation as they are, quoted and neutralised.
    const row = parseCsv(text, ",").find((r) => r.fields[8] === "signal.set" && r.fields[5] === name)!;
    expect(row.fields[7]).toBe(`'${delegation}`);
    expect(JSON.parse(row.fields[9])).toMatchObject({ reason: textDigest(reason) });
  });

  it("refuses an unknown format (400)", async () => {
    expect((await n.secretariat.get(download("xml"))).status).toBe(400);
  });
});
