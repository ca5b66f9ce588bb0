import * as Y from "yjs";

/** Whether a Yjs type or one of its ancestors was deleted (its content no longer counts). */
export function deletedDeep(type: Y.AbstractType<any>): boolean {
  for (let t: Y.AbstractType<any> | null = type; t?._item; t = t._item.parent as Y.AbstractType<any>) {
    if (t._item.deleted) return true;
  }
  return false;
}

/** Number of types between a type and its root (the root is 0). */
export function depthOf(type: Y.AbstractType<any>): number {
  let d = 0;
  for (let t = type; t._item; t = t._item.parent as Y.AbstractType<any>) d++;
  return d;
}

/** The types a transaction created: structures past what the document had before it. */
export const createdIn = (tr: Y.Transaction, type: Y.AbstractType<any>) =>
  type._item !== null && type._item.id.clock >= (tr.beforeState.get(type._item.id.client) ?? 0);

/** Every element of a subtree, the subtree's root included if it is one. */
export function* elementsIn(type: Y.AbstractType<any>): Generator<Y.XmlElement> {
  if (type instanceof Y.XmlElement) yield type;
  if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
    for (const child of type.toArray()) if (child instanceof Y.XmlElement) yield* elementsIn(child);
  }
}
