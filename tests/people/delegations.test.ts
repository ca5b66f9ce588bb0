import { describe, expect, it } from "../support/fixtures";
import { listDelegations } from "../../server/queries/delegations";
import { clientFor, type FormClient, pageText } from "../support/http";
import { createConference, createDelegation, createPerson } from "../support/factories";

let conferenceId: string;
let secretariat: FormClient;
let path: string;

it.beforeAll(async ({ db, server }) => {
  const conference = await createConference(db.sql);
  conferenceId = conference.id;
  path = `/conferences/${conferenceId}/delegations`;
  const japan = await createDelegation(db.sql, conferenceId, { code: "JPN", name: "Japan" });
  await createDelegation(db.sql, conferenceId, { code: "G77", name: "G-77 and China", kind: "group" });
  await createPerson(db.sql, { role: "delegate", conferenceId, delegationId: japan.id });
  await createPerson(db.sql, { role: "delegate", conferenceId, delegationId: japan.id });
  secretariat = await clientFor(server.url, await createPerson(db.sql, { role: "secretariat", conferenceId }));
});

/** A delegation's row: its name, code, the kind chosen in its kind selector, and its number of delegates. */
const rowText = (html: string, code: string) => {
  const row = html.match(new RegExp(`<tr data-delegation="${code}">(.*?)</tr>`, "s"))?.[1];
  if (!row) return null;
  const kind = row.match(/<option value="[a-z_]+" selected="">([^<]*)<\/option>/)?.[1];
  const cells = [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((m) => m[1].replace(/<[^>]+>/g, "").trim());
  return `|${cells[0]}|${cells[1]}|${kind}|${cells[cells.length - 1]}|`;
};

describe("the delegations page", () => {
  it("lists each delegation with its code, kind and number of delegates", async () => {
    const res = await secretariat.get(path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(rowText(html, "JPN")).toBe("|Japan|JPN|Member State|2|");
    expect(rowText(html, "G77")).toBe("|G-77 and China|G77|Group of States|0|");
  });

  it("adds a delegation, its code in capitals", async ({ db }) => {
    const res = await secretariat.post(path, { name: "United Nations Development Programme", code: "undp", kind: "un_entity" });
    expect(res.status).toBe(200);
    expect(pageText(await res.text())).toContain("Delegation United Nations Development Programme (UNDP) added.");
    const undp = (await listDelegations(db.sql, conferenceId)).find((d) => d.code === "UNDP");
    expect(undp).toMatchObject({ name: "United Nations Development Programme", kind: "un_entity" });
  });

  it("answers a duplicate code with 400 and the error next to the code field, not a 500", async ({ db }) => {
    const before = await listDelegations(db.sql, conferenceId);
    const res = await secretariat.post(path, { name: "Jamaica", code: "jpn", kind: "member_state" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Another delegation already has the code JPN.");
    // The code input is marked invalid and points at its error.
    const input = /<input[^>]*name="code"[^>]*>/.exec(html)![0];
    expect(input).toContain('aria-invalid="true"');
    const describedBy = /aria-describedby="([^"]+)"/.exec(input)![1].split(" ");
    const errorId = describedBy.find((id) => id.endsWith("-errors"))!;
    expect(html).toMatch(
      new RegExp(`<div id="${errorId}" role="alert"><ul class="field-errors"><li>Another delegation already has the code JPN.</li>`),
    );
    expect(await listDelegations(db.sql, conferenceId)).toHaveLength(before.length);
  });

  it("answers a duplicate name (in any case) with 400 and an error on the name", async ({ db }) => {
    const res = await secretariat.post(path, { name: "japan", code: "JP2", kind: "member_state" });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(pageText(html)).toContain("A delegation named “japan” exists already.");
    expect(/<input[^>]*name="name"[^>]*>/.exec(html)![0]).toContain('aria-invalid="true"');
    expect((await listDelegations(db.sql, conferenceId)).some((d) => d.code === "JP2")).toBe(false);
  });

  it("validates the code and the kind", async ({ db }) => {
    for (const [code, message] of [
      ["J", "The code has 2 to 12 characters."],
      ["ABCDEFGHIJKLM", "The code has 2 to 12 characters."],
      ["NO WAY", "Use only letters A–Z, digits and hyphens in the code."],
    ]) {
      const res = await secretariat.post(path, { name: `Name ${code}`, code, kind: "member_state" });
      expect(res.status).toBe(400);
      expect(pageText(await res.text())).toContain(message);
    }
    const res = await secretariat.post(path, { name: "Somewhere", code: "SMW", kind: "planet" });
    expect(res.status).toBe(400);
    expect(pageText(await res.text())).toContain("Choose what kind of delegation this is.");
    expect((await listDelegations(db.sql, conferenceId)).map((d) => d.code)).not.toContain("SMW");
  });
});
