-- Failed sign-in attempts, in the database so that every instance of a deployment counts the
-- same attempts (server/auth/sign-in-throttle.ts has the rules). Two kinds of key:
--   'pair:<address>|<e-mail>'  one account tried from one address: a growing delay;
--   'address:<address>'       every account tried from one address: a limit per window.
-- There is deliberately no key for an account alone, so nobody can lock its owner out.
create table sign_in_throttle (
  key text primary key,
  failures integer not null default 0 check (failures >= 0),
  window_started_at timestamptz not null default now(),
  last_failure_at timestamptz not null default now()
);
-- Forgotten rows are deleted by age.
create index sign_in_throttle_last_failure_idx on sign_in_throttle (last_failure_at);
