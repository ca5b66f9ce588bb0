-- People, their roles in conferences, sign-in sessions, invitations and delegations.
create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  name text not null,
  password_hash text not null,
  is_admin boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index users_email_idx on users (lower(email));

create table sessions (
  id text primary key, -- sha256 of the random token in the cookie; a stolen table gives no cookie
  user_id uuid not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table delegations (
  id uuid primary key default gen_random_uuid(),
  conference_id uuid not null references conferences (id) on delete cascade,
  name text not null,
  code text not null,
  kind text not null default 'state' check (kind in ('state', 'un_entity', 'organization', 'group')),
  created_at timestamptz not null default now(),
  unique (conference_id, code)
);
create unique index delegations_name_idx on delegations (conference_id, lower(name));

create table memberships (
  conference_id uuid not null references conferences (id) on delete cascade,
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('secretariat', 'chair', 'delegate', 'observer')),
  delegation_id uuid references delegations (id) on delete restrict,
  created_at timestamptz not null default now(),
  primary key (conference_id, user_id),
  -- A delegate speaks for exactly one delegation; nobody else belongs to one.
  check ((role = 'delegate') = (delegation_id is not null))
);
create index memberships_user_idx on memberships (user_id);

create table invitations (
  id uuid primary key default gen_random_uuid(),
  conference_id uuid not null references conferences (id) on delete cascade,
  token_hash text not null unique,
  email text not null,
  role text not null check (role in ('secretariat', 'chair', 'delegate', 'observer')),
  delegation_id uuid references delegations (id) on delete cascade,
  created_by uuid references users (id) on delete set null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  accepted_at timestamptz,
  accepted_by uuid references users (id) on delete set null,
  check ((role = 'delegate') = (delegation_id is not null))
);
create index invitations_conference_idx on invitations (conference_id);

create table settings (
  key text primary key,
  value text not null
);
