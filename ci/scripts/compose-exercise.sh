#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Exercises docker-compose.yml with docker-compose.ci.yml (locally built images, no registry):
# builds the images, brings the whole stack up with generated secrets, drives every service and
# writes a report of what was exercised to target/compose-exercise/report.md.
#   app       sign-up and sign-in through the published port (CSRF token from the form)
#   postgres  the new user's row; redis  the session keys
#   mail      the app's password-reset mail, read back from the GreenMail API, its link followed
#   s3 + backup  the one-shot backup service exits 0, then `list` and `verify --latest` read it back
# Usage: ci/scripts/compose-exercise.sh [--dry-run] [--keep] [--skip-build] [--reuse-app-image]
#   --skip-build       use the notejam-app:<git sha> and notejam-backup:<version> images already in the engine
#   --reuse-app-image  build only the backup image when notejam-app:<git sha> exists (the smoke test built it)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/docker-engine.sh
source "$(dirname "$0")/lib/docker-engine.sh"
# shellcheck source=lib/http.sh
source "$(dirname "$0")/lib/http.sh"

keep=false
skip_build=false
reuse_app_image=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --keep) keep=true ;;
    --skip-build) skip_build=true ;;
    --reuse-app-image) reuse_app_image=true ;;
    -h|--help) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"

version=$(project_version)
revision=$(git_revision)
project="notejam-ci-$$"
report_dir="$REPO_ROOT/target/compose-exercise"
compose_files=(-f docker-compose.yml -f docker-compose.ci.yml)

# Compose v2 plugin when present, else Debian's docker-compose (v1.29, reads the same files).
if docker compose version >/dev/null 2>&1; then
  compose_cmd=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose_cmd=(docker-compose)
else
  compose_cmd=(docker-compose)
  [ "$DRY_RUN" = true ] || die "neither 'docker compose' nor docker-compose is installed (run ci/setup.d/60-docker.sh)"
fi

if [ "$DRY_RUN" = true ]; then
  run ci/scripts/local-service-images.sh
  run ./mvnw -B -ntp -q -pl notejam-app -Dmaven.test.skip=true package jib:dockerBuild "-Dbase.image=docker://notejam-local/jre:<hash>" \
      "-Dimage.revision=$revision"
  run ./mvnw -B -ntp -q -pl backup-jobs compile jib:dockerBuild cyclonedx:makeBom -DoutputFormat=json -DoutputName=notejam-backup.cdx \
      "-Dbackup.base.image=docker://notejam-local/backup:<hash>" "-Dimage.revision=$revision"
  run ci/scripts/sbom-check.sh --bom backup-jobs/target/notejam-backup.cdx.json --image "notejam-backup:$(project_version)"
  run "${compose_cmd[@]}" -p "$project" "${compose_files[@]}" --env-file "<generated .env>" up -d
  log "dry run: then sign-up/sign-in, database and session checks, SMTP delivery, backup list/verify, report, down -v"
  exit 0
fi

require_command docker curl git
docker_engine_start
mkdir -p "$report_dir"
started=$(date +%s)
work=$(mktemp -d)
compose() { "${compose_cmd[@]}" -p "$project" "${compose_files[@]}" --env-file "$work/.env" "$@"; }

cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ -f "$work/.env" ]; then
    compose ps >&2 || true
    compose logs --no-color --tail 30 >&2 2>&1 || true
  fi
  if $keep; then
    log "kept: ${compose_cmd[*]} -p $project ${compose_files[*]} --env-file $work/.env down -v"
  else
    if [ -f "$work/.env" ]; then compose down -v --remove-orphans >/dev/null 2>&1 || true; fi
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# --- images --------------------------------------------------------------------------------------------
log "images built here (cached by content tag)"
ci/scripts/local-service-images.sh >"$work/images.txt"
image_of() { sed -n "s/^$1=//p" "$work/images.txt"; }
app_image="notejam-app:$revision"
backup_image="notejam-backup:$version"
# the last images built, whatever commit they came from
if $skip_build; then app_image="notejam-app:$version"; fi
if ! $skip_build; then
  build_started=$(date +%s)
  jib_args=("-Dimage.revision=$revision" "-Dimage.creation.time=$(git_commit_time)")
  # One Maven run per image: a -Dbase.image on the command line would also replace the backup module's base.
  if $reuse_app_image && docker image inspect "$app_image" >/dev/null 2>&1; then
    log "reusing $app_image built for this commit"
  else
    log "jib:dockerBuild notejam-app on $(image_of jre)"
    ./mvnw -B -ntp -q -pl notejam-app -Dmaven.test.skip=true package jib:dockerBuild "-Dbase.image=docker://$(image_of jre)" "${jib_args[@]}"
  fi
  log "jib:dockerBuild notejam-backup on $(image_of backup)"
  # the Maven build's CycloneDX BOM in the same run: sbom-check.sh below holds it against the image's jars
  ./mvnw -B -ntp -q -pl backup-jobs compile jib:dockerBuild cyclonedx:makeBom -DoutputFormat=json -DoutputName=notejam-backup.cdx \
    "-Dbackup.base.image=docker://$(image_of backup)" "${jib_args[@]}"
  log "images built in $(( $(date +%s) - build_started ))s"
  ci/scripts/sbom-check.sh --bom backup-jobs/target/notejam-backup.cdx.json --image "$backup_image"
