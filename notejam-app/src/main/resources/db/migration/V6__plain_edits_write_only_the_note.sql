-- Contract step of V4. Since the keyset pager (V5's release) no app version reads users.notes_version, so the count
-- triggers stop raising it: an edit that moves no note between owners or pads again writes only the note, not the
-- owner's row too (V3's behaviour). Inserts and deletes still change the owner's count. The column stays, with its
-- constant default, until a later migration drops it: a pod of a version from before V5 could still run beside this
-- one during a rollout, and reading a version that no longer changes shows it stale page starts at worst, never an
-- error. Lock order as in V3: users, then pads, each in id order.

create or replace function notes_count_inserted() returns trigger language plpgsql as $$
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

create or replace function notes_count_deleted() returns trigger language plpgsql as $$
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
create or replace function notes_count_updated() returns trigger language plpgsql as $$
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
