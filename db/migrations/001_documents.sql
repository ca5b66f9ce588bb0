-- Conferences and their documents; each document's Yjs state is an append-only update log
-- folded into one snapshot row by compaction.
create table conferences (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique,
  title text not null,
  subtitle text not null default '',
  venue text not null default '',
  created_at timestamptz not null default now()
);

create table documents (
  id uuid primary key default gen_random_uuid(),
  conference_id uuid not null references conferences (id) on delete cascade,
  title text not null,
  created_at timestamptz not null default now()
);
create index documents_conference_idx on documents (conference_id);

create table document_updates (
  id bigserial primary key,
  document_id uuid not null references documents (id) on delete cascade,
  data bytea not null,
  created_at timestamptz not null default now()
);
create index document_updates_document_idx on document_updates (document_id, id);

create table document_snapshots (
  document_id uuid primary key references documents (id) on delete cascade,
  state bytea not null,
  updated_at timestamptz not null default now()
);
