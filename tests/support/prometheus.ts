/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), as Prometheus reads a
 * scrape: HELP and TYPE lines, samples with escaped label values, float values (NaN, ±Inf) and
 * optional timestamps. Anything else, a sample before or outside its family's TYPE, a repeated
 * series, or a histogram whose buckets are not cumulative or disagree with its count, throws.
 */

export type MetricType = "counter" | "gauge" | "histogram" | "summary" | "untyped";

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  samples: Sample[];
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const types = new Set<MetricType>(["counter", "gauge", "histogram", "summary", "untyped"]);

/** A value as Prometheus reads one (Go's ParseFloat): NaN and Inf(inity) in any case, as prom-client writes "Nan". */
function parseValue(text: string, line: number): number {
  if (/^nan$/i.test(text)) return NaN;
  const infinite = /^([-+]?)inf(inity)?$/i.exec(text);
  if (infinite) return infinite[1] === "-" ? -Infinity : Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`line ${line}: not a number: ${JSON.stringify(text)}`);
  return Number(text);
}

function unescapeHelp(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c === "\\" ? "\\" : `\\${c}`));
}

/** The labels of a sample from just after `{`; returns them and the rest of the line after `}`. */
function parseLabels(text: string, line: number): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let rest = text;
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith("}")) return { labels, rest: rest.slice(1) };
    const name = labelName.exec(rest)?.[0];
    if (!name) throw new Error(`line ${line}: a label name expected at ${JSON.stringify(rest)}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    rest = rest.slice(name.length).trimStart();
    if (!rest.startsWith('="')) throw new Error(`line ${line}: =" expected after label ${name}`);
    rest = rest.slice(2);
    let value = "";
    for (;;) {
      const c = rest[0];
      if (c === undefined) throw new Error(`line ${line}: unterminated value of label ${name}`);
      rest = rest.slice(1);
      if (c === '"') break;
      if (c === "\\") {
        const escaped = rest[0];
        rest = rest.slice(1);
        if (escaped === "n") value += "\n";
        else if (escaped === "\\" || escaped === '"') value += escaped;
        else throw new Error(`line ${line}: bad escape \\${escaped} in label ${name}`);
      } else value += c;
    }
    labels[name] = value;
    rest = rest.trimStart();
    if (rest.startsWith(",")) rest = rest.slice(1);
    else if (!rest.startsWith("}")) throw new Error(`line ${line}: , or } expected after label ${name}`);
  }
}

/** The family a sample name belongs to: a histogram's `_bucket`, `_sum` and `_count`, a summary's `_sum` and `_count`. */
function familyOf(name: string, families: Map<string, MetricFamily>): MetricFamily | undefined {
  const own = families.get(name);
  if (own) return own;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!name.endsWith(suffix)) continue;
    const family = families.get(name.slice(0, -suffix.length));
    if (family && (family.type === "histogram" || (family.type === "summary" && suffix !== "_bucket"))) return family;
  }
  return undefined;
}

const seriesKey = (s: Sample) =>
  `${s.name}{${Object.entries(s.labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",")}}`;

function checkHistogram(family: MetricFamily): void {
  const series = new Map<string, { buckets: { le: number; value: number }[]; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith("_bucket")) {
      if (le === undefined) throw new Error(`${s.name}: a bucket without le`);
      entry.buckets.push({ le: parseValue(le, 0), value: s.value });
    } else if (s.name.endsWith("_count")) entry.count = s.value;
  }
  for (const [key, { buckets, count }] of series) {
    const last = buckets[buckets.length - 1];
    if (!last || last.le !== Infinity) throw new Error(`${family.name} ${key}: no +Inf bucket`);
    for (let i = 1; i < buckets.length; i++) {
      if (buckets[i].le <= buckets[i - 1].le) throw new Error(`${family.name} ${key}: buckets out of order`);
      if (buckets[i].value < buckets[i - 1].value) throw new Error(`${family.name} ${key}: buckets not cumulative`);
    }
    if (count !== last.value) throw new Error(`${family.name} ${key}: _count ${count} is not the +Inf bucket ${last.value}`);
  }
}

export function parsePrometheusText(text: string): Map<string, MetricFamily> {
  const families = new Map<string, MetricFamily>();
  const seen = new Set<string>();
  const helps = new Map<string, string>();
  const lines = text.split("\n");
  if (lines[lines.length - 1] !== "") throw new Error("the exposition does not end with a line feed");
  lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === "") return;
    if (raw.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
      if (!m) return; // a comment
      const [, keyword, name, rest = ""] = m;
      if (!metricName.test(name) || metricName.exec(name)![0] !== name) throw new Error(`line ${line}: bad metric name ${name}`);
      if (keyword === "HELP") {
        if (helps.has(name)) throw new Error(`line ${line}: HELP of ${name} twice`);
        helps.set(name, unescapeHelp(rest));
        const family = families.get(name);
        if (family) family.help = helps.get(name)!;
        return;
      }
      const type = rest.trim() as MetricType;
      if (!types.has(type)) throw new Error(`line ${line}: unknown type ${JSON.stringify(rest)}`);
      if (families.has(name)) throw new Error(`line ${line}: TYPE of ${name} twice, or after its samples`);
      families.set(name, { name, type, help: helps.get(name) ?? "", samples: [] });
      return;
    }
    const name = metricName.exec(raw)?.[0];
    if (!name) throw new Error(`line ${line}: a metric name expected: ${JSON.stringify(raw)}`);
    let rest = raw.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest.slice(1), line));
    const parts = rest.trim().split(/\s+/);
    if (!/^\s/.test(rest) || parts.length < 1 || parts.length > 2)
      throw new Error(`line ${line}: value [timestamp] expected: ${JSON.stringify(raw)}`);
    const value = parseValue(parts[0], line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`line ${line}: bad timestamp ${parts[1]}`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`line ${line}: sample ${name} without a TYPE before it`);
    const sample = { name, labels, value };
    const key = seriesKey(sample);
    if (seen.has(key)) throw new Error(`line ${line}: series ${key} twice`);
    seen.add(key);
    family.samples.push(sample);
  });
  for (const family of families.values()) if (family.type === "histogram") checkHistogram(family);
  return families;
}

const matches = (sample: Sample, labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => sample.labels[k] === v);

/** The value of the one sample of `name` with these labels (others may exist); undefined when there is none. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number | undefined {
  const family = familyOf(name, families);
  const found = family?.samples.filter((s) => s.name === name && matches(s, labels)) ?? [];
  if (found.length > 1) throw new Error(`${name} ${JSON.stringify(labels)} names ${found.length} series`);
  return found[0]?.value;
}