fi
docker image inspect "$app_image" >/dev/null || die "$app_image is missing"
docker image inspect "$backup_image" >/dev/null || die "$backup_image is missing"

# --- generated .env: fresh secrets, free ports -------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http_port=$(free_port); management_port=$(free_port); mail_port=$(free_port); s3_port=$(free_port)
{
  echo "POSTGRES_PASSWORD=$(random_secret)"
  echo "REDIS_PASSWORD=$(random_secret)"
  echo "S3_ACCESS_KEY=ci-$(random_secret | cut -c1-8)"
  echo "S3_SECRET_KEY=$(random_secret)"
  echo "BACKUP_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)"
  echo "BACKUP_S3_BUCKET=notejam-backups"
  echo "NOTEJAM_HTTP_PORT=$http_port"
  echo "NOTEJAM_MANAGEMENT_PORT=$management_port"
  echo "NOTEJAM_MAIL_API_PORT=$mail_port"
  echo "NOTEJAM_S3_PORT=$s3_port"
  echo "NOTEJAM_APP_IMAGE=$app_image"
  echo "NOTEJAM_BACKUP_IMAGE=$backup_image"
} >"$work/.env"
chmod 0600 "$work/.env"
# Compose v1 reads interpolation variables from the environment first.
set -a
# shellcheck disable=SC1091
source "$work/.env"
set +a

compose config -q || die "docker-compose.yml + docker-compose.ci.yml do not validate"

# --- up ------------------------------------------------------------------------------------------------
up_started=$(date +%s)
# Two steps: the long-running services first (a slow app start may restart it once under load: restart policy),
# then the one-shot backup once the app is healthy, so its `depends_on: service_healthy` holds.
log "up: postgres, redis, mail, s3, app"
timeout 300 "${compose_cmd[@]}" -p "$project" "${compose_files[@]}" --env-file "$work/.env" up -d postgres redis mail s3 app \
  || die "compose up of the services failed or timed out"
health() {
  local id
  id=$(compose ps -q "$1")
  [ -n "$id" ] || { echo missing; return; }
  docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id"
}
for _ in $(seq 1 300); do
  [ "$(health app)" = healthy ] && break
  sleep 1
done
[ "$(health app)" = healthy ] || die "app is $(health app)"
app_restarts=$(docker inspect --format '{{.RestartCount}}' "$(compose ps -q app)")
up_seconds=$(( $(date +%s) - up_started ))
log "stack healthy in ${up_seconds}s (app restarts: $app_restarts); up: the one-shot backup"
timeout 120 "${compose_cmd[@]}" -p "$project" "${compose_files[@]}" --env-file "$work/.env" up -d backup \
  || die "compose up of the backup service failed"

declare -A exercised
for service in postgres redis mail s3 app; do
  [ "$(health "$service")" = healthy ] || die "$service is $(health "$service")"
done

