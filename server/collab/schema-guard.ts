import * as Y from "yjs";
import type { ContentMatch, NodeType, Schema } from "@tiptap/pm/model";
import { createdIn, deletedDeep, depthOf, elementsIn, type AnyYType } from "./y-tree";

/** A document update that would leave the document outside its schema or its bounds; never stored. */
export class SchemaViolation extends Error {}

export interface DocumentLimits {
  /** Elements nested under the root, at most (a statement: part › clause › list › item › list …). */
  maxDepth: number;
  /** Children of one element, at most (clauses of a part, paragraphs of a clause …). */
  maxChildren: number;
  /** Characters of one unit (a clause, the title), at most. */
  maxUnitChars: number;
  /** Characters of the whole document, at most. */
  maxTotalChars: number;
  /** Length of a string attribute, at most. */
  maxAttributeChars: number;
}

/**
 * What a collaborative document may hold: a ProseMirror schema as y-prosemirror lays it out in a
 * Y.XmlFragment (an element per node, named after its type, its attributes as the node's attrs;
 * a Y.XmlText per run of text, marks as formatting attributes), plus bounds.
 */
export interface DocumentModel {
  schema: Schema;
  /** Name of the root Y.XmlFragment; no other root type may exist. */
  field: string;
  /** Node types whose text counts against maxUnitChars (none: the whole document is one unit). */
  units: ReadonlySet<string>;
  /** Stricter checks of some attributes, by node type and attribute. */
  attributes?: Record<string, Record<string, (value: unknown) => boolean>>;
  limits: DocumentLimits;
}

type YNode = Y.XmlElement | Y.XmlText | Y.XmlHook | AnyYType;

