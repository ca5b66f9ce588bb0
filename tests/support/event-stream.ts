import { expect } from "vitest";
import { decodeLive, type LivePatch } from "../../app/negotiation/live-patch";

export interface LiveEvent {
  topic: string;
  notice: string | null;
  /** What changed on the statement page as this reader sees it, from the version `from`. */
  patch?: { from: string; to: string; data: LivePatch };
}

/**
 * A statement's event stream opened through the real server, collecting its events; `isEnded` says
 * when the server ended it. `query` as a page adds it ("?translations=1").
 */
export async function openEventStream(serverUrl: string, documentId: string, cookie: string, query = "") {
  const { messages, ...stream } = await openServerSentEvents(`${serverUrl}/documents/${documentId}/events${query}`, cookie, (data) =>
    decodeLive<LiveEvent>(data),
  );
  return { events: messages, ...stream };
}

/** An event stream of the real server read as a browser's EventSource would, each message's data decoded. */
export async function openServerSentEvents<T>(url: string, cookie: string, decode: (data: string) => T) {
  const res = await fetch(url, { headers: { cookie } });
  expect(res.status).toBe(200);
  const messages: T[] = [];
  let ended = false;
  const reader = res.body!.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const data = buffer
            .slice(0, end)
            .split("\n")
            .find((l) => l.startsWith("data: "));
          buffer = buffer.slice(end + 2);
          if (data) messages.push(decode(data.slice(6)));
        }
      }
    } catch {
      // the connection dropped: ended all the same
    }
    ended = true;
  })();
  return { messages, isEnded: () => ended, close: () => void reader.cancel().catch(() => {}) };
}
