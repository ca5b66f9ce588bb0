-- A delegation's own workspace on a statement: its members' internal notes on paragraphs and the
-- paragraphs it holds ("awaiting instructions from capital"). Private to the delegation: nothing
-- here is read by the negotiation's views, the compilation, exports or the audit trail.

create table workspace_notes (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  delegation_id uuid not null references delegations (id) on delete cascade,
  -- The paragraph it is on, by its stable clause id; it stays if the paragraph is deleted (shown apart).
  clause_id text not null check (length(clause_id) between 1 and 100),
  body text not null check (length(body) between 1 and 4000),
  author_id uuid not null references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index workspace_notes_idx on workspace_notes (document_id, delegation_id, clause_id, created_at);

-- A paragraph held by a delegation; clearing the hold deletes the row.
create table workspace_holds (
  document_id uuid not null references documents (id) on delete cascade,
  delegation_id uuid not null references delegations (id) on delete cascade,
  clause_id text not null check (length(clause_id) between 1 and 100),
  set_by uuid not null references users (id) on delete restrict,
  set_at timestamptz not null default now(),
  primary key (document_id, delegation_id, clause_id)
);