# app, postgres, redis: the user journey
base="http://127.0.0.1:$http_port"
jar="$work/cookies.txt"
email="compose-$(date +%s)@example.com"
password="Compose-$(random_secret)"
notejam_signup_signin "$base" "$jar" "$email" "$password" || die "sign-up / sign-in through the compose stack failed"
exercised[app]="GET /signin/, sign-up 302, wrong password 200, sign-in 302 /, home shows the email (port $http_port)"
users=$(compose exec -T postgres psql -U notejam -d notejam -tAc "select count(*) from users where email = '$email'" </dev/null)
users=$(echo "$users" | tr -d '[:space:]')
[ "$users" = 1 ] || die "users table has '$users' rows for $email"
exercised[postgres]="users row for the new account (psql); Flyway schema applied by the app"
sessions=$(docker exec "$(compose ps -q redis)" sh -c 'redis-cli --scan --pattern "*session*" | wc -l')
[ "$sessions" -ge 1 ] || die "no session keys in Redis"
exercised[redis]="$sessions Spring Session keys after sign-in (redis-cli with REDISCLI_AUTH)"

# mail: the app's password-reset mail goes over SMTP to GreenMail; read it back from the GreenMail API and
# follow the link it carries.
result=$(http_post_form "$base" "$jar" /forgot-password/ "email=$email")
[[ "$result" == "302 "*/forgot-password/ ]] || die "forgot-password answered '$result'"
reset_link=""
for _ in $(seq 1 30); do
  messages=$(curl -fsS --max-time 5 "http://127.0.0.1:$mail_port/api/user/$email/messages/INBOX" 2>/dev/null || true)
  reset_link=$(echo "$messages" | grep -o 'http[^" \]*/reset-password/[A-Za-z0-9_-]*/' | head -n 1 || true)
  [ -n "$reset_link" ] && break
  sleep 1
done
[ -n "$reset_link" ] || die "no password-reset mail for $email in GreenMail: ${messages:-none}"
token_path="/reset-password/${reset_link##*/reset-password/}"
http_get_page "$base" "$jar" "$token_path" | grep 'name="newPassword"\|type="password"' >/dev/null \
  || die "the reset link from the mail does not open the reset form"
exercised[mail]="password-reset mail sent by the app over SMTP (mail:3025), read from the GreenMail API, its link opens the reset form"

# backup + s3: the one-shot service ran after the app was healthy; list and verify read the object back
backup_id=$(docker ps -aq --filter "label=com.docker.compose.project=$project" --filter "label=com.docker.compose.service=backup" | head -n 1)
[ -n "$backup_id" ] || die "the backup service did not start"
backup_exit=$(timeout 180 docker wait "$backup_id") || die "backup did not finish within 180s"
[ "$backup_exit" = 0 ] || { docker logs "$backup_id" 2>&1 | tail -n 20 >&2; die "backup exited $backup_exit"; }
compose run --rm --no-deps -T backup list >"$work/list.txt" 2>"$work/list.err" || { cat "$work/list.err" >&2; die "backup list failed"; }
grep -q 'local/postgres/' "$work/list.txt" || die "backup list shows no local/postgres/ object: $(cat "$work/list.txt")"
compose run --rm --no-deps -T backup verify --latest >"$work/verify.txt" 2>&1 || { tail -n 20 "$work/verify.txt" >&2; die "backup verify failed"; }
objects=$(docker exec "$(compose ps -q s3)" sh -c 'find /data/notejam-backups -type f | wc -l')
[ "$objects" -ge 2 ] || die "S3 bucket holds $objects files, expected a dump and its manifest"
exercised[backup]="one-shot 'backup --trigger manual' exited 0; 'list' and 'verify --latest' succeeded"
exercised[s3]="$objects objects in bucket notejam-backups written and read back through the S3 API"

# --- report --------------------------------------------------------------------------------------------
{
  echo "# docker-compose exercise ($(date -u +%FT%TZ))"
  echo
  echo "Files: docker-compose.yml + docker-compose.ci.yml; ${compose_cmd[*]} $("${compose_cmd[@]}" version --short 2>/dev/null || true)"
  echo "Stack healthy in ${up_seconds}s (app restarts: $app_restarts); total ${SECONDS}s of script time."
  echo
  echo "| service | image | state | exercised by |"
  echo "|---|---|---|---|"
  for service in postgres redis mail s3 app backup; do
    id=$(compose ps -q "$service" 2>/dev/null || true)
    [ -n "$id" ] || id="$backup_id"
    image=$(docker inspect --format '{{.Config.Image}}' "$id")
    state=$(docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}} (exit {{.State.ExitCode}}){{end}}' "$id")
    echo "| $service | $image | $state | ${exercised[$service]} |"
  done
} | tee "$report_dir/report.md" >&2
log "compose exercise passed in $(( $(date +%s) - started ))s"
