-- Readings: the chair reads a statement paragraph by paragraph (a first or a second reading),
-- moving a pointer that everyone's view follows, and marks each paragraph's outcome.
create table readings (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  -- 1: first reading, 2: second reading.
  number smallint not null check (number in (1, 2)),
  -- The paragraphs read, in order, as the text stood when the reading began.
  clause_ids text[] not null,
  -- Where the chair's pointer is; null once the reading has ended.
  current_clause_id text,
  started_by uuid not null references users (id) on delete restrict,
  started_at timestamptz not null default now(),
  ended_by uuid references users (id) on delete restrict,
  ended_at timestamptz,
  check ((ended_at is null) = (ended_by is null))
);
-- One reading at a time per statement.
create unique index readings_running_idx on readings (document_id) where ended_at is null;
create index readings_document_idx on readings (document_id, started_at);

-- Each paragraph's outcome in a reading: the chair's latest mark on it (the audit log keeps every mark).
create table reading_outcomes (
  reading_id uuid not null references readings (id) on delete cascade,
  clause_id text not null,
  outcome text not null check (outcome in ('agreed_ad_ref', 'to_return', 'bracketed')),
  marked_by uuid not null references users (id) on delete restrict,
  marked_at timestamptz not null default now(),
  primary key (reading_id, clause_id)
);
create index reading_outcomes_clause_idx on reading_outcomes (clause_id);

-- Projection tokens: a plenary screen shows a statement without anyone's session. Only the
-- token's hash is kept; the URL carrying it is shown once, when it is made.
create table screen_tokens (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  token_hash text not null unique,
  label text not null,
  created_by uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  revoked_by uuid references users (id) on delete restrict,
  revoked_at timestamptz
);
create index screen_tokens_document_idx on screen_tokens (document_id);

-- Whether the plenary screen names the sponsors of proposals (off until the chair shows them).
alter table documents add column screen_attributions boolean not null default false;
