-- Single sign-on through OpenID Connect. An account made by signing in with the organisation's
-- provider has no password (password sign-in refuses it with its usual error).
alter table users alter column password_hash drop not null;

-- Which account a provider's subject signs in to. A subject is the provider's stable id of a
-- person (their e-mail address may change); it is linked once, on the first sign-in matched by
-- verified e-mail address or invitation, and decides every later sign-in.
create table user_identities (
  issuer text not null,
  subject text not null,
  user_id uuid not null references users (id) on delete cascade,
  -- The verified address the link was made on, for the record.
  email text not null,
  created_at timestamptz not null default now(),
  last_sign_in_at timestamptz not null default now(),
  primary key (issuer, subject)
);
create index user_identities_user_idx on user_identities (user_id);

-- Sign-ins under way: between the redirect to the provider and its answer. The browser holds a
-- random key in a short-lived cookie; only its sha256 is stored here. A row is taken (deleted) by
-- the first answer that presents its key, so an answer replayed is refused.
create table oidc_sign_ins (
  id text primary key,
  state text not null,
  nonce text not null,
  code_verifier text not null,
  return_to text not null,
  expires_at timestamptz not null
);
create index oidc_sign_ins_expiry_idx on oidc_sign_ins (expires_at);