const markName = (key: string) => {
  // y-prosemirror names overlapping marks "<mark>--<hash>".
  const at = key.indexOf("--");
  return at < 0 ? key : key.slice(0, at);
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * Checks what a transaction on a document changed against its model: every element it touched
 * (its attributes, its children in order, the marks of its text) and every element it created,
 * whole. The rest of the document was checked when it was written, so a keystroke costs a check
 * of one paragraph, not of the statement.
 */
export class SchemaGuard {
  private readonly unitSize = new WeakMap<AnyYType, number>();
  private readonly totals = new WeakMap<Y.Doc, number>();
  private readonly attributeKinds = new Map<string, Map<string, (v: unknown) => boolean>>();

  constructor(readonly model: DocumentModel) {
    const { maxAttributeChars } = model.limits;
    for (const [name, type] of Object.entries(model.schema.nodes)) {
      const checks = new Map<string, (v: unknown) => boolean>();
      for (const [attr, spec] of Object.entries(type.spec.attrs ?? {})) {
        const strict = model.attributes?.[name]?.[attr];
        const byDefault =
          typeof (spec as { default?: unknown }).default === "number"
            ? (v: unknown) => Number.isSafeInteger(v) && Math.abs(v as number) <= 1_000_000
            : (v: unknown) => typeof v === "string" && v.length <= maxAttributeChars;
        checks.set(attr, (v) => v === null || (strict ?? byDefault)(v));
      }
      this.attributeKinds.set(name, checks);
    }
  }

  /** Checks a whole document (when it is loaded; a test's oracle). */
  checkDocument(doc: Y.Doc): void {
    for (const [name, type] of doc.share) {
      if (name !== this.model.field) {
        if (type._start !== null || type._map.size > 0) throw new SchemaViolation(`unknown root "${name}"`);
      }
    }
    const root = doc.getXmlFragment(this.model.field);
    this.checkSubtree(root, 0);
    this.checkSizes(root);
  }

  /** Checks what one transaction changed; throws SchemaViolation. */
  checkTransaction(tr: Y.Transaction): void {
    const root: AnyYType = tr.doc.getXmlFragment(this.model.field);
    for (const type of tr.changed.keys()) {
      if (!type._item) {
        if (type !== root) throw new SchemaViolation("content outside the document");
      } else if (deletedDeep(type)) continue;
      const element = type instanceof Y.XmlText ? (type._item!.parent as AnyYType) : type;
      if (element instanceof Y.XmlText || !(element instanceof Y.XmlElement || element === root)) {
        throw new SchemaViolation("unexpected structure");
      }
      const depth = depthOf(element);
      this.checkElement(element, depth, (child) => {
        if (createdIn(tr, child)) this.checkSubtree(child, depth + 1);
      });
    }
    if (tr.changed.size > 0 || tr.deleteSet.clients.size > 0) this.checkSizes(root as Y.XmlFragment, tr);
  }

  /** The node type an element stands for; the root is the schema's top node. */
  private typeOf(element: AnyYType): NodeType {
    if (!(element instanceof Y.XmlElement)) return this.model.schema.topNodeType;
    const type = this.model.schema.nodes[element.nodeName];
    if (!type || type.isText || type === this.model.schema.topNodeType) throw new SchemaViolation(`unknown element <${element.nodeName}>`);
    return type;
  }

  private checkSubtree(element: AnyYType, depth: number): void {
    this.checkElement(element, depth, (child) => this.checkSubtree(child, depth + 1));
  }

  /**
   * One element: its attributes, its children's types in order against the content expression,
   * and its text's marks; `visit` is called for each child element.
   */
  private checkElement(element: AnyYType, depth: number, visit: (child: Y.XmlElement) => void): void {
    if (depth > this.model.limits.maxDepth) throw new SchemaViolation("nested too deeply");
    const type = this.typeOf(element);
    if (element instanceof Y.XmlElement) {
      const allowed = this.attributeKinds.get(type.name)!;
      for (const [key, value] of Object.entries(element.getAttributes())) {
        const check = allowed.get(key);
        if (!check) throw new SchemaViolation(`attribute "${key}" is not allowed on <${type.name}>`);
        if (!check(value)) throw new SchemaViolation(`attribute "${key}" of <${type.name}> has an invalid value`);
      }
    } else if (element._map.size > 0) {
      throw new SchemaViolation("attributes on the document root");
    }
    const children = (element as Y.XmlElement).toArray() as YNode[];
    if (children.length > this.model.limits.maxChildren) throw new SchemaViolation(`too many children in <${type.name}>`);
    let match: ContentMatch | null = type.contentMatch;
    for (const child of children) {
      if (child instanceof Y.XmlElement) {
        const childType = this.typeOf(child);
        match = match.matchType(childType);
        if (!match) throw new SchemaViolation(`<${childType.name}> is not allowed in <${type.name}>`);
        visit(child);
      } else if (child instanceof Y.XmlText) {
        if (child._map.size > 0) throw new SchemaViolation("attributes on text");
        if (child.length === 0) continue;
        match = match.matchType(this.model.schema.nodes.text);
        if (!match) throw new SchemaViolation(`text is not allowed in <${type.name}>`);
        this.checkText(child, type);
      } else {
        throw new SchemaViolation(`unexpected content in <${type.name}>`);
      }
    }
    if (!match.validEnd) throw new SchemaViolation(`<${type.name}> is incomplete`);
  }

  private checkText(text: Y.XmlText, parent: NodeType): void {
    for (const run of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
      if (typeof run.insert !== "string") throw new SchemaViolation("embedded content in text");
      for (const [key, attrs] of Object.entries(run.attributes ?? {})) {
        const mark = this.model.schema.marks[markName(key)];
        if (!mark || !parent.allowsMarkType(mark)) throw new SchemaViolation(`mark "${key}" is not allowed in <${parent.name}>`);
        if (attrs !== true && !(isPlainObject(attrs) && Object.keys(attrs).every((a) => a in (mark.spec.attrs ?? {})))) {
          throw new SchemaViolation(`mark "${key}" has invalid attributes`);
        }
      }
    }
  }

  /** Characters in a subtree (Y.XmlText lengths; an element counts as one, as in ProseMirror's size). */
  private charsIn(type: AnyYType): number {
    let n = 0;
    for (const child of (type as Y.XmlElement).toArray())
      n += child instanceof Y.XmlText ? child.length : 1 + this.charsIn(child as Y.XmlElement);
    return n;
  }

  /** The unit (clause, title) a type is in, if any. */
  private unitOf(type: AnyYType): Y.XmlElement | null {
    for (let t: AnyYType | null = type; t?._item; t = t._item.parent as AnyYType) {
      if (t instanceof Y.XmlElement && this.model.units.has(t.nodeName)) return t;
    }
    return null;
  }

  /** The size of a unit, within its bound, remembered until it changes. */
  private measure(unit: Y.XmlElement): number {
    const size = this.charsIn(unit);
    if (size > this.model.limits.maxUnitChars) throw new SchemaViolation(`a ${unit.nodeName} is too long`);
    this.unitSize.set(unit, size);
    return size;
  }

  /** The whole document's size, measuring every unit (a document seen for the first time). */
  private totalOf(root: AnyYType): number {
    let total = 0;
    for (const child of (root as Y.XmlElement).toArray()) {
      if (child instanceof Y.XmlText) total += child.length;
      else if (child instanceof Y.XmlElement)
        total += 1 + (this.model.units.has(child.nodeName) ? this.measure(child) : this.totalOf(child));
    }
    return total;
  }

  /**
   * Each unit and the whole document within their bounds. The document's size is kept from one
   * transaction to the next: the units a transaction touched are measured again, the ones it
   * deleted subtracted, so a keystroke measures one clause. Text outside units (none in a
   * statement) is counted only when the document is measured whole.
   */
  private checkSizes(root: Y.XmlFragment, tr?: Y.Transaction): void {
    const { units, limits } = this.model;
    if (units.size === 0) {
      if (this.charsIn(root) > limits.maxTotalChars) throw new SchemaViolation("the document is too long");
      return;
    }
    const known = this.totals.get(root.doc!);
    let total: number;
    if (!tr || known === undefined) {
      total = this.totalOf(root);
    } else {
      total = known;
      const touched = new Set<Y.XmlElement>();
      for (const type of tr.changed.keys()) {
        if (type._item && deletedDeep(type)) continue;
        const unit = this.unitOf(type);
        if (unit) touched.add(unit);
        else if (type instanceof Y.XmlElement || type instanceof Y.XmlFragment) {
          for (const child of type.toArray()) {
            if (!(child instanceof Y.XmlElement) || !createdIn(tr, child)) continue;
            for (const e of elementsIn(child)) if (units.has(e.nodeName) && !deletedDeep(e)) touched.add(e);
          }
        }
      }
      Y.iterateDeletedStructs(tr, tr.deleteSet, (struct) => {
        if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentType)) return;
        const size = this.unitSize.get(struct.content.type);
        if (size === undefined) return;
        total -= 1 + size;
        this.unitSize.delete(struct.content.type);
      });
      for (const unit of touched) {
        const before = this.unitSize.get(unit);
        total += this.measure(unit) - (before ?? -1);
      }
    }
    if (total > limits.maxTotalChars) throw new SchemaViolation("the document is too long");
    this.totals.set(root.doc!, total);
  }

  /**
   * Keeps the sizes right after a transaction that is not checked (a change already stored, from
   * another instance or the database); if it oversteps a bound, the next check measures anew.
   */
  observe(tr: Y.Transaction): void {
    try {
      this.checkSizes(tr.doc.getXmlFragment(this.model.field), tr);
    } catch {
      this.totals.delete(tr.doc);
    }
  }
}
