import * as Y from "yjs";
import { statementField } from "../../app/statement/schema";
import type { Sql } from "../../server/db/sql";
import { loadUpdates } from "../../server/queries/document-state";

/**
 * Reading and editing a statement's Y.XmlFragment directly, the way y-prosemirror lays it out:
 * title, preamble > clause*, operative > clause*, clause > paragraph > Y.XmlText.
 */
export const statementFragment = (doc: Y.Doc) => doc.getXmlFragment(statementField);

const elements = (parent: Y.XmlFragment | Y.XmlElement) => parent.toArray().filter((n): n is Y.XmlElement => n instanceof Y.XmlElement);

/** The clauses in document order (PP1…, then OP1…). */
export function clauseElements(doc: Y.Doc): Y.XmlElement[] {
  return elements(statementFragment(doc))
    .filter((part) => part.nodeName === "preamble" || part.nodeName === "operative")
    .flatMap((part) => elements(part).filter((c) => c.nodeName === "clause"));
}

/** Plain text of a node, as ProseMirror's textContent has it (no separators). */
function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) {
    return (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
  }
  if (node instanceof Y.XmlElement)
    return node
      .toArray()
      .map((n) => textOf(n as Y.XmlElement))
      .join("");
  return "";
}

export function clauseTexts(doc: Y.Doc): string[] {
  return clauseElements(doc).map(textOf);
}

/** Title and clauses, one per line. */
export function statementText(doc: Y.Doc): string {
  const title = elements(statementFragment(doc)).find((n) => n.nodeName === "title");
  return [title ? textOf(title) : "", ...clauseTexts(doc)].join("\n");
}

/** The Y.XmlText of a clause's first paragraph (created if the paragraph is empty). */
function clauseParagraphText(doc: Y.Doc, clause: number): Y.XmlText {
  const el = clauseElements(doc)[clause];
  if (!el) throw new Error(`no clause #${clause}`);
  const paragraph = elements(el).find((n) => n.nodeName === "paragraph");
  if (!paragraph) throw new Error(`clause #${clause} has no paragraph`);
  const existing = paragraph.toArray().find((n): n is Y.XmlText => n instanceof Y.XmlText);
  if (existing) return existing;
  const text = new Y.XmlText();
  paragraph.insert(0, [text]);
  return text;
}

/** A caret at `index` of the statement's root fragment, as y-prosemirror puts it in presence (relative positions, in JSON). */
export function caretAt(doc: Y.Doc, index: number): { anchor: unknown; head: unknown } {
  const pos: unknown = JSON.parse(JSON.stringify(Y.createRelativePositionFromTypeIndex(statementFragment(doc), index)));
  return { anchor: pos, head: pos };
}

/** Inserts plain text into a clause's first paragraph, at `at` or at its end, in one transaction. */
export function typeInClause(doc: Y.Doc, clause: number, text: string, at?: number): void {
  doc.transact(() => {
    const target = clauseParagraphText(doc, clause);
    target.insert(at ?? target.length, text, {});
  });
}

export function deleteInClause(doc: Y.Doc, clause: number, at: number, length: number): void {
  doc.transact(() => clauseParagraphText(doc, clause).delete(at, length));
}

/** The document as PostgreSQL has it right now (snapshot plus log), in a fresh Y.Doc. */
export async function storedDoc(sql: Sql, documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const updates = await loadUpdates(sql, documentId);
  Y.transact(doc, () => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  return doc;
}

export const sameContent = (a: Y.Doc, b: Y.Doc) =>
  JSON.stringify(statementFragment(a).toJSON()) === JSON.stringify(statementFragment(b).toJSON());
