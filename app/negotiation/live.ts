import { useCallback, useEffect, useRef, useState } from "react";
import { useActionData, useFetchers, useLocation, useNavigation, useRevalidator } from "@remix-run/react";
import type { SerializeFrom } from "@remix-run/node";
import { applyLivePatch, decodeLive, type LivePatch } from "./live-patch";
import type { ReadingView } from "~/statement/readings";
import type { NotificationMessage } from "~/statement/notifications";
import { carryNotifications } from "~/notifications/stream";

export interface LiveNotice {
  id: number;
  text: string;
  topic: string;
}

/** A page whose data the events patch: the version its data is at, and how a patch is applied. */
export interface Patchable {
  version(): string | null;
  apply(patch: LivePatch, to: string): void;
}

interface LiveMessage {
  topic: string;
  notice: string | null;
  supersedes?: string | null;
  patch?: { from: string; to: string; data: LivePatch };
  /** A reading's event: the running reading whole, or null once it ended. */
  reading?: ReadingView | null;
  /** The person's notices (`?notifications=1`), for the bell (app/notifications/stream.ts). */
  notifications?: NotificationMessage;
}

export interface LiveOptions {
  /** A page showing a translation hears of translations' changes. */
  translations?: boolean;
  /** A breakout's page hears of the comments in breakouts. */
  breakouts?: boolean;
  /** Told the running reading at each of its events; pages without it ignore readings (their data holds none). */
  onReading?: (reading: ReadingView | null) => void;
  /** The plenary screen's projection token: its stream is opened with it instead of a session. */
  screen?: string;
}

/**
 * Keeps a statement's pages current: the server announces every negotiation change on an
 * EventSource. A page whose data is `patchable` applies what changed, as the event carries it,
 * when its data is at the version the patch starts from; otherwise it reloads its loaders
 * (coalesced, so a burst costs one reload). After a dropped connection the page reloads once, for
 * what it may have missed. Returns the notices worth showing everyone (e.g. silence broken),
 * newest last; an event that ends a state withdraws the notices of that state's topic
 * (server/negotiation/events.ts, `supersedes`). A page showing translations asks to hear of their
 * changes too (`translations`), a breakout's page of the comments in breakouts (`breakouts`). A
 * reading's event carries the reading, handed to `onReading`: the pointer moving never reloads a page.
 */
export function useLiveUpdates(
  documentId: string,
  patchable?: Patchable,
  { translations = false, breakouts = false, onReading, screen }: LiveOptions = {},
): LiveNotice[] {
  const revalidator = useRevalidator();
  // A revalidation started during a navigation or a fetcher's submission would cancel it (the
  // router reloads the current location instead, and drops the action's redirect), so events
  // that arrive meanwhile wait for it to end; it reloads the data anyway.
  const navigation = useNavigation();
  const fetchers = useFetchers();
  const busy = navigation.state !== "idle" || fetchers.some((f) => f.state !== "idle");
  const latest = useRef(revalidator);
  latest.current = revalidator;
  const navigating = useRef(false);
  navigating.current = busy;
  // An event that arrives during a reload asks for one more once it is done.
  const pending = useRef(false);
  const [notices, setNotices] = useState<LiveNotice[]>([]);
  const target = useRef(patchable);
  target.current = patchable;
  const readingTarget = useRef(onReading);
  readingTarget.current = onReading;

  useEffect(() => {
    if (revalidator.state === "idle" && !busy && pending.current && navigator.onLine) {
      pending.current = false;
      revalidator.revalidate();
    }
  }, [revalidator, busy]);

  useEffect(() => {
    const reload = () => {
      // Offline, a reload can only fail, and its error would replace the page (and the editor
      // holding unsent edits); it waits until the browser is back online.
      if (!navigator.onLine) pending.current = true;
      else if (latest.current.state === "idle" && !navigating.current) latest.current.revalidate();
      else pending.current = true;
    };
    const online = () => {
      if (pending.current) reload();
    };
    window.addEventListener("online", online);
    let opened = false;
    let nextId = 1;
    // A person's page carries their notices on this stream too; a screen is nobody's.
    const notifications = screen === undefined ? carryNotifications() : null;
    const query =
      screen !== undefined
        ? new URLSearchParams({ screen })
        : new URLSearchParams([
            ...(translations ? [["translations", "1"]] : []),
            ...(breakouts ? [["breakouts", "1"]] : []),
            ["notifications", "1"],
          ]);
    const source = new EventSource(`/documents/${documentId}/events?${query.toString()}`);
    source.onopen = () => {
      if (opened) reload();
      opened = true;
    };
    source.onmessage = (e) => {
      let message: LiveMessage;
      try {
        message = decodeLive<LiveMessage>(e.data as string);
      } catch {
        return reload();
      }
      const { topic, notice, supersedes, patch } = message;
      if (topic === "notifications" && message.notifications) return notifications?.deliver(message.notifications);
      if (topic === "readings" && message.reading !== undefined) return readingTarget.current?.(message.reading);
      const page = target.current;
      if (page && patch && patch.from === page.version()) {
        page.apply(patch.data, patch.to);
        // A reload under way may bring data from before this patch: one more follows it.
        if (latest.current.state !== "idle" || navigating.current) pending.current = true;
      } else reload();
      if (!notice && !supersedes) return;
      const id = nextId++;
      setNotices((list) => {
        const standing = supersedes ? list.filter((n) => n.topic !== supersedes) : list;
        return notice ? [...standing.slice(-4), { id, text: notice, topic }] : standing;
      });
    };
    return () => {
      window.removeEventListener("online", online);
      source.close();
      notifications?.release();
    };
  }, [documentId, translations, breakouts, screen]);

  return notices;
}

/**
 * A live page's data: as its loader last sent it, with the patches of the events since applied
 * (`useLiveUpdates`). A reload of the page's data replaces what the patches made.
 */
export function usePatchedData<T extends { liveVersion: string | null }>(loaded: T): { data: T; patchable: Patchable } {
  const [patched, setPatched] = useState<{ base: T; data: T }>({ base: loaded, data: loaded });
  // Read by the event stream's handler, between renders: kept in refs, set as the data arrives.
  const base = useRef(loaded);
  const version = useRef(loaded.liveVersion);
  if (base.current !== loaded) {
    base.current = loaded;
    version.current = loaded.liveVersion;
  }
  const apply = useCallback((patch: LivePatch, to: string) => {
    version.current = to;
    setPatched((p) => {
      const from = p.base === base.current ? p.data : base.current;
      return { base: base.current, data: applyLivePatch(from, patch) };
    });
  }, []);
  const patchable = useRef<Patchable>({ version: () => version.current, apply }).current;
  return { data: patched.base === loaded ? patched.data : loaded, patchable };
}

/**
 * The answer to this person's last form on a live page. `useActionData` is cleared by any reload
 * of the page's data, and a live page reloads when the server announces a change, which the
 * action itself does: the answer ("Restored Rev.1", or why it was refused) could vanish as soon as
 * it was shown. It is kept until the next answer, or until the page shows another path.
 */
export function useActionAnswer<T>(): SerializeFrom<T> | undefined {
  const answer = useActionData<T>();
  const { pathname } = useLocation();
  const [kept, setKept] = useState<{ pathname: string; answer: SerializeFrom<T> } | null>(null);
  useEffect(() => {
    if (answer !== undefined) setKept({ pathname, answer });
  }, [answer, pathname]);
  return answer ?? (kept?.pathname === pathname ? kept.answer : undefined);
}
