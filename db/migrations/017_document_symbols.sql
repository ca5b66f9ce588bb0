-- UN document symbols and the title block of every export (server/export/title-block.ts).
-- The secretariat sets the conference's symbol prefix ("IMAC4/2026") and its dates, and each
-- statement's own part of the symbol ("L.1"), its addendum number and its distribution.
alter table conferences add column symbol_prefix text not null default '' check (length(symbol_prefix) <= 40);
alter table conferences add column starts_on date;
alter table conferences add column ends_on date;
alter table conferences add constraint conferences_dates_check check (ends_on is null or starts_on is null or ends_on >= starts_on);

alter table documents add column symbol text not null default '' check (length(symbol) <= 30);
alter table documents add column addendum integer check (addendum between 1 and 99);
alter table documents add column distribution text not null default 'limited' check (distribution in ('general', 'limited'));

-- Statements already there take L.1, L.2, … in the order they were created, as a new one takes the next.
update documents d set symbol = 'L.' || n.rank
from (select id, row_number() over (partition by conference_id order by created_at, id) as rank
      from documents where kind = 'statement') n
where d.id = n.id;
