-- Sign-ins under way are counted per network (an IPv4 address, an IPv6 /64), so that one client
-- cannot fill the table by starting sign-ins it never finishes.
alter table oidc_sign_ins add column address text not null default '';
create index oidc_sign_ins_address_idx on oidc_sign_ins (address, expires_at);
