-- E-mail (server/mail/): what is to be sent, written in the transaction of what caused it (an
-- invitation, a password reset, a notice) and sent afterwards by a sender on each instance that
-- claims rows with `for update skip locked`, so that of several instances exactly one sends each.
create table mail_outbox (
  id bigserial primary key,
  -- Which template words it ('invitation', 'password_reset', 'notice').
  template text not null check (template in ('invitation', 'password_reset', 'notice')),
  to_address text not null,
  -- The recipient's account, if they have one (for the unsubscribe link of a notice).
  user_id uuid references users (id) on delete cascade,
  language text not null,
  -- What the template needs (a link, names, the notice); emptied once sent or given up, since it
  -- may hold a one-time link.
  data jsonb,
  status text not null default 'queued' check (status in ('queued', 'sent', 'failed')),
  attempts integer not null default 0,
  -- When it may next be tried: after a failure, later; while an instance sends it, its lease.
  next_attempt_at timestamptz not null default now(),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);
create index mail_outbox_due_idx on mail_outbox (next_attempt_at) where status = 'queued';

-- A request to set a new password without the old one: a one-time link, of which only the hash is kept.
create table password_resets (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references users (id) on delete cascade,
  token_hash text not null unique,
  -- Who made the link for the person (the secretariat, without e-mail); null when they asked themselves.
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index password_resets_user_idx on password_resets (user_id);

-- The language a person's e-mail is written in (English where a template has no translation).
alter table users add column mail_language text not null default 'en';

-- Notices by e-mail too: a choice per kind for each channel; no row still means on.
alter table notification_preferences drop constraint notification_preferences_channel_check;
alter table notification_preferences add constraint notification_preferences_channel_check check (channel in ('in_app', 'email'));
