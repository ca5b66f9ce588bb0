-- Which participant (user id, or 'server' for the server's own changes) first wrote under each Yjs
-- client id of a document. Another participant's updates under that id are refused, across
-- restarts and instances.
create table document_clients (
  document_id uuid not null references documents (id) on delete cascade,
  client_id bigint not null,
  owner text not null,
  primary key (document_id, client_id)
);
