import type { Request, Response } from "express";
import type { Sql } from "../db/sql";
import type { Auth } from "../auth/service";
import { can, resolveAccess } from "../auth/permissions";
import { mayReceive, refusals, sightOf, type Sight } from "../auth/visibility";
import { findConference } from "../queries/conferences";
import { findDocument } from "../queries/documents";
import { findUser } from "../queries/users";
import type { AccessEvent } from "../auth/access-events";
import type { NegotiationEvent } from "./events";
import { encodeLive } from "../../app/negotiation/live-patch";
import { audienceKey, type Audience } from "./statement-view";
import { hearsBreakout } from "../breakouts/rules";
import { LiveViews, type Reader, type ReaderPatch } from "./live-views";
import { workspaceDelegation } from "../workspace/workspace";
import { readingView } from "../readings/readings";
import { admitScreen, screenAudience, screenPrincipal, screenStillAdmitted, screenTokenOf } from "../screen/screen";
import type { NotificationStreams } from "../notifications/live";
import { logger } from "../log";
import { requestLogOf } from "../http/request-log";

export interface LiveUpdates {
  /** GET /documents/:documentId/events: a Server-Sent Events stream of the statement's negotiation events. */
  handle(req: Request, res: Response): void;
  dispatch(event: NegotiationEvent): void;
  /** The statement page's data as each audience last saw it (the loader reads its version and leaves its view here). */
  views: LiveViews;
  /**
   * Ends the streams of someone who may no longer see them (removed, downgraded, signed out), as
   * the collaboration endpoint closes their WebSockets on the same notification.
   */
  handleAccessEvent(event: AccessEvent): Promise<void>;
  /** Open streams (for tests and metrics). */
  count(): number;
  close(): void;
}

/** Streams one person may hold open at once, all statements together (tabs, pages). */
const maxStreamsPerUser = 20;
const keepAliveMs = 25_000;

/** A message for many streams: its bytes, and the same as one chunk of a chunked body, framed once for them all. */
interface Message {
  data: Buffer;
  chunk: Buffer;
}

const crlf = Buffer.from("\r\n");

function messageOf(text: string): Message {
  const data = Buffer.from(text);
  return { data, chunk: Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, crlf]) };
}

/**
 * Writes a message to a stream. An event goes to every page open, and these writes are most of
 * what it costs the server: to a chunked stream (its headers and first message written when it
 * opened) the chunk framed once goes as one write on the socket, where `res.write` frames it
 * again and makes four of it, on the next tick. Any other stream (HTTP/1.0) through the response.
 */
function write(res: Response, message: Message): void {
  const socket = res.socket;
  if (res.chunkedEncoding && res.headersSent && !res.writableEnded && socket && !socket.destroyed) socket.write(message.chunk);
  else res.write(message.data);
}

/** An open stream, with the identity it was opened with. */
interface Stream {
  res: Response;
  userId: string;
  sessionId: string;
  conferenceId: string;
  documentId: string;
  /** What the person sees of the statement (the conference's confidentiality): which events reach them. */
  sight: Sight;
  /** Who reads the page, for the patch its events carry. */
  reader: Reader;
  /** A page showing a translation (`?translations=1`): it alone is told when one changes, which happens as translators type. */
  translations: boolean;
  /**
   * A plenary screen (`?screen=<projection token>`, no session): it reloads its own data at the
   * events it may receive (as an observer would), and is never anyone's reader of a patch.
   */
  screen: boolean;
  /** A breakout's page (`?breakouts=1`): it alone is told of comments in breakouts. */
  breakouts: boolean;
}

/**
 * Pages showing a statement learn of negotiation changes through an EventSource, authenticated
 * like every route (the session cookie; 401 without one, 404 for a statement the person has no
 * part in, 403 for an observer of a conference in closed session). Each event carries what
 * changed on the statement page as that reader sees it (server/negotiation/live-views.ts), derived
 * by the same code and checks as the page's loader; a page that cannot apply it reloads through
 * its loader. An observer who sees the base text only gets its events alone (versions, clause
 * states), never the negotiation's notices.
 */
