-- The audit trail: every decision and state change in a conference, as a hash chain.
--
-- One chain per conference (the secretariat verifies and downloads their own conference's log):
-- entries are numbered 1, 2, 3… within the conference, and each entry's hash covers its content
-- and the previous entry's hash (server/audit/hash.ts says exactly what is hashed). A changed,
-- deleted, inserted or reordered entry breaks the chain from that entry on.
create table audit_log (
  conference_id uuid not null references conferences (id) on delete restrict,
  -- Position in the conference's chain, from 1 without gaps.
  seq bigint not null check (seq >= 1),
  document_id uuid references documents (id) on delete restrict,
  -- Millisecond precision, as hashed.
  at timestamptz not null,
  -- null: the system (e.g. a silence procedure passing at its deadline).
  actor_id uuid references users (id) on delete restrict,
  -- Who and in which capacity at the time, kept as text so the entry reads the same for ever.
  actor_name text not null,
  actor_role text not null,
  delegation text,
  -- What happened, e.g. 'proposal.submitted', 'signal.set', 'silence.passed', 'export.downloaded'.
  action text not null,
  -- What a reader needs: ids, labels, reasons.
  subject jsonb not null default '{}',
  -- sha256 hex; the first entry's previous hash is 64 zeros.
  prev_hash text not null,
  hash text not null,
  primary key (conference_id, seq)
);
create index audit_log_document_idx on audit_log (document_id);

-- The head of each chain: the row appends lock (select … for update), so two concurrent appends
-- take turns and never fork the chain. It also remembers the last entry, so that deleting the
-- newest entries (which leaves a chain that is consistent in itself) is noticed.
create table audit_heads (
  conference_id uuid primary key references conferences (id) on delete restrict,
  seq bigint not null default 0,
  hash text not null default repeat('0', 64)
);

-- Append-only: entries are never changed or removed. Getting past this takes a superuser disabling
-- the trigger, and the verification still notices what was done.
create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the audit log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_refuse_change();
-- A chain head moves forward only.
create function audit_heads_forward_only() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' or new.seq <> old.seq + 1 then
    raise exception 'an audit chain head only moves forward by one entry' using errcode = 'insufficient_privilege';
  end if;
  return new;
end $$;
create trigger audit_heads_forward_only before update or delete on audit_heads
  for each row execute function audit_heads_forward_only();
