import { isConcord, type ServerKind } from "./servers";
import { ms, type Summary } from "./stats";

/** What the comparison needs of one plenary case (bench/run.ts's CaseResult has it all). */
export interface ComparedCase {
  server: ServerKind;
  ok: boolean;
  converged?: boolean;
  missed?: number;
  cpuSeconds?: number;
  cpuUsPerDelivery?: number | null;
  latency?: Summary | null;
}

/** Concord's figure against the lowest of the eligible baselines' (each figure may come from another baseline). */
export interface Comparison {
  concord: number;
  best: number;
  baseline: ServerKind;
  /** Concord ÷ best: the target is ≤ 1 */
  ratio: number;
  met: boolean;
}

export interface Verdict {
  n: number;
  /** The baselines compared with: those that converged and missed nothing (a baseline that lost edits did less work). */
  baselines: ServerKind[];
  /** Baselines left out of the comparison, with why. */
  excluded: { server: ServerKind; why: string }[];
  cpu: Comparison | null;
  cpuPerDelivery: Comparison | null;
  p99: Comparison | null;
  missedZero: boolean;
}

function compare(concord: ComparedCase, bases: ComparedCase[], figure: (r: ComparedCase) => number | null | undefined): Comparison | null {
  const mine = figure(concord);
  const candidates = bases.filter((b) => figure(b) != null);
  if (mine == null || candidates.length === 0) return null;
  const best = candidates.reduce((a, b) => (figure(b)! < figure(a)! ? b : a));
  const value = figure(best)!;
  return { concord: mine, best: value, baseline: best.server, ratio: value > 0 ? mine / value : Infinity, met: mine <= value };
}

/** Concord against the best in-memory baseline of the same N, figure by figure (issue 13, goal 2). */
export function verdict(n: number, results: ComparedCase[]): Verdict | null {
  const concord = results.find((r) => r.server === "concord" && r.ok);
  if (!concord) return null;
  const excluded: Verdict["excluded"] = [];
  const bases = results.filter((r) => {
    if (isConcord(r.server)) return false;
    const why = !r.ok ? "did not run" : r.missed ? `missed ${r.missed}` : !r.converged ? "did not converge" : null;
    if (why) excluded.push({ server: r.server, why });
    return why === null;
  });
  return {
    n,
    baselines: bases.map((b) => b.server),
    excluded,
    cpu: compare(concord, bases, (r) => r.cpuSeconds),
    cpuPerDelivery: compare(concord, bases, (r) => r.cpuUsPerDelivery),
    p99: compare(concord, bases, (r) => r.latency?.p99),
    missedZero: results.filter((r) => isConcord(r.server) && r.ok).every((r) => r.missed === 0),
  };
}

/** One line per figure: Concord, the best baseline, the ratio, met or not. */
export function verdictLines(v: Verdict): string[] {
  if (v.baselines.length === 0)
    return [`no baseline to compare with at N = ${v.n} (${v.excluded.map((e) => `${e.server}: ${e.why}`).join("; ")})`];
  const line = (label: string, c: Comparison | null, format: (value: number) => string) =>
    c
      ? `${label.padEnd(24)} Concord ${format(c.concord)} ÷ best ${format(c.best)} (${c.baseline}) = ${c.ratio.toFixed(2)}× — ${
          c.met ? "met" : "NOT met"
        }`
      : `${label.padEnd(24)} –`;
  return [
    line("CPU", v.cpu, (s) => `${s.toFixed(2)} s`),
    line("CPU per delivered edit", v.cpuPerDelivery, (us) => `${us.toFixed(1)} µs`),
    line("p99", v.p99, (p) => `${ms(p)} ms`),
    ...(v.excluded.length ? [`(left out: ${v.excluded.map((e) => `${e.server}, ${e.why}`).join("; ")})`] : []),
  ];
}
