-- A version of each user's notes, raised by every statement that inserts, changes or deletes any of them. The list
-- pages remember where a page starts (the sort key of the note before it) together with this version, and read that
-- page again with an index seek instead of skipping every earlier note with OFFSET, but only while the version is
-- unchanged: a write by any replica or by hand retires every start learnt before it (NoteListQuery, PageStarts).
-- Expand only: the column has a constant default (no table rewrite), and app versions that ignore it keep working.
-- The V3 count functions are replaced by ones that also raise the version, keeping their lock order (users, then
-- pads, each in id order).

alter table users add column notes_version bigint not null default 0;

create or replace function notes_count_inserted() returns trigger language plpgsql as $$
begin
    perform 1 from users where id in (select owner_id from inserted_notes) order by id for no key update;
    perform 1 from pads where id in (select pad_id from inserted_notes) order by id for no key update;
    update users u set note_count = u.note_count + d.n, notes_version = u.notes_version + 1
    from (select owner_id, count(*) as n from inserted_notes group by owner_id) d
    where u.id = d.owner_id;
    update pads p set note_count = p.note_count + d.n
    from (select pad_id, count(*) as n from inserted_notes where pad_id is not null group by pad_id) d
    where p.id = d.pad_id;
    return null;
end $$;

create or replace function notes_count_deleted() returns trigger language plpgsql as $$
begin
    perform 1 from users where id in (select owner_id from deleted_notes) order by id for no key update;
    perform 1 from pads where id in (select pad_id from deleted_notes) order by id for no key update;
    -- In a cascade from a deleted user or pad, that row is already gone and its UPDATE matches nothing.
    update users u set note_count = u.note_count - d.n, notes_version = u.notes_version + 1
    from (select owner_id, count(*) as n from deleted_notes group by owner_id) d
    where u.id = d.owner_id;
    update pads p set note_count = p.note_count - d.n
    from (select pad_id, count(*) as n from deleted_notes where pad_id is not null group by pad_id) d
    where p.id = d.pad_id;
    return null;
end $$;

-- Every edit may reorder a list (name, updated_at), so every owner touched gets a new version; only a note moved to
-- another pad (or owner) changes a counter.
create or replace function notes_count_updated() returns trigger language plpgsql as $$
begin
    perform 1 from users where id in (select owner_id from old_notes union select owner_id from new_notes)
        order by id for no key update;
    perform 1 from pads where id in (select o.pad_id from old_notes o join new_notes n using (id)
                                     where o.pad_id is distinct from n.pad_id
                                     union select n.pad_id from old_notes o join new_notes n using (id)
                                     where o.pad_id is distinct from n.pad_id)
        order by id for no key update;
    update users u set note_count = u.note_count + d.n, notes_version = u.notes_version + 1
    from (select owner_id, sum(delta) as n
          from (select o.owner_id, case when o.owner_id is distinct from n.owner_id then -1 else 0 end as delta
                from old_notes o join new_notes n using (id)
                union all
                select n.owner_id, case when o.owner_id is distinct from n.owner_id then 1 else 0 end
                from old_notes o join new_notes n using (id)) changes
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
