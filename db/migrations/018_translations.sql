-- The statement in every language of the conference. The conference chooses its working languages
-- and each statement its original language (app/statement/languages.ts); a translator works in one
-- language. A translation is kept per clause (and per title, under the key ':title', which no clause
-- id can be): the clause's translated body is a live drafting document of its own (documents.kind
-- 'translation', the proposal schema: the body of one clause), so numbering and structure always
-- come from the original. `source_text` is the original clause's text as the translation was last
-- confirmed against: when it differs from the clause's text now, the translation is out of date.
alter table conferences add column languages text[] not null default '{en}'
  check (cardinality(languages) between 1 and 12);
alter table documents add column original_language text not null default 'en';
alter table documents drop constraint documents_kind_check;
alter table documents add constraint documents_kind_check check (kind in ('statement', 'proposal', 'translation'));

alter table memberships drop constraint memberships_role_check;
alter table memberships drop constraint memberships_check;
alter table memberships add column language text;
alter table memberships add constraint memberships_role_check check (role in ('secretariat', 'chair', 'delegate', 'observer', 'translator'));
alter table memberships add constraint memberships_check check ((role = 'delegate') = (delegation_id is not null));
alter table memberships add constraint memberships_language_check check ((role = 'translator') = (language is not null));

alter table invitations drop constraint invitations_role_check;
alter table invitations drop constraint invitations_check;
alter table invitations add column language text;
alter table invitations add constraint invitations_role_check check (role in ('secretariat', 'chair', 'delegate', 'observer', 'translator'));
alter table invitations add constraint invitations_check check ((role = 'delegate') = (delegation_id is not null));
alter table invitations add constraint invitations_language_check check ((role = 'translator') = (language is not null));

create table translations (
  statement_id uuid not null references documents (id) on delete cascade,
  language text not null,
  clause_key text not null,
  text_document_id uuid not null unique references documents (id) on delete cascade,
  source_text text not null,
  confirmed_by uuid references users (id) on delete set null,
  confirmed_at timestamptz not null default now(),
  primary key (statement_id, language, clause_key)
);

-- A version holds every language: the translations' bodies (clause key → ProseMirror JSON) as they
-- were when the version was taken, with the original text each was confirmed against.
create table version_translations (
  version_id uuid not null references versions (id) on delete cascade,
  language text not null,
  clauses jsonb not null,
  primary key (version_id, language)
);
