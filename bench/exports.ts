import type { Node as PMNode } from "@tiptap/pm/model";
import { statementSchema } from "../app/statement/schema";
import { listClauses } from "../app/statement/numbering";
import { exportFormats } from "../app/statement/export-formats";
import { renderExport } from "../server/export/render";
import { redlineStatements } from "../server/export/redline";
import { redlineDocx } from "../server/export/redline-docx";
import { largeStatement } from "./lib/statement";

export interface ExportTiming {
  format: string;
  /** median of the runs, and the fastest and slowest */
  medianMs: number;
  minMs: number;
  maxMs: number;
  bytes: number;
}

/**
 * Each export format of a statement of `clauses` clauses, timed over `runs` runs (after one
 * warm-up), and a redline between it and a version with every tenth clause changed.
 */
export async function exportTimings(clauses: number, runs = 5): Promise<ExportTiming[]> {
  const json = largeStatement(clauses, 1);
  const doc = statementSchema.nodeFromJSON(json);
  const changed = statementSchema.nodeFromJSON(edited(structuredClone(json)));
  const cases: [string, () => Promise<{ length: number }>][] = [
    ...exportFormats.map((format) => [format, async () => (await render(doc, format)).body] as [string, () => Promise<{ length: number }>]),
    [
      "redline",
      () =>
        redlineDocx(
          redlineStatements({ doc, clauses: listClauses(doc, new Set()) }, { doc: changed, clauses: listClauses(changed, new Set()) }),
          { date: new Date() },
        ),
    ],
  ];
  const out: ExportTiming[] = [];
  for (const [format, run] of cases) {
    await run();
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      bytes = (await run()).length;
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    out.push({ format, medianMs: times[Math.floor(times.length / 2)], minMs: times[0], maxMs: times[times.length - 1], bytes });
  }
  return out;
}

const render = (doc: PMNode, format: (typeof exportFormats)[number]) =>
  renderExport({
    format,
    doc,
    conferenceTitle: "Benchmark Conference",
    documentTitle: "Joint Statement",
    version: "current",
    at: new Date(),
    created: new Date(),
    numbering: listClauses(doc, new Set()),
    draft: null,
  });

/** The statement (a copy: same clause ids) with words added to every tenth clause. */
function edited(json: ReturnType<typeof largeStatement>): ReturnType<typeof largeStatement> {
  let i = 0;
  for (const part of json.content!.slice(1)) {
    for (const clause of part.content ?? []) {
      if (i++ % 10 === 0) clause.content![0].content!.push({ type: "text", text: " as amended" });
    }
  }
  return json;
}
