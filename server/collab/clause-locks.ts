import * as Y from "yjs";
import { createdIn, deletedDeep, elementsIn, type AnyYType } from "./y-tree";

/** What of a document's base text the collaboration server refuses to let clients change. */
export interface RoomLocks {
  /** Why the whole text is read-only (adopted, or a silence procedure runs), or null. */
  whole: string | null;
  /** Ids of the clauses whose content must stay as it is (agreed clauses). */
  clauses: ReadonlySet<string>;
}

export const noLocks: RoomLocks = { whole: null, clauses: new Set() };

/** An update that would change, move, remove or copy an agreed clause; never stored. */
export class LockViolation extends Error {}

/**
 * The agreed clauses of one copy of a document, held by identity: the Yjs elements that carried
 * the locked ids when the locks were taken. A look-alike is not the clause: a locked clause must
 * stay the same element, in the same place (Yjs moves by deleting and inserting a new one), with
 * nothing in it changed, and no other element may take a locked id, anywhere in the document.
 */
export class LockedClauses {
  private readonly elements = new Set<Y.XmlElement>();

  constructor(
    private readonly ids: ReadonlySet<string>,
    root: Y.XmlFragment,
  ) {
    if (ids.size === 0) return;
    for (const e of elementsIn(root)) if (this.isLockedId(e.getAttribute("id"))) this.elements.add(e);
  }

  private isLockedId(id: unknown): boolean {
    return typeof id === "string" && this.ids.has(id);
  }

  /** Throws LockViolation if the transaction touched a locked clause or gave its id to another element. */
  checkTransaction(tr: Y.Transaction): void {
    if (this.ids.size === 0) return;
    for (const e of this.elements) if (deletedDeep(e)) throw new LockViolation("an agreed clause was removed or moved");
    for (const [type, keys] of tr.changed) {
      for (let t: AnyYType | null = type; t; t = t._item ? (t._item.parent as AnyYType) : null) {
        if (this.elements.has(t as Y.XmlElement)) throw new LockViolation("an agreed clause was changed");
      }
      if (type instanceof Y.XmlElement && keys.has("id")) this.refuseImpostor(type as Y.XmlElement);
      if (!(type instanceof Y.XmlElement || type instanceof Y.XmlFragment)) continue;
      for (const child of type.toArray()) {
        if (child instanceof Y.XmlElement && createdIn(tr, child)) for (const e of elementsIn(child)) this.refuseImpostor(e);
      }
    }
  }

  private refuseImpostor(e: Y.XmlElement): void {
    if (!this.elements.has(e) && this.isLockedId(e.getAttribute("id")))
      throw new LockViolation("another element took an agreed clause's id");
  }
}
