import type { JSONContent } from "@tiptap/core";
import * as Y from "yjs";
import type { TestDatabase } from "./db";
import type { FileFixtures } from "./fixtures";
import type { TestServer } from "./server";
import { readStatement } from "../../server/negotiation/numbering";
import { setConfidentiality } from "../../server/queries/conferences";
import { proposalField } from "../../app/statement/proposal-schema";
import { newClauseId } from "../../app/statement/clause-id";
import { createDelegation, createSignedInPerson, createStatement, type SignedInPerson } from "./factories";
import { csrfTokenFor } from "./http";

/** A person of the fixture: their session cookie and anti-forgery token. */
export interface Person {
  userId: string;
  cookie: string;
  csrf: string;
  delegationId: string | null;
}

export interface ProposalFixture {
  db: TestDatabase;
  server: TestServer;
  documentId: string;
  conferenceId: string;
  /** The statement's clauses as stored now (label → id). */
  clauseIds(): Promise<Record<string, string>>;
  people: {
    chair: Person;
    /** Two delegates of one delegation, and one of another. */
    alice: Person;
    anna: Person;
    bruno: Person;
    observer: Person;
    secretariat: Person;
    /** A delegate of another conference. */
    outsider: Person;
  };
  /** POSTs a form as a person (with their anti-forgery token); redirects are not followed. */
  post(person: Person, path: string, fields: Record<string, string | string[]>): Promise<Response>;
  /** Proposes as a person on the statement page; returns the new proposal's id (or the failed response). */
  propose(person: Person, fields: Record<string, string>): Promise<string>;
  /** The other conference's statement, for ids that must not work across conferences. */
  other: { documentId: string; chair: Person };
}

const text = (t: string): JSONContent => ({ type: "text", text: t });
const clause = (t: string): JSONContent => ({
  type: "clause",
  attrs: { id: newClauseId() },
  content: [{ type: "paragraph", content: [text(t)] }],
});

/** A short statement: one preambular clause, three operative ones. */
export function smallStatement(): JSONContent {
  return {
    type: "doc",
    content: [
      { type: "title", content: [text("Test Joint Statement")] },
      { type: "preamble", content: [clause("Recalling the outcomes of the 3rd Conference,")] },
      {
        type: "operative",
        content: [
          clause("Reaffirm that humanitarian demining is the first step toward recovery;"),
          clause("Call upon all States to integrate demining into recovery frameworks;"),
          clause("Decide to convey the present Joint Statement to the World Urban Forum."),
        ],
      },
    ],
  };
}

async function person(
  server: TestServer,
  { id, cookie, delegationId }: Pick<SignedInPerson, "id" | "cookie" | "delegationId">,
): Promise<Person> {
  return { userId: id, cookie, delegationId, csrf: await csrfTokenFor(server.url, cookie) };
}

/** The statement, people and form helpers of a proposal test, on the file's database and server (tests/support/fixtures.ts). */
export async function createProposalFixture({ db, server }: Pick<FileFixtures, "db" | "server">): Promise<ProposalFixture> {
  const { documentId, conferenceId, chairId, cookie } = await createStatement(db.sql, smallStatement());
  // Open: the observer watches the negotiation as delegations see it.
  await setConfidentiality(db.sql, conferenceId, "open");
  const a = await createDelegation(db.sql, conferenceId, { code: "NOR", name: "Norway" });
  const b = await createDelegation(db.sql, conferenceId, { code: "BRA", name: "Brazil" });
  const member = async (role: "delegate" | "observer" | "secretariat", delegationId?: string, name?: string) =>
    person(server, await createSignedInPerson(db.sql, { conferenceId, role, delegationId, name }));
  const other = await createStatement(db.sql, smallStatement());
  const people = {
    chair: await person(server, { id: chairId, cookie, delegationId: null }),
    alice: await member("delegate", a.id, "Alice Berg"),
    anna: await member("delegate", a.id, "Anna Dahl"),
    bruno: await member("delegate", b.id, "Bruno Lima"),
    observer: await member("observer"),
    secretariat: await member("secretariat"),
    outsider: await person(server, await createSignedInPerson(db.sql, { conferenceId: other.conferenceId, role: "delegate" })),
  };
  const post = (p: Person, path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams({ csrf: p.csrf });
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    return fetch(`${server.url}${path}`, { method: "POST", headers: { Cookie: p.cookie }, body, redirect: "manual" });
  };
  return {
    db,
    server,
    documentId,
    conferenceId,
    people,
    other: {
      documentId: other.documentId,
      chair: await person(server, { id: other.chairId, cookie: other.cookie, delegationId: null }),
    },
    async clauseIds() {
      const statement = await readStatement(db.sql, documentId);
      statement.ydoc.destroy();
      return Object.fromEntries(statement.clauses.map((c) => [c.label, c.id!]));
    },
    post,
    async propose(p, fields) {
      const res = await post(p, `/documents/${documentId}`, { intent: "propose", ...fields });
      if (res.status !== 302) throw new Error(`proposing failed with ${res.status}: ${await res.text()}`);
      return res.headers.get("location")!.split("/").pop()!;
    },
  };
}

/** A drafting document's text, paragraph by paragraph, from a Y.Doc. */
export function draftParagraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(proposalField)
    .toArray()
    .map((n) =>
      n instanceof Y.XmlElement
        ? n
            .toArray()
            .map((t) => (t instanceof Y.XmlText ? (t.toDelta() as { insert: string }[]).map((d) => d.insert).join("") : ""))
            .join("")
        : "",
    );
}

/** Replaces the text of a drafting document's first paragraph, as one edit. */
export function rewriteDraft(doc: Y.Doc, newText: string): void {
  doc.transact(() => {
    const paragraph = doc.getXmlFragment(proposalField).get(0) as Y.XmlElement;
    let t = paragraph.get(0) as Y.XmlText | undefined;
    if (!t) {
      t = new Y.XmlText();
      paragraph.insert(0, [t]);
    }
    t.delete(0, t.length);
    t.insert(0, newText);
  });
}

/** A compromise text as the chair's editor sends it: one paragraph, its first `italicWords` words in italics. */
export function compromiseContent(text: string, italicWords = 0): string {
  const words = text.split(" ");
  const italic = words.slice(0, italicWords).join(" ");
  const rest = italicWords ? text.slice(italic.length) : text;
  const content = [
    ...(italic ? [{ type: "text", text: italic, marks: [{ type: "italic" }] }] : []),
    ...(rest ? [{ type: "text", text: rest }] : []),
  ];
  return JSON.stringify([{ type: "paragraph", content }]);
}
