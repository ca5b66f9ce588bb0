import * as Y from "yjs";

/**
 * Any Yjs type, whatever its events. Yjs's type parameter is its event type and is invariant, so
 * no narrower argument than `any` accepts an XmlElement and an XmlFragment alike.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyYType = Y.AbstractType<any>;

/** Whether a Yjs type or one of its ancestors was deleted (its content no longer counts). */
export function deletedDeep(type: AnyYType): boolean {
  for (let t: AnyYType | null = type; t?._item; t = t._item.parent as AnyYType) {
    if (t._item.deleted) return true;
  }
  return false;
}

/** Number of types between a type and its root (the root is 0). */
export function depthOf(type: AnyYType): number {
  let d = 0;
  for (let t = type; t._item; t = t._item.parent as AnyYType) d++;
  return d;
}

/** The types a transaction created: structures past what the document had before it. */
export const createdIn = (tr: Y.Transaction, type: AnyYType) =>
  type._item !== null && type._item.id.clock >= (tr.beforeState.get(type._item.id.client) ?? 0);

/** Every element of a subtree, the subtree's root included if it is one. */
export function* elementsIn(type: AnyYType): Generator<Y.XmlElement> {
  if (type instanceof Y.XmlElement) yield type;
  if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
    for (const child of type.toArray()) if (child instanceof Y.XmlElement) yield* elementsIn(child);
  }
}
