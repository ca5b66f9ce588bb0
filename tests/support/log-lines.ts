/** One line of the server's JSON log (server/log.ts). */
export interface LogLine {
  level: string;
  time: string;
  msg: string;
  reqId?: string;
  method?: string;
  path?: string;
  route?: string;
  status?: number;
  ms?: number;
  errorReference?: string;
  component?: string;
  err?: { type?: string; message?: string; stack?: string; code?: string | number };
  [key: string]: unknown;
}

/**
 * The log lines in a server's output. Every line is a JSON object, but for the plain-text hand-over
 * of the accounts a first start creates (server/main.ts), which starts otherwise: a line that
 * starts as JSON and does not parse fails the test.
 */
export function logLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const line of output.split("\n")) {
    if (!line.startsWith("{")) continue;
    const parsed = JSON.parse(line) as LogLine;
    if (typeof parsed.level !== "string" || typeof parsed.time !== "string" || typeof parsed.msg !== "string")
      throw new Error(`a log line without level, time or msg: ${line}`);
    lines.push(parsed);
  }
  return lines;
}