export function createLiveUpdates({
  sql,
  auth,
  notifications,
}: {
  sql: Sql;
  auth: Auth;
  /** A page's stream opened with `?notifications=1` carries its person's notices too (`NotificationStreams.follow`). */
  notifications: NotificationStreams;
}): LiveUpdates {
  const streams = new Map<string, Set<Stream>>();
  const perUser = new Map<string, number>();
  const views = new LiveViews(sql);

  const send = (res: Response, data: string) => res.write(data);

  /** What a person sees of a statement now, and as whom, as decided when the stream was opened. */
  async function audienceNow(userId: string, documentId: string): Promise<{ sight: Sight; audience: Audience } | null> {
    const [user, document] = await Promise.all([findUser(sql, userId), findDocument(sql, documentId)]);
    if (!user || !document) return null;
    const [access, conference] = await Promise.all([
      resolveAccess(sql, user, document.conferenceId),
      findConference(sql, document.conferenceId),
    ]);
    if (!access || !conference || !can(access, "conference:view")) return null;
    const sight = sightOf(access, conference);
    return sight === "none" ? null : { sight, audience: { access, conference } };
  }

  function allStreams(): Stream[] {
    return [...streams.values()].flatMap((set) => [...set]);
  }

  /** Out of the dispatch list at once: nothing more is written between the end and the socket's close. */
  function end(stream: Stream): void {
    streams.get(stream.documentId)?.delete(stream);
    stream.res.end();
  }

  /**
   * Opens an event stream on `res` for who `stream` says, counted against their streams, until it
   * closes; false when they have too many open (answered 429).
   */
  function register(res: Response, fields: Omit<Stream, "res">): boolean {
    const { userId, documentId } = fields;
    const open = perUser.get(userId) ?? 0;
    if (open >= maxStreamsPerUser) {
      res.status(429).type("text/plain").send("Too many open pages.");
      return false;
    }
    perUser.set(userId, open + 1);
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-store",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    // Tells the browser how soon to come back after a drop.
    send(res, "retry: 2000\n\n");
    let set = streams.get(documentId);
    if (!set) streams.set(documentId, (set = new Set()));
    const stream: Stream = { res, ...fields };
    set.add(stream);
    const keepAlive = setInterval(() => send(res, ": keep-alive\n\n"), keepAliveMs);
    res.on("close", () => {
      clearInterval(keepAlive);
      set.delete(stream);
      if (set.size === 0 && streams.get(documentId) === set) {
        streams.delete(documentId);
        views.forget(documentId);
      }
      const left = (perUser.get(userId) ?? 1) - 1;
      if (left > 0) perUser.set(userId, left);
      else perUser.delete(userId);
    });
    return true;
  }

  /** A plenary screen's stream, opened with its projection token: 404 for a token that is not live, 403 in closed session. */
  async function openScreen(req: Request, res: Response, token: string): Promise<void> {
    const screen = await admitScreen(sql, req.params.documentId ?? "", token);
    if (!screen.ok)
      return void res
        .status(screen.status)
        .type("text/plain")
        .send(screen.status === 404 ? "There is no such screen." : refusals.none);
    const principal = screenPrincipal(screen.tokenId);
    register(res, {
      userId: principal,
      sessionId: principal,
      conferenceId: screen.document.conferenceId,
      documentId: screen.document.id,
      sight: screen.sight,
      reader: { audience: screenAudience(screen.document, screen.conference), userId: principal },
      translations: false,
      screen: true,
      breakouts: false,
    });
  }

  /** Readings' events, per statement, sent in the order they came (each reads the reading as it then stands). */
  const readingQueues = new Map<string, Promise<void>>();

  /** Every page that may see the statement is sent the running reading whole (or null once ended): nothing reloads for it. */
  function sendReading(documentId: string, receiving: Stream[]): void {
    const previous = readingQueues.get(documentId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const reading = await readingView(sql, documentId);
        const message = messageOf(`data: ${encodeLive({ topic: "readings", notice: null, supersedes: null, reading })}\n\n`);
        const set = streams.get(documentId);
        for (const stream of receiving) if (set?.has(stream)) write(stream.res, message);
      })
      .catch((err) => {
        logger.error({ component: "live", err }, "reading the reading failed; the pages reload");
        for (const stream of receiving)
          send(stream.res, `data: ${JSON.stringify({ topic: "readings", notice: null, supersedes: null })}\n\n`);
      })
      .finally(() => {
        if (readingQueues.get(documentId) === next) readingQueues.delete(documentId);
      });
    readingQueues.set(documentId, next);
  }

  return {
    handle(req, res) {
      void (async () => {
        if (typeof req.query.screen === "string") return openScreen(req, res, req.query.screen);
        const user = await auth.userFromCookie(req.headers.cookie);
        if (!user) return void res.status(401).type("text/plain").send("Sign in first.");
        const document = await findDocument(sql, req.params.documentId ?? "");
        const access = document && document.kind === "statement" ? await resolveAccess(sql, user, document.conferenceId) : null;
        if (!document || !access || !can(access, "conference:view"))
          return void res.status(404).type("text/plain").send("There is no such document.");
        const conference = await findConference(sql, document.conferenceId);
        const sight = conference ? sightOf(access, conference) : "none";
        if (sight === "none") return void res.status(403).type("text/plain").send(refusals.none);
        const opened = register(res, {
          userId: user.id,
          sessionId: user.sessionId,
          conferenceId: document.conferenceId,
          documentId: document.id,
          sight,
          reader: { audience: { access, conference: conference! }, userId: user.id },
          translations: req.query.translations === "1",
          screen: false,
          breakouts: req.query.breakouts === "1",
        });
        if (opened && req.query.notifications === "1")
          notifications.follow(
            res,
            { id: user.id, sessionId: user.sessionId },
            (message) => `data: ${encodeLive({ topic: "notifications", notice: null, supersedes: null, notifications: message })}\n\n`,
          );
      })().catch((err) => {
        requestLogOf(res).log.error({ component: "live", err }, "opening an event stream failed");
        if (!res.headersSent) res.status(503).type("text/plain").send("Try again shortly.");
        else res.end();
      });
    },
    views,
    dispatch(event) {
      const set = streams.get(event.documentId);
      if (event.topic === "workspace") {
        // A delegation's workspace is its own: only its members' pages hear of it (and reload it), whatever else they may see.
        const message = `data: ${JSON.stringify({ topic: event.topic, notice: null, supersedes: null })}\n\n`;
        for (const stream of set ?? [])
          if (event.delegationId && workspaceDelegation(stream.reader.audience.access) === event.delegationId) send(stream.res, message);
        return;
      }
      const receiving = [...(set ?? [])].filter((stream) => mayReceive(stream.sight, event));
      const message = { topic: event.topic, notice: event.notice ?? null, supersedes: event.supersedes ?? null };
      if (event.topic === "readings") return sendReading(event.documentId, receiving);
      // Screens reload their own data at every event they may receive; they are nobody's reader of a patch.
      for (const stream of receiving) if (stream.screen && !event.withinBreakouts) send(stream.res, `data: ${JSON.stringify(message)}\n\n`);
      if (event.topic === "screen") return;
      const pages = receiving.filter((stream) => !stream.screen);
      if (event.topic === "translations") {
        // Nothing of the statement page changed: only translation pages hear it, and reload.
        for (const stream of pages) if (stream.translations) send(stream.res, `data: ${encodeLive(message)}\n\n`);
        return;
      }
      if (event.topic === "breakouts") {
        // Which clauses are in a breakout is the loader's, per reader (server/breakouts/breakout-views.ts): the pages reload.
        const hears = (stream: (typeof pages)[number]) =>
          (!event.withinBreakouts || stream.breakouts) && (!event.breakout || hearsBreakout(event.breakout, stream.reader.audience.access));
        for (const stream of pages) if (hears(stream)) send(stream.res, `data: ${encodeLive(message)}\n\n`);
        return;
      }
      // Every event moves the statement's version, so that a page loading meanwhile is not given the old one.
      views
        .event(
          event.documentId,
          event.topic,
          pages.map((s) => s.reader),
        )
        .then((patches) => {
          // Readers given the same patch (an audience's, comments aside) share its message, serialized and framed once.
          const messages = new Map<ReaderPatch | null, Message>();
          for (const stream of pages) {
            // A stream closed meanwhile is written no more.
            if (!set?.has(stream)) continue;
            const patch = patches.get(stream.reader) ?? null;
            let data = messages.get(patch);
            if (data === undefined)
              messages.set(patch, (data = messageOf(`data: ${encodeLive(patch ? { ...message, patch } : message)}\n\n`)));
            write(stream.res, data);
          }
        })
        .catch((err) => {
          logger.error({ component: "live", err }, "working out what changed failed; the pages reload");
          for (const stream of pages) if (set?.has(stream)) send(stream.res, `data: ${JSON.stringify(message)}\n\n`);
        });
    },
    async handleAccessEvent(event) {
      if (event.type === "session-ended" || event.type === "user-sessions-ended") {
        for (const s of allStreams()) {
          if (event.type === "session-ended" ? s.sessionId === event.sessionId : s.userId === event.userId) end(s);
        }
        return;
      }
      const affected = allStreams().filter((s) =>
        event.type === "document" ? s.documentId === event.documentId : s.userId === event.userId && s.conferenceId === event.conferenceId,
      );
      // One check per person and statement, whatever number of pages they have open.
      const checks = new Map<string, ReturnType<typeof audienceNow>>();
      for (const s of affected) {
        if (s.screen) {
          // A screen is nobody: it stays while its token is live and the conference lets an observer see the text.
          const tokenId = screenTokenOf(s.userId);
          if (!tokenId || !(await screenStillAdmitted(sql, tokenId))) end(s);
          continue;
        }
        const key = `${s.userId} ${s.documentId}`;
        if (!checks.has(key)) checks.set(key, audienceNow(s.userId, s.documentId));
        const now = await checks.get(key)!;
        if (!now) end(s);
        else if (now.sight !== s.sight || audienceKey(now.audience) !== audienceKey(s.reader.audience)) {
          s.sight = now.sight;
          s.reader = { audience: now.audience, userId: s.userId };
          // What the page may show changed (the conference's confidentiality, a role): it reloads through its loader.
          send(s.res, `data: ${JSON.stringify({ topic: "access", notice: null, supersedes: null })}\n\n`);
        }
      }
    },
    count() {
      let n = 0;
      for (const set of streams.values()) n += set.size;
      return n;
    },
    close() {
      for (const s of allStreams()) s.res.end();
      streams.clear();
    },
  };
}
