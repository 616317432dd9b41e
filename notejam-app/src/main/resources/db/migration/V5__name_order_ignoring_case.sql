-- The name order ignores case and is the same on every PostgreSQL: it sorts by lower(name collate "C"), ASCII letters
-- folded and the rest compared byte by byte, instead of by the database's default collation (NoteOrder).
-- Expand only: the indexes of the old name order stay while app versions that sort by plain name may still run;
-- a later migration drops notes_owner_name_idx and notes_pad_name_idx. The name is included so that a page's ids and
-- sort keys still come from the index alone (PostgreSQL reads an expression's columns, not the expression).
create index notes_owner_name_folded_idx on notes (owner_id, lower(name collate "C"), id) include (name);
create index notes_pad_name_folded_idx on notes (pad_id, lower(name collate "C"), id) include (name) where pad_id is not null;
