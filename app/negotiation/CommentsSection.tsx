import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useFetcher, useRouteLoaderData } from "@remix-run/react";
import { useEditorState, type Editor } from "@tiptap/react";
import type { CommentThread, CommentView } from "../../server/negotiation/comments";
import { commentAnchorsKey, selectCommentThread, selectionAnchor, setCommentAnchors } from "~/editor/comment-anchors";
import { overlayClauses } from "~/editor/negotiation-overlay";
import { CsrfInput, ErrorList } from "~/components/forms";
import { formatUtc } from "~/utils/dates";
import { maxCommentLength } from "~/statement/limits";
import type { action as commentAction } from "~/routes/documents.$documentId.comments";

/**
 * The comment threads on the clause the person is on: the pinned one first, then open ones,
 * then resolved ones. Also hands every open thread's anchor to the editor to highlight, and
 * learns from it which anchored texts are gone (orphaned) and which highlight was clicked.
 */
export function CommentsSection({
  documentId,
  clauseId,
  threads,
  editor,
  canComment,
  isChair,
}: {
  documentId: string;
  clauseId: string | null;
  threads: CommentThread[];
  editor: Editor | null;
  canComment: boolean;
  isChair: boolean;
}) {
  const action = `/documents/${documentId}/comments`;

  useEffect(() => {
    if (!editor) return;
    const anchors = threads
      .filter((t) => t.anchor && !t.resolved)
      .map((t) => ({ threadId: t.id, start: t.anchor!.start, end: t.anchor!.end }));
    setCommentAnchors(editor, anchors);
  }, [editor, threads]);

  const live = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const state = e ? commentAnchorsKey.getState(e.state) : undefined;
      const anchor = e ? selectionAnchor(e.state) : null;
      return {
        orphaned: state
          ? [...state.ranges]
              .filter(([, r]) => r === null)
              .map(([id]) => id)
              .join(" ")
          : "",
        known: state ? [...state.ranges.keys()].join(" ") : "",
        selected: state?.selected ?? null,
        selectionClause: anchor?.clauseId ?? null,
        labels: e
          ? overlayClauses(e.state)
              .map((c) => `${c.id}=${c.label}`)
              .join(" ")
          : "",
      };
    },
    equalityFn: (a, b) => JSON.stringify(a) === JSON.stringify(b),
  });
  const labels = useMemo(() => new Map((live?.labels ?? "").split(" ").map((p) => p.split("=") as [string, string])), [live?.labels]);
  // The editor knows the text as it is now; the server's view counts until the editor has placed the anchor.
  const orphaned = (t: CommentThread) => {
    if (!t.anchor) return false;
    const known = new Set((live?.known ?? "").split(" "));
    return known.has(t.id) ? new Set((live?.orphaned ?? "").split(" ")).has(t.id) : t.orphaned;
  };

  const unreadByClause = useMemo(() => {
    const counts = new Map<string, number>();
    for (const t of threads) if (t.unreadCount > 0) counts.set(t.clauseId, (counts.get(t.clauseId) ?? 0) + t.unreadCount);
    return counts;
  }, [threads]);

  const here = threads
    .filter((t) => t.clauseId === clauseId)
    .sort((a, b) => Number(!!b.pinned) - Number(!!a.pinned) || Number(!!a.resolved) - Number(!!b.resolved));
  const unreadHere = clauseId ? (unreadByClause.get(clauseId) ?? 0) : 0;
  const elsewhere = [...unreadByClause].filter(([id]) => id !== clauseId && labels.has(id));
  const headingId = useId();

  return (
    <section className="comments" aria-labelledby={headingId}>
      <h3 id={headingId}>
        Comments
        {unreadHere > 0 ? <span className="unread-count"> · {unreadHere} unread</span> : null}
      </h3>
      {elsewhere.length > 0 ? (
        <p className="unread-elsewhere">
          Unread on other clauses:{" "}
          {elsewhere.map(([id, n], i) => (
            <span key={id} data-clause-id={id}>
              {i > 0 ? ", " : null}
              {labels.get(id)} ({n})
            </span>
          ))}
        </p>
      ) : null}
      {clauseId && canComment && editor ? (
        <NewThread action={action} clauseId={clauseId} editor={editor} hasSelection={live?.selectionClause === clauseId} />
      ) : null}
      {clauseId && here.length === 0 ? <p className="muted">No comments on this clause yet.</p> : null}
      <ol className="comment-threads">
        {here.map((t) => (
          <Thread
            key={t.id}
            action={action}
            thread={t}
            orphaned={orphaned(t)}
            selected={live?.selected === t.id}
            onExpand={() => editor && t.anchor && selectCommentThread(editor, t.id)}
            canComment={canComment}
            isChair={isChair}
          />
        ))}
      </ol>
    </section>
  );
}

