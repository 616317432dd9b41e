#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Exercises docker-compose.yml with docker-compose.ci.yml (locally built images, no registry):
# builds the images, brings the whole stack up with generated secrets, drives every service and
# writes a report of what was exercised to target/compose-exercise/report.md.
#   app       sign-up and sign-in through the published port (CSRF token from the form)
#   postgres  the new user's row; redis  the session keys
#   mail      a message delivered over SMTP and read back from the GreenMail API
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
  run ./mvnw -B -ntp -q -pl notejam-app,backup-jobs compile jib:dockerBuild "-Dbase.image=docker://notejam-local/jre:<hash>" \
      "-Dbackup.base.image=docker://notejam-local/backup:<hash>" "-Dimage.revision=$revision"
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
if ! $skip_build; then
  modules="notejam-app,backup-jobs"
  if $reuse_app_image && docker image inspect "$app_image" >/dev/null 2>&1; then
    modules="backup-jobs"
    log "reusing $app_image built for this commit"
  fi
  build_started=$(date +%s)
  log "jib:dockerBuild $modules on the local JRE bases"
  ./mvnw -B -ntp -q -pl "$modules" compile jib:dockerBuild \
    "-Dbase.image=docker://$(image_of jre)" "-Dbackup.base.image=docker://$(image_of backup)" \
    "-Dimage.revision=$revision" "-Dimage.creation.time=$(git_commit_time)"
  log "images built in $(( $(date +%s) - build_started ))s"
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
log "up: postgres, redis, mail, s3, app, then the one-shot backup (waits for healthy dependencies)"
timeout 400 "${compose_cmd[@]}" -p "$project" "${compose_files[@]}" --env-file "$work/.env" up -d \
  || die "compose up failed or timed out"
health() {
  local id
  id=$(compose ps -q "$1")
  [ -n "$id" ] || { echo missing; return; }
  docker inspect --format '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id"
}
for _ in $(seq 1 120); do
  [ "$(health app)" = healthy ] && break
  sleep 1
done
[ "$(health app)" = healthy ] || die "app is $(health app)"
up_seconds=$(( $(date +%s) - up_started ))
log "stack healthy in ${up_seconds}s"

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

# mail: SMTP delivery inside the compose network, read back through the GreenMail REST API
recipient="compose-check@example.com"
docker exec -i "$(compose ps -q mail)" bash -c '
  exec 3<>/dev/tcp/127.0.0.1/3025
  read -r greeting <&3
  for line in "HELO ci" "MAIL FROM:<ci@example.com>" "RCPT TO:<'"$recipient"'>" "DATA"; do
    printf "%s\r\n" "$line" >&3; read -r reply <&3
  done
  printf "Subject: compose exercise\r\n\r\nhello from ci\r\n.\r\n" >&3; read -r reply <&3
  printf "QUIT\r\n" >&3
  echo "$greeting / $reply"' >"$work/smtp.txt"
if ! grep -q '^220' "$work/smtp.txt" || ! grep -q '/ 250' "$work/smtp.txt"; then
  die "SMTP dialogue failed: $(cat "$work/smtp.txt")"
fi
messages=$(curl -fsS --max-time 10 "http://127.0.0.1:$mail_port/api/user/$recipient/messages/INBOX")
echo "$messages" | grep -q 'compose exercise' || die "GreenMail API does not list the delivered message: $messages"
exercised[mail]="SMTP 220/250 on mail:3025 and the message read back from the GreenMail API (port $mail_port)"

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
  echo "Stack healthy in ${up_seconds}s; total ${SECONDS}s of script time."
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
