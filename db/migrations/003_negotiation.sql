-- The negotiation on a statement: proposals (amendments) with their sponsors and the chair's
-- decisions, comments, each delegation's signal on each clause, clause states, and the silence
-- procedure. Clauses are named by their stable id (the clause node's `id` attribute).
-- History tables are append-only: the current value is the latest row.

-- A proposal's text is drafted in a Yjs document of its own, stored like a statement.
alter table documents add column kind text not null default 'statement' check (kind in ('statement', 'proposal'));
-- Set when a silence procedure passes: the text is adopted and locked for good.
alter table documents add column adopted_at timestamptz;

create table proposals (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  -- Per statement, in order of creation: "P7".
  number int not null,
  kind text not null check (kind in ('replace', 'delete', 'retain', 'add')),
  -- The clause it is on; for `add`, the clause the new one follows (null: the start of `part`).
  clause_id text,
  part text not null check (part in ('pp', 'op')),
  -- Its drafting document (replace and add only).
  text_document_id uuid unique references documents (id) on delete restrict,
  -- The sponsoring delegation; null for a chair's compromise text.
  delegation_id uuid references delegations (id) on delete restrict,
  created_by uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  status text not null default 'draft'
    check (status in ('draft', 'submitted', 'accepted', 'rejected', 'merged', 'withdrawn')),
  -- The clause's text when the proposal was drafted (or last revised), to show what it changes.
  base_text text not null default '',
  decided_by uuid references users (id) on delete restrict,
  decided_at timestamptz,
  decision_reason text,
  -- A merged proposal names the chair's compromise that replaced it.
  merged_into uuid references proposals (id) on delete restrict,
  -- An accepted `add` names the clause it created.
  new_clause_id text,
  unique (document_id, number),
  check (kind in ('replace', 'add') = (text_document_id is not null)),
  check ((kind = 'add') or clause_id is not null)
);
create index proposals_document_idx on proposals (document_id, clause_id);

-- What others see of a proposal: each submission or revision, frozen.
create table proposal_revisions (
  proposal_id uuid not null references proposals (id) on delete cascade,
  revision int not null,
  -- The clause's content as ProseMirror JSON (the children of a clause node), and its plain text.
  content jsonb,
  text text not null default '',
  base_text text not null default '',
  submitted_by uuid not null references users (id) on delete restrict,
  submitted_at timestamptz not null default now(),
  primary key (proposal_id, revision)
);

-- Other delegations' current position on a proposal; its history is in proposal_events.
create table proposal_positions (
  proposal_id uuid not null references proposals (id) on delete cascade,
  delegation_id uuid not null references delegations (id) on delete restrict,
  position text not null check (position in ('cosponsor', 'support', 'object')),
  reason text not null default '',
  user_id uuid not null references users (id) on delete restrict,
  updated_at timestamptz not null default now(),
  primary key (proposal_id, delegation_id)
);

-- Everything that happened to a proposal, kept forever.
create table proposal_events (
  id bigserial primary key,
  proposal_id uuid not null references proposals (id) on delete cascade,
  kind text not null check (kind in (
    'created', 'submitted', 'revised', 'withdrawn', 'cosponsored', 'supported', 'objected', 'position_withdrawn',
    'accepted', 'rejected', 'merged')),
  user_id uuid not null references users (id) on delete restrict,
  delegation_id uuid references delegations (id) on delete restrict,
  reason text not null default '',
  created_at timestamptz not null default now()
);
create index proposal_events_proposal_idx on proposal_events (proposal_id, id);

-- Threads (parent_id null) and their replies, on a clause, optionally anchored to a range of it.
create table comments (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  clause_id text not null,
  parent_id uuid references comments (id) on delete cascade,
  -- Yjs relative positions of the anchored range (base64) and the text quoted when anchored.
  anchor jsonb,
  body text not null,
  author_id uuid not null references users (id) on delete restrict,
  delegation_id uuid references delegations (id) on delete restrict,
  created_at timestamptz not null default now(),
  resolved_at timestamptz,
  resolved_by uuid references users (id) on delete restrict,
  pinned_at timestamptz,
  pinned_by uuid references users (id) on delete restrict,
  check (parent_id is null or (anchor is null and resolved_at is null and pinned_at is null))
);
create index comments_document_idx on comments (document_id, clause_id);
create index comments_parent_idx on comments (parent_id);

-- When each person last read each thread; later comments by others are unread.
create table comment_reads (
  user_id uuid not null references users (id) on delete cascade,
  thread_id uuid not null references comments (id) on delete cascade,
  read_at timestamptz not null default now(),
  primary key (user_id, thread_id)
);

-- Each delegation's signal on each clause, with its history.
create table clause_signals (
  id bigserial primary key,
  document_id uuid not null references documents (id) on delete cascade,
  clause_id text not null,
  delegation_id uuid not null references delegations (id) on delete restrict,
  signal text not null check (signal in ('accept', 'not_yet', 'reservation')),
  reason text not null default '',
  user_id uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  check (signal = 'accept' or length(reason) > 0)
);
create index clause_signals_idx on clause_signals (document_id, clause_id, delegation_id, id desc);

-- Clause states set by the chair (or by an adoption), with their history; no row means open.
create table clause_states (
  id bigserial primary key,
  document_id uuid not null references documents (id) on delete cascade,
  clause_id text not null,
  state text not null check (state in ('open', 'under_negotiation', 'agreed_ad_ref', 'agreed')),
  reason text not null default '',
  -- null when the system set it (a silence procedure that passed)
  user_id uuid references users (id) on delete restrict,
  created_at timestamptz not null default now()
);
create index clause_states_idx on clause_states (document_id, clause_id, id desc);

create table silence_procedures (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  opened_by uuid not null references users (id) on delete restrict,
  opened_at timestamptz not null default now(),
  deadline timestamptz not null,
  -- The IANA time zone the chair gave the deadline in, to show it as they did.
  time_zone text not null,
  status text not null default 'running' check (status in ('running', 'broken', 'passed', 'cancelled')),
  closed_at timestamptz,
  -- Who broke silence (or cancelled it) and their written objection.
  closed_by uuid references users (id) on delete restrict,
  objecting_delegation_id uuid references delegations (id) on delete restrict,
  objection text,
  check ((status = 'broken') = (objection is not null))
);
create unique index silence_running_idx on silence_procedures (document_id) where status = 'running';