function NewThread({
  action,
  clauseId,
  editor,
  hasSelection,
}: {
  action: string;
  clauseId: string;
  editor: Editor;
  hasSelection: boolean;
}) {
  const fetcher = useFetcher<typeof commentAction>();
  // What the new thread is on, fixed when the person starts writing (the selection may move after).
  const [target, setTarget] = useState<{ clauseId: string; anchor: { start: string; end: string; quote: string } | null } | null>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  const id = useId();

  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) setTarget(null);
  }, [fetcher.state, fetcher.data]);
  useEffect(() => {
    if (target) textarea.current?.focus();
  }, [target]);
  // Another clause, another comment.
  useEffect(() => setTarget(null), [clauseId]);

  const start = (onSelection: boolean) => {
    const anchor = onSelection ? selectionAnchor(editor.state) : null;
    setTarget({
      clauseId,
      anchor: anchor && anchor.clauseId === clauseId ? { start: anchor.start, end: anchor.end, quote: anchor.quote } : null,
    });
  };
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};

  if (!target)
    return (
      <div className="comment-start">
        <button type="button" className="button small" onClick={() => start(true)} disabled={!hasSelection}>
          Comment on the selected text
        </button>
        <button type="button" className="button small" onClick={() => start(false)}>
          Comment on this clause
        </button>
      </div>
    );
  return (
    <fetcher.Form method="post" action={action} className="comment-form">
      <CsrfInput />
      <input type="hidden" name="intent" value="create" />
      <input type="hidden" name="clauseId" value={target.clauseId} />
      {target.anchor ? (
        <>
          <input type="hidden" name="anchorStart" value={target.anchor.start} />
          <input type="hidden" name="anchorEnd" value={target.anchor.end} />
          <blockquote className="comment-quote">{target.anchor.quote}</blockquote>
        </>
      ) : null}
      <ErrorList errors={[...(errors.form ?? []), ...(errors.clauseId ?? []), ...(errors.anchor ?? [])]} />
      <label htmlFor={id}>{target.anchor ? "Your comment on the selected text" : "Your comment on this clause"}</label>
      <textarea
        id={id}
        ref={textarea}
        name="body"
        required
        rows={3}
        maxLength={maxCommentLength}
        aria-invalid={errors.body ? true : undefined}
        aria-describedby={errors.body ? `${id}-errors` : undefined}
      />
      <ErrorList id={`${id}-errors`} errors={errors.body} />
      <div className="comment-form-actions">
        <button type="submit" className="button small primary" disabled={fetcher.state !== "idle"}>
          Post comment
        </button>
        <button type="button" className="button small" onClick={() => setTarget(null)}>
          Cancel
        </button>
      </div>
    </fetcher.Form>
  );
}

function Byline({ comment }: { comment: CommentView }) {
  return (
    <p className="comment-byline">
      <span className="comment-author">{comment.authorName}</span> · <span className="comment-affiliation">{comment.affiliation}</span> ·{" "}
      <time dateTime={comment.createdAt}>{formatUtc(comment.createdAt)}</time>
      {comment.unread ? <span className="unread-marker"> · new</span> : null}
    </p>
  );
}

