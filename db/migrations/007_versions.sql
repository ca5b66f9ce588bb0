-- Versions of a statement: named revisions ("Zero draft", "Rev.1"), automatic checkpoints (after
-- every accepted proposal, and timed ones while the text changes) and restores. Each holds the
-- statement's full Yjs state (Y.encodeStateAsUpdate, restorable byte for byte) and its clause
-- states at that moment. Timed checkpoints are thinned (server/versions/thinning.ts); every
-- other version is kept forever.
create table versions (
  id uuid primary key default gen_random_uuid(),
  document_id uuid not null references documents (id) on delete cascade,
  -- Per statement, in order of creation; thinning leaves gaps.
  number int not null,
  kind text not null check (kind in ('named', 'checkpoint', 'restore')),
  -- The revision's name; null for a checkpoint.
  name text,
  state bytea not null,
  state_vector bytea not null,
  -- Clause id → state ('open' when a clause had none).
  clause_states jsonb not null default '{}',
  -- null for automatic checkpoints.
  created_by uuid references users (id) on delete restrict,
  created_at timestamptz not null default now(),
  -- The accepted proposal a checkpoint follows (null for a timed checkpoint).
  proposal_id uuid references proposals (id) on delete restrict,
  -- The version a restore brought back.
  restored_from uuid references versions (id) on delete restrict,
  unique (document_id, number),
  check ((kind = 'checkpoint') = (name is null)),
  check ((kind = 'restore') = (restored_from is not null)),
  check (kind = 'checkpoint' or proposal_id is null)
);
create index versions_document_idx on versions (document_id, created_at desc);
