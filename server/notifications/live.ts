import type { Request, Response } from "express";
import type { Sql } from "../db/sql";
import type { Auth } from "../auth/service";
import type { AccessEvent } from "../auth/access-events";
import { listNotifications, notificationsChannel, unreadNotificationCount } from "../queries/notifications";
import { notificationView } from "./center";
import type { NotificationMessage } from "../../app/statement/notifications";
import { logger } from "../log";
import { requestLogOf } from "../http/request-log";

export interface NotificationStreams {
  /** GET /notifications/events: the signed-in person's own notices, as Server-Sent Events. */
  handle(req: Request, res: Response): void;
  /**
   * Carries the person's notices on a statement's event stream they opened (`res`), each message
   * framed by `frame`, so that a statement page holds one stream, not two: browsers open at most six
   * connections to a server over HTTP/1.1, and a delegate has several tabs open.
   */
  follow(res: Response, user: { id: string; sessionId: string }, frame: (message: NotificationMessage) => string): void;
  /** Tells this instance's streams of the person that their notices changed. */
  changed(userId: string): void;
  /** Ends the streams of a session (or of every session of a person) that ended; recounts after a membership change. */
  handleAccessEvent(event: AccessEvent): void;
  /** Open notification streams of their own (those riding on a statement's stream are that stream). */
  count(): number;
  close(): void;
}

/** Streams one person may hold open at once (a tab each), as for the statements' streams. */
const maxStreamsPerUser = 20;
const keepAliveMs = 25_000;

interface Stream {
  res: Response;
  userId: string;
  sessionId: string;
  frame: (message: NotificationMessage) => string;
  /** Its own stream (GET /notifications/events), not one riding on a statement's. */
  own: boolean;
}

const ownFrame = (message: NotificationMessage) => `data: ${JSON.stringify(message)}\n\n`;

/**
 * Every page's bell, and the notifications page, follow the person's notices through one
 * EventSource, authenticated like every route (the session cookie; 401 without one). A stream is
 * the person's alone: it is keyed by the session's user, nothing in the request chooses whose
 * notices it carries, and every message is read for that user from PostgreSQL. New notices are
 * announced on `notificationsChannel` with the recipient's id (server/queries/notifications.ts).
 */
export function createNotificationStreams({ sql, auth }: { sql: Sql; auth: Auth }): NotificationStreams {
  const streams = new Map<string, Set<Stream>>();

  async function message(userId: string): Promise<NotificationMessage> {
    const [unread, [latest]] = await Promise.all([
      unreadNotificationCount(sql, userId),
      listNotifications(sql, userId, { before: null, limit: 1 }),
    ]);
    return { unread, latest: latest ? notificationView(latest) : null };
  }

  function tell(userId: string) {
    const set = streams.get(userId);
    if (!set || set.size === 0) return;
    message(userId)
      .then((body) => {
        // A statement's stream ended (its session, its access) is out of the set only once it has closed.
        for (const s of set) if (!s.res.writableEnded) s.res.write(s.frame(body));
      })
      .catch((err) => logger.error({ component: "notifications", err }, "reading a person's notices for their pages failed"));
  }

  /** Adds a stream of the person's until `res` closes, and sends it where things stand now. */
  async function add(stream: Stream): Promise<void> {
    const { res, userId } = stream;
    let set = streams.get(userId);
    if (!set) streams.set(userId, (set = new Set()));
    set.add(stream);
    res.on("close", () => {
      set.delete(stream);
      if (set.size === 0 && streams.get(userId) === set) streams.delete(userId);
    });
    // Where things stand now: the page may have loaded before a notice that came since.
    const now = await message(userId);
    if (!res.writableEnded) res.write(stream.frame(now));
  }

  function end(stream: Stream) {
    streams.get(stream.userId)?.delete(stream);
    stream.res.end();
  }

  return {
    handle(req, res) {
      void (async () => {
        const user = await auth.userFromCookie(req.headers.cookie);
        if (!user) return void res.status(401).type("text/plain").send("Sign in first.");
        const own = [...(streams.get(user.id) ?? [])].filter((s) => s.own).length;
        if (own >= maxStreamsPerUser) return void res.status(429).type("text/plain").send("Too many open pages.");
        res.writeHead(200, {
          "Content-Type": "text/event-stream",
          "Cache-Control": "no-store",
          Connection: "keep-alive",
          "X-Accel-Buffering": "no",
        });
        res.write("retry: 2000\n\n");
        const keepAlive = setInterval(() => res.write(": keep-alive\n\n"), keepAliveMs);
        res.on("close", () => clearInterval(keepAlive));
        await add({ res, userId: user.id, sessionId: user.sessionId, frame: ownFrame, own: true });
      })().catch((err) => {
        requestLogOf(res).log.error({ component: "notifications", err }, "opening a notification stream failed");
        if (!res.headersSent) res.status(503).type("text/plain").send("Try again shortly.");
        else res.end();
      });
    },
    follow(res, user, frame) {
      add({ res, userId: user.id, sessionId: user.sessionId, frame, own: false }).catch((err) =>
        logger.error({ component: "notifications", err }, "reading a person's notices for a statement page failed"),
      );
    },
    changed: tell,
    handleAccessEvent(event) {
      if (event.type === "session-ended" || event.type === "user-sessions-ended") {
        for (const set of streams.values())
          for (const s of [...set])
            if (event.type === "session-ended" ? s.sessionId === event.sessionId : s.userId === event.userId) end(s);
      }
      // Leaving a conference, or joining one, changes which notices the person may read.
      if (event.type === "membership") tell(event.userId);
    },
    count() {
      let n = 0;
      for (const set of streams.values()) for (const s of set) if (s.own) n++;
      return n;
    },
    close() {
      for (const set of streams.values()) for (const s of set) s.res.end();
      streams.clear();
    },
  };
}

/** Listens for people's changed notices (from every instance) and hands each recipient's id to `handler`. */
export async function subscribeNotifications(sql: Sql, handler: (userId: string) => void): Promise<() => Promise<void>> {
  const listening = await sql.listen(notificationsChannel, handler);
  return () => listening.unlisten();
}
