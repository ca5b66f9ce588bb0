import * as Y from "yjs";
import { statementField } from "../../app/editor/schema";

/** What of a document's base text the collaboration server refuses to let clients change. */
export interface RoomLocks {
  /** Why the whole text is read-only (adopted, or a silence procedure runs), or null. */
  whole: string | null;
  /** Ids of the clauses whose content must stay as it is (agreed clauses). */
  clauses: ReadonlySet<string>;
}

export const noLocks: RoomLocks = { whole: null, clauses: new Set() };

/**
 * The content of each locked clause, by id, as XML text (attributes and children included). A
 * clause is found wherever it is, so one moved intact keeps its content; several elements can
 * carry one id (a copy), so each id maps to all of its versions.
 */
export function lockedClauseContents(doc: Y.Doc, ids: ReadonlySet<string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const node of parent.toArray()) {
      if (!(node instanceof Y.XmlElement)) continue;
      if (node.nodeName === "clause") {
        const id = node.getAttribute("id");
        if (typeof id === "string" && ids.has(id)) found.set(id, [...(found.get(id) ?? []), node.toString()]);
      } else if (node.nodeName === "preamble" || node.nodeName === "operative") {
        visit(node);
      }
    }
  };
  visit(doc.getXmlFragment(statementField));
  return found;
}

/** Whether every locked clause's content before is still there after (a copy added beside it does no harm). */
export function lockedClausesIntact(before: Map<string, string[]>, after: Map<string, string[]>): boolean {
  for (const [id, versions] of before) {
    const now = after.get(id) ?? [];
    if (!versions.every((v) => now.includes(v))) return false;
  }
  return true;
}
