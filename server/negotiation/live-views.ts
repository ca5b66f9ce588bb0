import { randomBytes } from "node:crypto";
import type { Db } from "../db/sql";
import { unreadComments } from "../queries/comments";
import { diffLiveData, type LivePatch, type ListPatch } from "../../app/negotiation/live-patch";
import { personalThreads, type SharedThread } from "./comments";
import {
  audienceKey,
  keptUnchanged,
  rereadStatementRoom,
  statementView,
  type Audience,
  type StampedRoom,
  type StatementRoom,
  type StatementView,
} from "./statement-view";
import type { NegotiationEvent } from "./events";

/** What a page showing the statement was last sent (or loaded): the view of its audience, at a version. */
interface Base {
  version: string;
  view: StatementView;
  /** When its reads began (performance.now()). */
  readAt: number;
}

interface Statement {
  /** The version of the statement's data now: changes with every negotiation event. */
  version: string;
  bases: Map<string, Base>;
  /**
   * The room as the last event left it, for the next (`rereadStatementRoom`); before any event,
   * as a page read it (its text's stamp unknown: the next event reads the text).
   */
  room: StampedRoom | null;
  /** Events are turned into patches one at a time, in the order they came. */
  queue: Promise<unknown>;
}

/** A page to be told of an event: who reads it, for their audience's patch and their own comments. */
export interface Reader {
  audience: Audience;
  userId: string;
}

/** What one page is sent for an event: the patch from the version it holds, or nothing (it reloads). */
export interface ReaderPatch {
  from: string;
  to: string;
  data: LivePatch;
}

/**
 * The statement page's data as each audience last saw it, per statement, so that a negotiation
 * event sends every open page what changed instead of making it reload: the statement's room is
 * read once per event, each audience's view derived from it and compared with the one before.
 * Versions name this instance (a page that loaded elsewhere reloads at its first event); a page
 * whose data is not at the version a patch starts from reloads instead.
 */
export class LiveViews {
  private readonly instance = randomBytes(4).toString("hex");
  /** Versions are never reused, not even for a statement forgotten and seen again. */
  private minted = 0;
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly sql: Db) {}

  private mint(): string {
    return `${this.instance}.${++this.minted}`;
  }

  private statement(documentId: string): Statement {
    let s = this.statements.get(documentId);
    if (!s) this.statements.set(documentId, (s = { version: this.mint(), bases: new Map(), room: null, queue: Promise.resolve() }));
    return s;
  }

  /** The version of a statement's data read from now on, and when (for `loaded`). */
  version(documentId: string): { version: string; readAt: number } {
    return { version: this.statement(documentId).version, readAt: performance.now() };
  }

  /**
   * The room a page read, with the values of the statement's latest room wherever they hold the
   * same data: the views of every audience then share them, and the next event's patches find
   * them unchanged by identity instead of comparing each audience's own copy.
   */
  room(documentId: string, room: StatementRoom): StatementRoom {
    const statement = this.statement(documentId);
    if (!statement.room) {
      statement.room = { room, stamp: null };
      return room;
    }
    return keptUnchanged(statement.room.room, room);
  }

  /**
   * A page loaded this view at `version`: it becomes its audience's base unless one is held at
   * that version already, read earlier. (A change is announced just after it is committed: two
   * pages loading then may read before and after it at the same version, and the earlier read
   * is the base from which the announcement's patch brings both up to date.) Returns the version
   * the page's data is at, or null when an event came while it was read (it reloads at the next).
   */
  loaded(
    documentId: string,
    audience: Audience,
    { version, readAt }: { version: string; readAt: number },
    view: StatementView,
  ): string | null {
    const { bases, version: now } = this.statement(documentId);
    if (now !== version) return null;
    const key = audienceKey(audience);
    const base = bases.get(key);
    if (!base || base.version !== version || base.readAt > readAt) bases.set(key, { version, view, readAt });
    return version;
  }

  /** No page shows the statement here any more: its views are dropped (a page that opens again loads afresh). */
  forget(documentId: string): void {
    this.statements.delete(documentId);
  }

  /**
   * A negotiation event on the statement: its new version at once (a page loading meanwhile is
   * not given the old one), then each reader's patch, in the order events came.
   */
  event(documentId: string, topic: NegotiationEvent["topic"], readers: readonly Reader[]): Promise<Map<Reader, ReaderPatch | null>> {
    const statement = this.statement(documentId);
    const to = (statement.version = this.mint());
    const result = statement.queue.then(() => this.patches(documentId, statement, to, topic, readers));
    statement.queue = result.catch(() => undefined);
    return result;
  }

  private async patches(
    documentId: string,
    statement: Statement,
    to: string,
    topic: NegotiationEvent["topic"],
    readers: readonly Reader[],
  ) {
    if (readers.length === 0) {
      // Nobody to tell: nothing is read, and the next event reads the room whole.
      statement.room = null;
      return new Map<Reader, ReaderPatch | null>();
    }
    const readAt = performance.now();
    statement.room = await rereadStatementRoom(this.sql, documentId, statement.room, topic);
    const { room } = statement.room;
    const keys = readers.map((r) => audienceKey(r.audience));
    const byKey = new Map<string, { patch: LivePatch | null; shared: ReaderPatch | null }>();
    keys.forEach((key, i) => {
      if (byKey.has(key)) return;
      const view = statementView(room, readers[i].audience);
      const before = statement.bases.get(key);
      const patch = before ? (diffLiveData(before.view, view) ?? {}) : null;
      // One patch for all the audience's readers (and so serialized once), unless comments make it each reader's.
      byKey.set(key, { patch, shared: before && patch ? { from: before.version, to, data: patch } : null });
      statement.bases.set(key, { version: to, view, readAt });
    });
    // Whose comments and what each reader has not read, for the threads that changed: one query for everyone.
    const threads = new Set<string>();
    for (const { patch } of byKey.values())
      for (const t of (patch?.comments as ListPatch | undefined)?.list.set ?? []) threads.add((t as SharedThread).id);
    const unread = threads.size
      ? await unreadComments(
          this.sql,
          documentId,
          readers.map((r) => r.userId),
          [...threads],
        )
      : null;
    const out = new Map<Reader, ReaderPatch | null>();
    const personal = new Map<string, ReaderPatch>();
    readers.forEach((reader, i) => {
      const { patch, shared } = byKey.get(keys[i])!;
      const comments = patch?.comments as ListPatch | undefined;
      if (!shared || !comments || !unread) return void out.set(reader, shared);
      const set = personalThreads(comments.list.set as SharedThread[], reader.userId, unread.get(reader.userId)!);
      // Readers of an audience to whom the changed threads look alike (whose comments, which unread) share one patch.
      const alike = `${keys[i]}\n${set.map((t) => [t, ...t.replies].map((c) => `${+c.mine}${+c.unread}`).join("")).join(" ")}`;
      let mine = personal.get(alike);
      if (!mine) personal.set(alike, (mine = { ...shared, data: { ...patch, comments: { list: { ...comments.list, set } } } }));
      out.set(reader, mine);
    });
    return out;
  }
}
