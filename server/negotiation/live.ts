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

export interface LiveUpdates {
  /** GET /documents/:documentId/events: a Server-Sent Events stream of the statement's negotiation events. */
  handle(req: Request, res: Response): void;
  dispatch(event: NegotiationEvent): void;
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

/** An open stream, with the identity it was opened with. */
interface Stream {
  res: Response;
  userId: string;
  sessionId: string;
  conferenceId: string;
  documentId: string;
  /** What the person sees of the statement (the conference's confidentiality): which events reach them. */
  sight: Sight;
}

/**
 * Pages showing a statement learn of negotiation changes through an EventSource, authenticated
 * like every route (the session cookie; 401 without one, 404 for a statement the person has no
 * part in, 403 for an observer of a conference in closed session). The events only say what
 * changed; the page then reloads its data through its loader, where the permission checks apply
 * as usual. An observer who sees the base text only gets its events alone (versions, clause
 * states), never the negotiation's notices.
 */
export function createLiveUpdates({ sql, auth }: { sql: Sql; auth: Auth }): LiveUpdates {
  const streams = new Map<string, Set<Stream>>();
  const perUser = new Map<string, number>();

  const send = (res: Response, data: string) => res.write(data);

  /** What a person sees of a statement now, as decided when the stream was opened. */
  async function sightNow(userId: string, documentId: string): Promise<Sight> {
    const [user, document] = await Promise.all([findUser(sql, userId), findDocument(sql, documentId)]);
    if (!user || !document) return "none";
    const [access, conference] = await Promise.all([
      resolveAccess(sql, user, document.conferenceId),
      findConference(sql, document.conferenceId),
    ]);
    return access && conference && can(access, "conference:view") ? sightOf(access, conference) : "none";
  }

  function allStreams(): Stream[] {
    return [...streams.values()].flatMap((set) => [...set]);
  }

  /** Out of the dispatch list at once: nothing more is written between the end and the socket's close. */
  function end(stream: Stream): void {
    streams.get(stream.documentId)?.delete(stream);
    stream.res.end();
  }

  return {
    handle(req, res) {
      void (async () => {
        const user = await auth.userFromCookie(req.headers.cookie);
        if (!user) return void res.status(401).type("text/plain").send("Sign in first.");
        const document = await findDocument(sql, req.params.documentId ?? "");
        const access = document && document.kind === "statement" ? await resolveAccess(sql, user, document.conferenceId) : null;
        if (!document || !access || !can(access, "conference:view"))
          return void res.status(404).type("text/plain").send("There is no such document.");
        const conference = await findConference(sql, document.conferenceId);
        const sight = conference ? sightOf(access, conference) : "none";
        if (sight === "none") return void res.status(403).type("text/plain").send(refusals.none);
        const open = perUser.get(user.id) ?? 0;
        if (open >= maxStreamsPerUser) return void res.status(429).type("text/plain").send("Too many open pages.");
        perUser.set(user.id, open + 1);
        res.writeHead(200, {
          "Content-Type": "text/event-stream",
          "Cache-Control": "no-store",
          Connection: "keep-alive",
          "X-Accel-Buffering": "no",
        });
        // Tells the browser how soon to come back after a drop.
        send(res, "retry: 2000\n\n");
        let set = streams.get(document.id);
        if (!set) streams.set(document.id, (set = new Set()));
        const stream: Stream = {
          res,
          userId: user.id,
          sessionId: user.sessionId,
          conferenceId: document.conferenceId,
          documentId: document.id,
          sight,
        };
        set.add(stream);
        const keepAlive = setInterval(() => send(res, ": keep-alive\n\n"), keepAliveMs);
        res.on("close", () => {
          clearInterval(keepAlive);
          set.delete(stream);
          if (set.size === 0 && streams.get(document.id) === set) streams.delete(document.id);
          const left = (perUser.get(user.id) ?? 1) - 1;
          if (left > 0) perUser.set(user.id, left);
          else perUser.delete(user.id);
        });
      })().catch((err) => {
        console.error("[live] opening an event stream failed", err);
        if (!res.headersSent) res.status(503).type("text/plain").send("Try again shortly.");
        else res.end();
      });
    },
    dispatch(event) {
      const set = streams.get(event.documentId);
      if (!set) return;
      const data = `data: ${JSON.stringify({ topic: event.topic, notice: event.notice ?? null, supersedes: event.supersedes ?? null })}\n\n`;
      for (const stream of set) if (mayReceive(stream.sight, event)) send(stream.res, data);
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
      const checks = new Map<string, Promise<Sight>>();
      for (const s of affected) {
        const key = `${s.userId} ${s.documentId}`;
        if (!checks.has(key)) checks.set(key, sightNow(s.userId, s.documentId));
        const sight = await checks.get(key)!;
        if (sight === "none") end(s);
        else if (sight !== s.sight) {
          s.sight = sight;
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
