#!/usr/bin/env bash
# Benchmark data: a user signed up and signed in through the real forms with curl (CSRF token read from each
# form), then 10 pads and N notes (default 10,000) inserted with SQL. Writes, in $WORK:
#   cookie       the user's SESSION cookie value (used by wrk)
#   csrf         the session's CSRF token (forms posted by the mixed load)
#   ids.env      NOTE_MIN, NOTE_MAX, PAD_IDS of the user's data
# Needs a running app (benchmarks/run-app.sh) on $BASE_URL.  Usage: benchmarks/seed-user.sh [NOTES]
source "$(dirname "$0")/lib.sh"
notes="${1:-10000}"
email="bench-$(date +%s)@example.com"
password="$(head -c 12 /dev/urandom | base64 | tr -d '/+=')"
jar="$WORK/curl-cookies"; rm -f "$jar"

csrf_of() { grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//'; }
form_post() { # form_post PATH BODY -> prints HTTP status and Location
  curl -s -o /dev/null -b "$jar" -c "$jar" -w '%{http_code} %{redirect_url}' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data "$2" "$BASE_URL$1"
}

token=$(curl -s -b "$jar" -c "$jar" "$BASE_URL/signup/" | csrf_of)
[ -n "$token" ] || die "no CSRF token on /signup/"
status=$(form_post /signup/ "_csrf=$token&email=$email&password=$password&repeatPassword=$password")
[[ "$status" == 302*signin* ]] || die "sign up answered $status"
token=$(curl -s -b "$jar" -c "$jar" "$BASE_URL/signin/" | csrf_of)
status=$(form_post /signin/ "_csrf=$token&email=$email&password=$password")
[[ "$status" == "302 $BASE_URL/" ]] || die "sign in answered $status"
cookie=$(awk '$6 == "SESSION" {print $7}' "$jar")
[ -n "$cookie" ] || die "no SESSION cookie after sign in"
# The CSRF token is renewed at sign-in and kept in the XSRF-TOKEN cookie: read both from a form now.
token=$(curl -s -b "$jar" -c "$jar" "$BASE_URL/notes/create/" | csrf_of)
[ -n "$token" ] || die "signed-in session shows no form"
xsrf=$(awk '$6 == "XSRF-TOKEN" {print $7}' "$jar")
[ -n "$xsrf" ] || die "no XSRF-TOKEN cookie with the form"
echo "$cookie" > "$WORK/cookie"; echo "$token" > "$WORK/csrf"; echo "$xsrf" > "$WORK/xsrf"
chmod 600 "$WORK/cookie" "$WORK/csrf" "$WORK/xsrf"
log "signed up and signed in $email through the forms"

log "inserting 10 pads and $notes notes with SQL"
"$BENCH_DIR/stores.sh" psql -tA -v email="$email" -v notes="$notes" <<'SQL' >/dev/null
insert into pads (owner_id, name)
  select u.id, 'Pad ' || g from users u, generate_series(1, 10) g where u.email = :'email';
-- Two notes in three sit in a pad; names and update times spread so that every sort order has work to do.
insert into notes (owner_id, pad_id, name, text, created_at, updated_at)
  select u.id,
         case when g % 3 = 0 then null else (array_agg_pads.ids)[1 + g % 10] end,
         'Note ' || md5(g::text),
         repeat('Some text of a typical note. ', 20),
         now() - g * interval '1 minute', now() - g * interval '1 minute'
  from users u
  cross join lateral (select array_agg(p.id order by p.id) ids from pads p where p.owner_id = u.id) array_agg_pads
  cross join generate_series(1, :notes) g
  where u.email = :'email';
-- What autovacuum does soon after a bulk insert: statistics, and the visibility map that lets the list pages pick
-- a page's ids by an index-only scan. Measuring before it runs would time a state production tables leave quickly.
vacuum analyze notes;
vacuum analyze pads;
SQL
read -r note_min note_max count < <("$BENCH_DIR/stores.sh" psql -tA -F' ' -v email="$email" \
  -c "select min(n.id), max(n.id), count(*) from notes n join users u on u.id = n.owner_id where u.email = '$email'")
pad_ids=$("$BENCH_DIR/stores.sh" psql -tA -c "select string_agg(p.id::text, ',' order by p.id) from pads p join users u on u.id = p.owner_id where u.email = '$email'")
[ "$count" -eq "$notes" ] || die "expected $notes notes, found $count"
printf 'NOTE_MIN=%s\nNOTE_MAX=%s\nPAD_IDS=%s\n' "$note_min" "$note_max" "$pad_ids" > "$WORK/ids.env"
pages=$(( (notes + 19) / 20 ))
curl -s -b "SESSION=$cookie" "$BASE_URL/?page=200" | grep -q "Page 200 of $pages" \
  || die "the all-notes page does not show 'Page 200 of $pages'"
log "user has $count notes ($pages pages); cookie and ids in $WORK"