function Thread({
  action,
  thread,
  orphaned,
  selected,
  onExpand,
  canComment,
  isChair,
}: {
  action: string;
  thread: CommentThread;
  orphaned: boolean;
  selected: boolean;
  onExpand: () => void;
  canComment: boolean;
  isChair: boolean;
}) {
  // Collapsed until the person opens it: what is new stays marked until then.
  const [expanded, setExpanded] = useState(false);
  const read = useFetcher();
  const csrf = useRouteLoaderData<{ csrf: string | null }>("root")?.csrf ?? "";
  const item = useRef<HTMLLIElement>(null);
  const repliesId = useId();

  // Opening the thread marks it read; new comments arriving while it is open are read too.
  const unread = thread.unreadCount;
  useEffect(() => {
    if (expanded && unread > 0 && read.state === "idle")
      read.submit({ intent: "read", threadId: thread.id, csrf }, { method: "post", action });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expanded, unread]);
  useEffect(() => {
    if (!selected) return;
    setExpanded(true);
    item.current?.scrollIntoView({ block: "nearest" });
  }, [selected]);

  return (
    <li
      ref={item}
      className={`comment-thread${thread.pinned ? " pinned" : ""}${thread.resolved ? " resolved" : ""}${selected ? " selected" : ""}`}
      data-thread-id={thread.id}
      aria-label={`Comment by ${thread.authorName}, ${thread.affiliation}`}
    >
      {thread.pinned ? <p className="comment-flag">Pinned by {thread.pinned.byName}</p> : null}
      {thread.anchor ? (
        <blockquote className={`comment-quote${orphaned ? " orphaned" : ""}`}>
          {thread.anchor.quote}
          {orphaned ? <span className="comment-orphaned"> — the text this comment was on has been deleted</span> : null}
        </blockquote>
      ) : null}
      <Byline comment={thread} />
      <p className="comment-body">{thread.body}</p>
      {unread > 0 ? <p className="unread-marker thread-unread">{unread === 1 ? "1 unread comment" : `${unread} unread comments`}</p> : null}
      {thread.resolved ? (
        <p className="comment-flag">
          Resolved by {thread.resolved.byName}, {formatUtc(thread.resolved.at)}
        </p>
      ) : thread.reopened ? (
        <p className="comment-flag">
          Reopened by {thread.reopened.byName}, {formatUtc(thread.reopened.at)}
        </p>
      ) : null}
      <button
        type="button"
        className="link-button"
        aria-expanded={expanded}
        aria-controls={repliesId}
        onClick={() => {
          if (!expanded) onExpand();
          setExpanded(!expanded);
        }}
      >
        {expanded
          ? "Hide replies"
          : thread.replies.length === 0
            ? canComment
              ? "Reply"
              : "No replies"
            : thread.replies.length === 1
              ? "Show 1 reply"
              : `Show ${thread.replies.length} replies`}
      </button>
      <div id={repliesId} hidden={!expanded}>
        {expanded ? (
          <>
            <ol className="comment-replies">
              {thread.replies.map((r) => (
                <li key={r.id} className="comment-reply" data-comment-id={r.id}>
                  <Byline comment={r} />
                  <p className="comment-body">{r.body}</p>
                </li>
              ))}
            </ol>
            {canComment ? <ReplyForm action={action} threadId={thread.id} /> : null}
          </>
        ) : null}
      </div>
      <div className="comment-actions">
        {canComment ? <ThreadButton action={action} threadId={thread.id} intent={thread.resolved ? "reopen" : "resolve"} /> : null}
        {isChair ? <ThreadButton action={action} threadId={thread.id} intent={thread.pinned ? "unpin" : "pin"} /> : null}
      </div>
    </li>
  );
}

const buttonLabels = { resolve: "Resolve", reopen: "Reopen", pin: "Pin", unpin: "Unpin" } as const;

function ThreadButton({ action, threadId, intent }: { action: string; threadId: string; intent: keyof typeof buttonLabels }) {
  const fetcher = useFetcher();
  return (
    <fetcher.Form method="post" action={action}>
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="threadId" value={threadId} />
      <button type="submit" className="button small" disabled={fetcher.state !== "idle"}>
        {buttonLabels[intent]}
        <span className="visually-hidden"> this thread</span>
      </button>
    </fetcher.Form>
  );
}

function ReplyForm({ action, threadId }: { action: string; threadId: string }) {
  const fetcher = useFetcher<typeof commentAction>();
  const form = useRef<HTMLFormElement>(null);
  const id = useId();
  useEffect(() => {
    if (fetcher.state === "idle" && fetcher.data?.ok) form.current?.reset();
  }, [fetcher.state, fetcher.data]);
  const errors = fetcher.data && !fetcher.data.ok ? fetcher.data.errors : {};
  return (
    <fetcher.Form method="post" action={action} className="comment-form" ref={form}>
      <CsrfInput />
      <input type="hidden" name="intent" value="reply" />
      <input type="hidden" name="threadId" value={threadId} />
      <label htmlFor={id}>Reply</label>
      <textarea
        id={id}
        name="body"
        required
        rows={2}
        maxLength={maxCommentLength}
        aria-invalid={errors.body ? true : undefined}
        aria-describedby={errors.body ? `${id}-errors` : undefined}
      />
      <ErrorList id={`${id}-errors`} errors={[...(errors.body ?? []), ...(errors.form ?? [])]} />
      <button type="submit" className="button small primary" disabled={fetcher.state !== "idle"}>
        Post reply
      </button>
    </fetcher.Form>
  );
}
