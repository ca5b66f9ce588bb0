-- Comments: at most one pinned thread per clause, and the history of resolving, reopening and
-- pinning (comments.resolved_* and pinned_* hold only the current value).
create unique index comments_pinned_idx on comments (document_id, clause_id) where pinned_at is not null;

create table comment_events (
  id bigserial primary key,
  thread_id uuid not null references comments (id) on delete cascade,
  kind text not null check (kind in ('resolved', 'reopened', 'pinned', 'unpinned')),
  user_id uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now()
);
create index comment_events_thread_idx on comment_events (thread_id, id);

-- The role the author spoke in when writing ("Chair", "Secretariat", or their delegation), kept
-- so that a later change of role does not rewrite who said what.
alter table comments add column author_role text check (author_role in ('secretariat', 'chair', 'delegate'));
