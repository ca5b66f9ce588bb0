import * as Y from "yjs";
import { fromBase64, toBase64 } from "lib0/buffer";
import { relativePositionToAbsolutePosition } from "@tiptap/y-tiptap";

/** A comment's anchor as stored and sent: the Yjs relative positions of its two ends, base64. */
export interface EncodedAnchor {
  start: string;
  end: string;
}

/** Longest encoded position accepted: a real one is a few dozen characters (ids and a type key). */
export const maxEncodedPositionLength = 200;

/** ProseMirror's position of each Yjs node as the binding (or `initProseMirrorDoc`) keeps them. */
export type ProsemirrorMapping = Parameters<typeof relativePositionToAbsolutePosition>[3];

export const encodeRelativePosition = (position: Y.RelativePosition): string => toBase64(Y.encodeRelativePosition(position));

export function decodeRelativePosition(encoded: string): Y.RelativePosition | null {
  if (encoded.length === 0 || encoded.length > maxEncodedPositionLength || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  try {
    return Y.decodeRelativePosition(fromBase64(encoded));
  } catch {
    return null;
  }
}

/** Whether a type and everything around it still exist (a deleted clause takes its text with it). */
function alive(type: Y.AbstractType<unknown>): boolean {
  for (let item = type._item; item; item = (item.parent as Y.AbstractType<unknown>)._item) if (item.deleted) return false;
  return true;
}

/**
 * A ProseMirror position for one end, or null when the text it was attached to is gone. Yjs
 * still answers for positions inside deleted nodes, so their liveness is checked first.
 */
function resolveEnd(ydoc: Y.Doc, fragment: Y.XmlFragment, mapping: ProsemirrorMapping, position: Y.RelativePosition): number | null {
  const absolute = Y.createAbsolutePositionFromRelativePosition(position, ydoc);
  if (!absolute || !alive(absolute.type)) return null;
  return relativePositionToAbsolutePosition(ydoc, fragment, position, mapping);
}

/**
 * Where an anchor lies now, or null when it is orphaned: an end cannot be found, or the range
 * has collapsed because its text was deleted. Server and editor decide this the same way.
 */
export function resolveAnchor(
  ydoc: Y.Doc,
  fragment: Y.XmlFragment,
  mapping: ProsemirrorMapping,
  anchor: EncodedAnchor,
): { from: number; to: number } | null {
  const start = decodeRelativePosition(anchor.start);
  const end = decodeRelativePosition(anchor.end);
  if (!start || !end) return null;
  const from = resolveEnd(ydoc, fragment, mapping, start);
  const to = resolveEnd(ydoc, fragment, mapping, end);
  if (from === null || to === null || from >= to) return null;
  return { from, to };
}
