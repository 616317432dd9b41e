-- Note counts kept next to their owner and pad, so the list pages read one row instead of counting up to
-- thousands of index entries on every request (count(*) was ~95 % of PostgreSQL's CPU under load; BENCHMARKS.md).
-- Statement-level triggers keep them exact for every writer, this app's versions old and new and manual SQL alike:
-- a bulk insert or a cascading pad or user delete updates each counter once per statement, not once per note.
-- Concurrent writers stay exact because each increment is an UPDATE of the counter row, serialised by its row lock.
-- Every function locks the rows it will change first, users before pads and each in id order, so two writers never
-- wait on each other in opposite orders (two notes moved between the same two pads in opposite directions
-- deadlocked before; NoteCountTest).

alter table users add column note_count integer not null default 0;
alter table pads add column note_count integer not null default 0;

create function notes_count_inserted() returns trigger language plpgsql as $$
begin
    perform 1 from users where id in (select owner_id from inserted_notes) order by id for no key update;
    perform 1 from pads where id in (select pad_id from inserted_notes) order by id for no key update;
    update users u set note_count = u.note_count + d.n
    from (select owner_id, count(*) as n from inserted_notes group by owner_id) d
    where u.id = d.owner_id;
    update pads p set note_count = p.note_count + d.n
    from (select pad_id, count(*) as n from inserted_notes where pad_id is not null group by pad_id) d
    where p.id = d.pad_id;
    return null;
end $$;

create function notes_count_deleted() returns trigger language plpgsql as $$
begin
    perform 1 from users where id in (select owner_id from deleted_notes) order by id for no key update;
    perform 1 from pads where id in (select pad_id from deleted_notes) order by id for no key update;
    -- In a cascade from a deleted user or pad, that row is already gone and its UPDATE matches nothing.
    update users u set note_count = u.note_count - d.n
    from (select owner_id, count(*) as n from deleted_notes group by owner_id) d
    where u.id = d.owner_id;
    update pads p set note_count = p.note_count - d.n
    from (select pad_id, count(*) as n from deleted_notes where pad_id is not null group by pad_id) d
    where p.id = d.pad_id;
    return null;
end $$;

-- Only a note moved to another pad (or owner) changes a counter; plain edits update nothing else.
create function notes_count_updated() returns trigger language plpgsql as $$
begin
    perform 1 from users where id in (select o.owner_id from old_notes o join new_notes n using (id)
                                      where o.owner_id is distinct from n.owner_id
                                      union select n.owner_id from old_notes o join new_notes n using (id)
                                      where o.owner_id is distinct from n.owner_id)
        order by id for no key update;
    perform 1 from pads where id in (select o.pad_id from old_notes o join new_notes n using (id)
                                     where o.pad_id is distinct from n.pad_id
                                     union select n.pad_id from old_notes o join new_notes n using (id)
                                     where o.pad_id is distinct from n.pad_id)
        order by id for no key update;
    update users u set note_count = u.note_count + d.n
    from (select owner_id, sum(delta) as n
          from (select o.owner_id, -1 as delta from old_notes o join new_notes n using (id)
                where o.owner_id is distinct from n.owner_id
                union all
                select n.owner_id, 1 from old_notes o join new_notes n using (id)
                where o.owner_id is distinct from n.owner_id) moves
          group by owner_id) d
    where u.id = d.owner_id;
    update pads p set note_count = p.note_count + d.n
    from (select pad_id, sum(delta) as n
          from (select o.pad_id, -1 as delta from old_notes o join new_notes n using (id)
                where o.pad_id is distinct from n.pad_id and o.pad_id is not null
                union all
                select n.pad_id, 1 from old_notes o join new_notes n using (id)
                where o.pad_id is distinct from n.pad_id and n.pad_id is not null) moves
          group by pad_id) d
    where p.id = d.pad_id;
    return null;
end $$;

-- CREATE TRIGGER locks notes against writes until this migration commits, so no note written by a running pod
-- can slip between the triggers and the backfill below.
create trigger notes_count_insert after insert on notes
    referencing new table as inserted_notes for each statement execute function notes_count_inserted();
create trigger notes_count_delete after delete on notes
    referencing old table as deleted_notes for each statement execute function notes_count_deleted();
create trigger notes_count_update after update on notes
    referencing old table as old_notes new table as new_notes for each statement execute function notes_count_updated();

update users u set note_count = c.n from (select owner_id, count(*) as n from notes group by owner_id) c
where u.id = c.owner_id;
update pads p set note_count = c.n from (select pad_id, count(*) as n from notes where pad_id is not null group by pad_id) c
where p.id = c.pad_id;
