import * as Y from "yjs";
import type { JSONContent } from "@tiptap/core";
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from "@tiptap/y-tiptap";
import { statementField, statementSchema } from "./schema";

/** The Yjs update that creates a statement with this content. */
export function statementUpdate(content: JSONContent): Uint8Array {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(statementSchema, content, doc.getXmlFragment(statementField));
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

/** A statement's content as ProseMirror JSON. */
export function statementJSON(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(statementField)) as JSONContent;
}
