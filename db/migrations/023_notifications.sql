-- Each person's notices (mentions of their delegation, decisions on its proposals, replies in their
-- threads, the silence procedure and its deadline, breakout invitations). A notice is written once
-- for one recipient, with what it is about (kind, payload) and when; the in-app centre reads it and
-- marks it read, and a later sender (e-mail) can pick the same rows up by kind, recipient and time.
create table notifications (
  id bigserial primary key,
  user_id uuid not null references users (id) on delete cascade,
  conference_id uuid not null references conferences (id) on delete cascade,
  document_id uuid references documents (id) on delete cascade,
  kind text not null check (
    kind in (
      'mention',
      'proposal_decided',
      'thread_reply',
      'silence_opened',
      'silence_broken',
      'silence_passed',
      'silence_deadline',
      'breakout_invited'
    )
  ),
  -- What the notice says (names, an excerpt, the deadline) and the path it links to, as of its making.
  payload jsonb not null,
  created_at timestamptz not null default now(),
  read_at timestamptz
);
create index notifications_user_idx on notifications (user_id, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;

-- A person's choice per kind and channel; no row means on. Only the in-app channel exists yet.
create table notification_preferences (
  user_id uuid not null references users (id) on delete cascade,
  kind text not null,
  channel text not null default 'in_app' check (channel in ('in_app')),
  enabled boolean not null,
  primary key (user_id, kind, channel)
);

-- The deadline notices sent for a silence procedure: the row is the claim, so that of several
-- instances arming the same timer exactly one sends each notice.
create table silence_deadline_notices (
  silence_procedure_id uuid not null references silence_procedures (id) on delete cascade,
  lead text not null check (lead in ('24h', '1h')),
  sent_at timestamptz not null default now(),
  primary key (silence_procedure_id, lead)
);
