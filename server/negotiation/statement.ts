import * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import type { Db } from "../db/sql";
import { createDocument, type DocumentRow } from "../queries/documents";
import { appendUpdates, loadUpdates } from "../queries/document-state";
import { statementSchema } from "../../app/statement/schema";
import { proposalField, proposalSchema } from "../../app/statement/proposal-schema";
import { statementJSON } from "../../app/statement/yjs-state";

/**
 * Documents as PostgreSQL stores them (a statement, a proposal's draft): the one source of truth,
 * since an edit is stored before anyone sees it. The collaboration rooms keep their own copies.
 */

/** A Y.Doc holding these updates; the caller destroys it. */
export function docOf(updates: Uint8Array[]): Y.Doc {
  const ydoc = new Y.Doc();
  Y.transact(ydoc, () => updates.forEach((u) => Y.applyUpdate(ydoc, u)));
  return ydoc;
}

/** Reads what it needs from a Y.Doc holding these updates, which is gone afterwards. */
export function readDoc<T>(updates: Uint8Array[], read: (ydoc: Y.Doc) => T): T {
  const ydoc = docOf(updates);
  try {
    return read(ydoc);
  } finally {
    ydoc.destroy();
  }
}

/** Reads what it needs from a document's Y.Doc as stored. */
export async function readStoredDoc<T>(sql: Db, documentId: string, read: (ydoc: Y.Doc) => T): Promise<T> {
  return readDoc(await loadUpdates(sql, documentId), read);
}

/** Creates a document holding `update` as its first stored update. */
export async function createStoredDocument(
  sql: Db,
  d: { conferenceId: string; title: string; kind?: DocumentRow["kind"]; update: Uint8Array },
): Promise<DocumentRow> {
  const document = await createDocument(sql, d.conferenceId, d.title, d.kind);
  await appendUpdates(sql, document.id, [d.update]);
  return document;
}

/** A statement as ProseMirror reads it; server/negotiation/numbering.ts numbers its clauses. */
export function statementDoc(ydoc: Y.Doc): PMNode {
  return statementSchema.nodeFromJSON(statementJSON(ydoc));
}

/** A proposal's drafting document: its clause body, and that body's plain text. */
export interface Draft {
  doc: PMNode;
  content: JSONContent[];
  text: string;
}

export async function readDraft(sql: Db, textDocumentId: string): Promise<Draft> {
  return draftOf(await loadUpdates(sql, textDocumentId));
}

/** A clause body's drafting document (a proposal's, a translation's) from its stored updates. */
export function draftOf(updates: Uint8Array[]): Draft {
  const json = readDoc(updates, (ydoc) => yXmlFragmentToProsemirrorJSON(ydoc.getXmlFragment(proposalField)) as JSONContent);
  // An emptied fragment has no children; the schema wants at least a paragraph.
  const doc = proposalSchema.nodeFromJSON(json.content?.length ? json : { type: "doc", content: [{ type: "paragraph" }] });
  return { doc, content: doc.content.toJSON() as JSONContent[], text: doc.textContent };
}

/** Creates a clause body's drafting document (a proposal's by default, a translation's or a breakout's) holding this body. */
export async function createDraft(
  sql: Db,
  d: { conferenceId: string; title: string; content: JSONContent[]; kind?: "proposal" | "translation" | "breakout" },
): Promise<DocumentRow> {
  const ydoc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(proposalSchema, { type: "doc", content: d.content }, ydoc.getXmlFragment(proposalField));
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return createStoredDocument(sql, { conferenceId: d.conferenceId, title: d.title, kind: d.kind ?? "proposal", update });
}
