import type * as Y from "yjs";
import { absolutePositionToRelativePosition, initProseMirrorDoc } from "@tiptap/y-tiptap";
import { statementField, statementSchema } from "../../app/statement/schema";
import { clauseNodes } from "../../app/statement/numbering";
import { encodeRelativePosition, resolveAnchor, type EncodedAnchor, type ProsemirrorMapping } from "../../app/statement/anchor-positions";
import { csrfTokenFor } from "./http";

/** The statement in `doc` laid out as the editor's binding lays it out. */
function bind(doc: Y.Doc) {
  const fragment = doc.getXmlFragment(statementField);
  const { doc: pm, mapping } = initProseMirrorDoc(fragment, statementSchema);
  // y-tiptap declares the mapping as Map<any, any>; it is the binding's node mapping.
  return { fragment, doc: pm, mapping: mapping as ProsemirrorMapping };
}

/**
 * The anchor the editor sends for a selection of `word` (its first occurrence) in a clause,
 * computed with the same y-prosemirror function the browser uses.
 */
export function anchorOnWord(doc: Y.Doc, clauseIndex: number, word: string): EncodedAnchor & { clauseId: string } {
  const { fragment, doc: pm, mapping } = bind(doc);
  const clause = clauseNodes(pm)[clauseIndex];
  const offset = clause.text.indexOf(word);
  if (offset < 0) throw new Error(`"${word}" is not in clause ${clauseIndex}`);
  // Inside the clause node and its first paragraph; the demo clauses are one paragraph of text.
  const from = clause.pos + 2 + offset;
  return {
    clauseId: clause.id!,
    start: encodeRelativePosition(absolutePositionToRelativePosition(from, fragment, mapping) as Y.RelativePosition),
    end: encodeRelativePosition(absolutePositionToRelativePosition(from + word.length, fragment, mapping) as Y.RelativePosition),
  };
}

/** The text an anchor encloses in `doc` now, or null when it is orphaned. */
export function anchoredText(doc: Y.Doc, anchor: EncodedAnchor): string | null {
  const { fragment, doc: pm, mapping } = bind(doc);
  const range = resolveAnchor(doc, fragment, mapping, anchor);
  return range ? pm.textBetween(range.from, range.to, " ") : null;
}

export interface ActionAnswer {
  status: number;
  /** The action's result, when it returned one (not for a refusal thrown as 403 or 404). */
  data: { ok: boolean; threadId?: string; errors?: Record<string, string[]> } | null;
}

/** Posts to a statement's comments action as a signed-in person with their anti-forgery token. */
export function commentsPoster(serverUrl: string, documentId: string, cookie: string) {
  let token: Promise<string> | null = null;
  return async (fields: Record<string, string>): Promise<ActionAnswer> => {
    const csrf = await (token ??= csrfTokenFor(serverUrl, cookie));
    const res = await fetch(`${serverUrl}/documents/${documentId}/comments`, {
      method: "POST",
      headers: { Cookie: cookie },
      body: new URLSearchParams({ csrf, ...fields }),
      redirect: "manual",
    });
    // Refusals (403, 404) are thrown responses; their status says it all.
    if (res.status !== 200 && res.status !== 400) return { status: res.status, data: null };
    return { status: res.status, data: (await res.json()) as ActionAnswer["data"] };
  };
}
