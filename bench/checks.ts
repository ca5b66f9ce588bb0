// What the collaboration server's checks cost per edit (`npm run bench`, the checks case): the
// same keystrokes applied to a copy of a long statement without checks, and with the schema and
// agreed-clause checks the room runs on its shadow, in this process.
import * as Y from "yjs";
import { statementUpdate } from "../app/statement/yjs-state";
import { SchemaGuard } from "../server/collab/schema-guard";
import { LockedClauses } from "../server/collab/clause-locks";
import { statementModel } from "../server/collab/document-models";
import { largeStatement, rng, randomWord, clauseElements, statementFragment } from "./lib/statement";

export interface CheckTiming {
  clauses: number;
  edits: number;
  /** Microseconds per edit: applying it alone, and applying it with the checks. */
  applyUs: number;
  checkedUs: number;
  /** Milliseconds to check the whole statement once (what a check of everything would cost per edit). */
  wholeDocumentMs: number;
}

/** A tenth of the clauses are agreed, as late in a negotiation; nobody types in those. */
const agreed = (index: number) => index % 10 === 0;

/** Keystrokes of typists in random clauses, each its own update, made on a replica. */
function keystrokes(base: Uint8Array, edits: number): Uint8Array[] {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const r = rng(7);
  const clauses = clauseElements(doc).filter((_, i) => !agreed(i));
  const out: Uint8Array[] = [];
  doc.on("update", (u: Uint8Array) => out.push(u));
  for (let i = 0; i < edits; i++) {
    const paragraph = clauses[Math.floor(r() * clauses.length)].get(0) as Y.XmlElement;
    const text = paragraph.get(0) as Y.XmlText;
    text.insert(Math.floor(r() * text.length), `${randomWord(r)} `);
  }
  return out;
}

function timeApply(base: Uint8Array, updates: Uint8Array[], checked: boolean): number {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  if (checked) {
    const guard = new SchemaGuard(statementModel);
    const ids = clauseElements(doc)
      .filter((_, i) => agreed(i))
      .map((c) => c.getAttribute("id")!);
    const locked = new LockedClauses(new Set(ids), statementFragment(doc));
    doc.on("afterTransaction", (tr: Y.Transaction) => {
      locked.checkTransaction(tr);
      guard.checkTransaction(tr);
    });
  }
  const start = process.hrtime.bigint();
  for (const u of updates) Y.applyUpdate(doc, u);
  const ns = Number(process.hrtime.bigint() - start);
  doc.destroy();
  return ns / 1000 / updates.length;
}

export function checkTimings(clauses: number, edits = 5000): CheckTiming {
  const base = statementUpdate(largeStatement(clauses));
  const updates = keystrokes(base, edits);
  // Warm-up, then the better of three runs each (the same work every time).
  timeApply(base, updates.slice(0, 500), true);
  const applyUs = Math.min(...[0, 1, 2].map(() => timeApply(base, updates, false)));
  const checkedUs = Math.min(...[0, 1, 2].map(() => timeApply(base, updates, true)));
  const doc = new Y.Doc();
  Y.applyUpdate(doc, base);
  const guard = new SchemaGuard(statementModel);
  const start = process.hrtime.bigint();
  for (let i = 0; i < 20; i++) guard.checkDocument(doc);
  const wholeDocumentMs = Number(process.hrtime.bigint() - start) / 1e6 / 20;
  return { clauses, edits, applyUs, checkedUs, wholeDocumentMs };
}
