-- Facilitated breakouts ("informal informals"): the chair hands a cluster of a statement's clauses
-- to a facilitator (a person of any delegation, or the secretariat) with the delegations taking
-- part. Each of those clauses' text, as it stood when the breakout was made, becomes a live
-- drafting document of the breakout (documents.kind 'breakout', the proposal schema: the body of
-- one clause), keyed by the clause's id, so numbering and structure stay the statement's.
-- A confidential breakout ("closed") is seen by its participants only: the facilitator, the
-- participating delegations' members and the chair.
alter table documents drop constraint documents_kind_check;
alter table documents add constraint documents_kind_check check (kind in ('statement', 'proposal', 'translation', 'breakout'));

create table breakouts (
  id uuid primary key default gen_random_uuid(),
  statement_id uuid not null references documents (id) on delete cascade,
  number int not null,
  facilitator_id uuid not null references users (id),
  confidential boolean not null,
  -- 'active' while it drafts, 'submitted' once its package went to the plenary (the text frozen),
  -- 'ended' when the chair decided the package or closed the breakout without one.
  status text not null default 'active' check (status in ('active', 'submitted', 'ended')),
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  ended_at timestamptz,
  unique (statement_id, number)
);

create table breakout_delegations (
  breakout_id uuid not null references breakouts (id) on delete cascade,
  delegation_id uuid not null references delegations (id) on delete cascade,
  primary key (breakout_id, delegation_id)
);

create table breakout_clauses (
  breakout_id uuid not null references breakouts (id) on delete cascade,
  clause_id text not null,
  position int not null,
  text_document_id uuid not null unique references documents (id) on delete cascade,
  primary key (breakout_id, clause_id)
);

-- The breakout's outcome, one package for all its clauses, decided by the chair. An accepted
-- package is the provenance of its clauses' text: which breakout, who accepted it and when.
create table breakout_packages (
  id uuid primary key default gen_random_uuid(),
  breakout_id uuid not null unique references breakouts (id) on delete cascade,
  status text not null default 'submitted' check (status in ('submitted', 'discussion', 'accepted', 'rejected')),
  submitted_by uuid references users (id) on delete set null,
  submitted_at timestamptz not null default now(),
  decided_by uuid references users (id) on delete set null,
  decided_at timestamptz,
  reason text
);

create table breakout_package_clauses (
  package_id uuid not null references breakout_packages (id) on delete cascade,
  clause_id text not null,
  position int not null,
  content jsonb not null,
  text text not null,
  -- The clause's text in the statement when the package was submitted, for the word diff.
  base_text text not null,
  primary key (package_id, clause_id)
);
create index breakout_package_clauses_clause_idx on breakout_package_clauses (clause_id);
