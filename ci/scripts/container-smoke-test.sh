#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Container smoke test of the image the pipeline deploys, with no registry: the same recipe as main.yml's images
# job (Jib on a JRE 25 base laid out like eclipse-temurin:25-jre, then the fast-start layer trained on that image),
# from a base built here (ci/scripts/local-base-image.sh: a jlink of this machine's Temurin 25), next to PostgreSQL
# and Redis containers also built here. It
#   - checks the image labels, user 10001 and that its Java feature version is the deployed base's (root pom),
#   - builds the fast-start image (ci/scripts/fast-start-image.sh: AOT cache trained on this image, Spring AOT) and
#     starts it with the archive made mandatory, as deployed,
#   - checks the process runs as uid/gid 10001, fetches the sign-in page, signs up and signs in through it, asks for
#     a password reset (mail to the run-time SMTP host),
#   - sends SIGTERM while a slow request is in flight and checks the request completed (drained) and exit 0,
#   - starts the plain image too (APP_DEFAULT_DIGEST, the regular start a rollback may use) and signs in,
#   - runs the fast-start image's migrate-only mode (the pre-upgrade Job).
# Usage: ci/scripts/container-smoke-test.sh [--dry-run] [--keep] [--skip-build]
#   --dry-run     print what would run
#   --keep        leave the containers running for a look (remove with the printed command)
#   --skip-build  reuse the notejam-app:<version> image already in the engine
# Writes a summary to target/container-smoke/report.txt.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
# shellcheck source=lib/docker-engine.sh
source "$(dirname "$0")/lib/docker-engine.sh"
# shellcheck source=lib/http.sh
source "$(dirname "$0")/lib/http.sh"

keep=false
skip_build=false
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --keep) keep=true ;;
    --skip-build) skip_build=true ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done

cd "$REPO_ROOT"
version=$(project_version)
revision=$(git_revision)
app_image="notejam-app:$version"
suffix="smoke-$$"
network="notejam-$suffix"
report_dir="$REPO_ROOT/target/container-smoke"

if [ "$DRY_RUN" = true ]; then
  run ci/scripts/local-base-image.sh --variant jre
  run ci/scripts/local-base-image.sh --variant postgres
  run ci/scripts/local-base-image.sh --variant redis
  run ./mvnw -B -ntp -q -pl notejam-app -Dmaven.test.skip=true package jib:dockerBuild cyclonedx:makeBom -DoutputFormat=json \
      -DoutputName=notejam-app.cdx "-Dbase.image=docker://notejam-local/jre:<hash>" "-Dimage.revision=$revision" "-Dimage.creation.time=$(git_commit_time)"
  run ci/scripts/sbom-check.sh --bom notejam-app/target/notejam-app.cdx.json --image "$app_image"
  run docker network create "$network"
  run docker run -d --name "postgres-$suffix" --network "$network" notejam-local/postgres:bookworm
  run docker run -d --name "redis-$suffix" --network "$network" notejam-local/redis:bookworm
  log "dry run: then label, user and Java version checks ($(pom_property base.image) is the deployed base)"
  run ci/scripts/fast-start-image.sh --image "$app_image" --network "$network" --env-file stores.env --dry-run
  run docker run -d --name "app-$suffix" --network "$network" -p 127.0.0.1::8080 -p 127.0.0.1::8081 \
      -e JAVA_TOOL_OPTIONS=-XX:AOTMode=on "$app_image-fast"
  log "dry run: then readiness, Spring AOT, uid, sign-in page, sign-up, sign-in, reset mail, SIGTERM drain, exit code"
  run docker run -d --name "app-plain-$suffix" --network "$network" -p 127.0.0.1::8080 -p 127.0.0.1::8081 "$app_image"
  log "dry run: then sign-in on the plain image, and the fast-start image's migrate-only mode"
  exit 0
fi

require_command docker curl git
docker_engine_start
mkdir -p "$report_dir"
started=$(date +%s)
work=$(mktemp -d)
containers=()

cleanup() {
  local status=$?
  if [ "$status" -ne 0 ] && [ ${#containers[@]} -gt 0 ]; then
    for c in "${containers[@]}"; do
      echo "---- last log lines of $c" >&2
      docker logs --tail 40 "$c" 2>&1 | cut -c1-400 >&2 || true
    done
  fi
  if $keep; then
    log "kept: docker rm -f ${containers[*]}; docker network rm $network"
  else
    [ ${#containers[@]} -eq 0 ] || docker rm -f "${containers[@]}" >/dev/null 2>&1 || true
    docker network rm "$network" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- images ----------------------------------------------------------------------------------------
log "base images (cached by content tag)"
jre_image=$(ci/scripts/local-base-image.sh --variant jre | tail -n 1)
postgres_image=$(ci/scripts/local-base-image.sh --variant postgres | tail -n 1)
redis_image=$(ci/scripts/local-base-image.sh --variant redis | tail -n 1)

if ! $skip_build; then
  log "jib:dockerBuild $app_image on docker://$jre_image"
  build_started=$(date +%s)
  # the Maven build's CycloneDX BOM in the same run, held against the image's jars below
  ./mvnw -B -ntp -q -pl notejam-app -Dmaven.test.skip=true package jib:dockerBuild cyclonedx:makeBom -DoutputFormat=json \
    -DoutputName=notejam-app.cdx "-Dbase.image=docker://$jre_image" "-Dimage.revision=$revision" "-Dimage.creation.time=$(git_commit_time)"
  log "image built in $(( $(date +%s) - build_started ))s"
  ci/scripts/sbom-check.sh --bom notejam-app/target/notejam-app.cdx.json --image "$app_image" 2>&1 | tee "$report_dir/sbom-check.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || die "the BOM of the build does not list the jars of $app_image"
fi

# --- image metadata: labels and user ---------------------------------------------------------------
label() { docker image inspect --format "{{ index .Config.Labels \"$1\" }}" "$app_image"; }
if $skip_build; then
  # an image built earlier carries the commit it was built from
  revision=$(label org.opencontainers.image.revision)
fi
[ "$(label org.opencontainers.image.version)" = "$version" ] || die "label version is '$(label org.opencontainers.image.version)', expected $version"
[ "$(label org.opencontainers.image.revision)" = "$revision" ] || die "label revision is '$(label org.opencontainers.image.revision)', expected $revision"
[[ "$(label org.opencontainers.image.source)" == https://* ]] || die "label source is '$(label org.opencontainers.image.source)'"
[ -n "$(label org.opencontainers.image.licenses)" ] || die "label licenses is missing"
image_user=$(docker image inspect --format '{{.Config.User}}' "$app_image")
[ "$image_user" = "10001:10001" ] || die "image user is '$image_user', expected 10001:10001"
docker image inspect "notejam-app:$revision" >/dev/null 2>&1 || die "image is not tagged with the git revision $revision"
log "labels: version=$version revision=$revision source=$(label org.opencontainers.image.source) licenses=$(label org.opencontainers.image.licenses); user $image_user; tags $version and $revision"

# The Java feature version of the image is the deployed base's: eclipse-temurin:<feature>-jre in the root pom.
deployed_base=$(pom_property base.image)
deployed_feature=$(sed -n 's/^[^:]*:\([0-9][0-9]*\).*/\1/p' <<<"$deployed_base")
image_java=$(docker run --rm --entrypoint java "$app_image" -XshowSettings:properties -version 2>&1 \
  | sed -n 's/^ *java\.runtime\.version = //p' | head -n 1)
[ -n "$deployed_feature" ] || die "cannot read the Java feature version of base.image '$deployed_base' (root pom)"
[ "${image_java%%[.+]*}" = "$deployed_feature" ] || die "the image runs Java '$image_java', the deployed base $deployed_base is $deployed_feature"
log "Java $image_java in the image; deployed base $deployed_base"

# --- stores ------------------------------------------------------------------------------------------
db_password=$(random_secret)
redis_password=$(random_secret)
docker network create "$network" >/dev/null
containers+=("postgres-$suffix")
docker run -d --name "postgres-$suffix" --network "$network" --network-alias postgres \
  -e POSTGRES_USER=notejam -e POSTGRES_DB=notejam -e POSTGRES_PASSWORD="$db_password" "$postgres_image" >/dev/null
containers+=("redis-$suffix")
docker run -d --name "redis-$suffix" --network "$network" --network-alias redis \
  "$redis_image" redis-server --requirepass "$redis_password" >/dev/null
for i in $(seq 1 60); do
  docker exec "postgres-$suffix" pg_isready -q -h /var/run/postgresql -U notejam -d notejam 2>/dev/null && break
  [ "$i" -eq 60 ] && die "PostgreSQL not ready after 60s"
  sleep 1
done
log "PostgreSQL $(docker exec "postgres-$suffix" postgres --version | awk '{print $3}') and Redis $(docker exec "redis-$suffix" redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') are up"

# --- app ---------------------------------------------------------------------------------------------
# What the chart's ConfigMap and Secret give a pod; in a file, so no password is on a command line.
stores_env="$work/stores.env"
printf '%s\n' SPRING_DATASOURCE_URL=jdbc:postgresql://postgres:5432/notejam SPRING_DATASOURCE_USERNAME=notejam \
  "SPRING_DATASOURCE_PASSWORD=$db_password" SPRING_DATA_REDIS_HOST=redis SPRING_DATA_REDIS_PORT=6379 \
  "SPRING_DATA_REDIS_PASSWORD=$redis_password" NOTEJAM_BASE_URL=http://localhost:8080 >"$stores_env"

# start_app NAME IMAGE [docker run args...]: starts the app container, waits for readiness (at most 240 s) and
# sets ready_ms (docker run to readiness UP), http_port and management_port.
start_app() {
  local name="$1" image="$2" started
  shift 2
  containers+=("$name")
  started=$(date +%s%3N)
  docker run -d --name "$name" --network "$network" --memory 1g -p 127.0.0.1::8080 -p 127.0.0.1::8081 \
    --env-file "$stores_env" "$@" "$image" >/dev/null
  http_port=$(docker port "$name" 8080/tcp | head -n 1 | sed 's/.*://')
  management_port=$(docker port "$name" 8081/tcp | head -n 1 | sed 's/.*://')
  log "$name: waiting for readiness on 127.0.0.1:$management_port (at most 240s)"
  local deadline=$(( started + 240000 ))
  until curl -fsS --max-time 2 "http://127.0.0.1:$management_port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
    [ "$(docker inspect --format '{{.State.Running}}' "$name")" = true ] || die "$name stopped before it was ready"
    [ "$(date +%s%3N)" -lt "$deadline" ] || die "$name not ready after 240s"
    sleep 0.2
  done
  ready_ms=$(( $(date +%s%3N) - started ))
  log "$name: ready in ${ready_ms} ms"
}

# --- the deployed recipe: the fast-start layer (AOT cache trained on this image's JVM, Spring AOT) ----------------
fast_image=$(ci/scripts/fast-start-image.sh --image "$app_image" --network "$network" --env-file "$stores_env" | tail -n 1)
fast_kind=$(docker image inspect --format '{{ index .Config.Labels "dev.notejam.fast-start" }}' "$fast_image")
# In production a JVM that cannot use the archive warns and starts normally; here it must refuse to start, so a
# silently ignored archive fails the test.
case "$fast_kind" in
  cds) strict=-Xshare:on ;;
  aot-cache) strict=-XX:AOTMode=on ;;
  *) die "$fast_image has no dev.notejam.fast-start label" ;;
esac
[ "$deployed_feature" -lt 25 ] || [ "$fast_kind" = aot-cache ] || die "Java $deployed_feature deploys an AOT cache, $fast_image has $fast_kind"
fast_user=$(docker image inspect --format '{{.Config.User}}' "$fast_image")
[ "$fast_user" = "10001:10001" ] || die "$fast_image user is '$fast_user'"

# The SMTP host is a closed port: under Spring AOT the beans are fixed at build time, and this shows the mail
# sender is in the generated context and takes its host from the environment at run time.
start_app "app-$suffix" "$fast_image" -e JAVA_TOOL_OPTIONS="$strict" -e SPRING_MAIL_HOST=postgres -e SPRING_MAIL_PORT=25
startup_ms=$ready_ms
base="http://127.0.0.1:$http_port"
docker logs "app-$suffix" >"$work/app-fast.log" 2>&1
grep -q "Starting AOT-processed NotejamApplication" "$work/app-fast.log" || die "the fast-start image did not use Spring AOT"

# The process itself (not only the image config) runs as uid/gid 10001: read it from the host's /proc.
app_pid=$(docker inspect --format '{{.State.Pid}}' "app-$suffix")
process_uid=$(awk '/^Uid:/ {print $2}' "/proc/$app_pid/status")
process_gid=$(awk '/^Gid:/ {print $2}' "/proc/$app_pid/status")
if [ "$process_uid" != 10001 ] || [ "$process_gid" != 10001 ]; then
  die "app process runs as uid $process_uid gid $process_gid"
fi
log "app process runs as uid $process_uid gid $process_gid"

# --- user journey through the container --------------------------------------------------------------
jar="$work/cookies.txt"
http_get_page "$base" "$jar" /signin/ | grep 'name="password"' >/dev/null || die "sign-in page has no password field"
log "GET /signin/: 200 with the sign-in form"
email="smoke-$(date +%s)-$$@example.com"
password="Smoke-$(random_secret)"
notejam_signup_signin "$base" "$jar" "$email" "$password" || die "sign-up / sign-in through the container failed"
users=$(docker exec "postgres-$suffix" psql -h /var/run/postgresql -U notejam -d notejam -tAc \
  "select count(*) from users where email = '$email'")
[ "$users" = 1 ] || die "users table has $users rows for $email"
sessions=$(docker exec -e REDISCLI_AUTH="$redis_password" "redis-$suffix" redis-cli --scan --pattern '*session*' | wc -l)
[ "$sessions" -ge 1 ] || die "no session key in Redis after sign-in"
log "database has the user; Redis holds $sessions session keys"

# --- password reset: the mail goes to the SMTP host given at run time --------------------------------------
reset=$(http_post_form "$base" "$work/reset-cookies.txt" /forgot-password/ "email=$email")
[ "$reset" = "302 $base/forgot-password/" ] || die "password reset request answered '$reset'"
for i in $(seq 1 30); do
  docker logs "app-$suffix" >"$work/app-fast.log" 2>&1
  grep -q "Couldn't connect to host, port: postgres, 25" "$work/app-fast.log" && break
  grep -q "No SMTP server configured" "$work/app-fast.log" && die "no mail sender in the AOT context"
  [ "$i" -eq 30 ] && die "the reset mail was not attempted within 30s"
  sleep 1
done
log "reset mail sent to the run-time SMTP host"

# --- graceful shutdown: SIGTERM while a request is in flight -----------------------------------------
# A form post trickled at 1 KB/s keeps a request open for ~8s; SIGTERM arrives 2s into it.
# Graceful shutdown must let it finish with an HTTP answer, then the JVM must exit 0.
head -c 6000 /dev/zero | tr '\0' 'x' | sed 's/^/padding=/' >"$work/body"
token=$(http_get_page "$base" "$jar" /signin/ | csrf_token)
curl -sS -o /dev/null -w '%{http_code}' --max-time 40 --limit-rate 1K -b "$jar" \
  --data-urlencode "_csrf=$token" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  --data "@$work/body" "$base/signin/" >"$work/inflight.code" 2>"$work/inflight.err" &
inflight_pid=$!
sleep 2
kill -0 "$inflight_pid" 2>/dev/null || die "the slow request ended before SIGTERM: $(cat "$work/inflight.code" "$work/inflight.err")"
term_sent=$(date +%s)
docker kill --signal TERM "app-$suffix" >/dev/null
exit_code=$(timeout 45 docker wait "app-$suffix") || die "app did not exit within 45s of SIGTERM"
shutdown_seconds=$(( $(date +%s) - term_sent ))
inflight_status=0
wait "$inflight_pid" || inflight_status=$?
inflight_code=$(cat "$work/inflight.code")
if [ "$inflight_status" -ne 0 ] || [[ ! "$inflight_code" =~ ^[23] ]]; then
  die "in-flight request was not drained: curl exit $inflight_status, HTTP '$inflight_code' $(cat "$work/inflight.err")"
fi
log "in-flight request finished with HTTP $inflight_code after SIGTERM"
# Into a file first: grep -q closing the pipe early would fail the pipeline under pipefail.
docker logs "app-$suffix" >"$work/app.log" 2>&1
grep -q "Commencing graceful shutdown" "$work/app.log" || die "no 'Commencing graceful shutdown' in the app log"
grep -q "Graceful shutdown complete" "$work/app.log" || die "no 'Graceful shutdown complete' in the app log"
[ "$exit_code" = 0 ] || die "app exited $exit_code after SIGTERM, expected 0"
log "SIGTERM: drained and exited 0 in ${shutdown_seconds}s"

# --- the plain image (APP_DEFAULT_DIGEST: the regular start, for a rollback) --------------------------------------
start_app "app-plain-$suffix" "$app_image"
plain_startup_ms=$ready_ms
base="http://127.0.0.1:$http_port"
# The user signed up above signs in again: same database.
plain_jar="$work/plain-cookies.txt"
plain_signin=$(http_post_form "$base" "$plain_jar" /signin/ "email=$email" "password=$password")
[ "$plain_signin" = "302 $base/" ] || die "sign-in on the plain image answered '$plain_signin'"
http_get_page "$base" "$plain_jar" / | grep -F "$email" >/dev/null || die "plain image: home page does not show $email"
docker stop --time 30 "app-plain-$suffix" >/dev/null

# --- migrate-only: the pre-upgrade migration Job runs the deployed image without the AOT path -----------------
containers+=("migrate-fast-$suffix")
timeout 300 docker run --name "migrate-fast-$suffix" --network "$network" --memory 1g --env-file "$stores_env" \
  -e NOTEJAM_MIGRATE_ONLY=true "$fast_image" >"$work/migrate-fast.log" 2>&1 || { tail -20 "$work/migrate-fast.log" >&2; die "migrate-only run of $fast_image failed"; }
grep -q "is up to date" "$work/migrate-fast.log" || { tail -20 "$work/migrate-fast.log" >&2; die "migrate-only run: no Flyway 'is up to date'"; }
log "deployed image ($fast_kind + Spring AOT) ready in ${startup_ms} ms, plain image in ${plain_startup_ms} ms; migrate-only exits 0"

{
  echo "container smoke test: PASS ($(date -u +%FT%TZ))"
  echo "deployed image   $fast_image = $app_image (also :$revision) + $fast_kind layer; Java $image_java on $jre_image (deployed base $deployed_base)"
  echo "labels           version=$version revision=$revision licenses=$(label org.opencontainers.image.licenses)"
  echo "user             image $image_user, process uid $process_uid gid $process_gid"
  echo "stores           $postgres_image, $redis_image"
  echo "startup          deployed image (strict $strict, Spring AOT) ready in ${startup_ms} ms; plain image ${plain_startup_ms} ms"
  echo "journey          GET /signin/ 200, sign-up 302 /signin/, wrong password 200, sign-in 302 /, home shows email; reset mail to the run-time SMTP host; plain image sign-in 302 /"
  echo "state            1 user row in PostgreSQL, $sessions session keys in Redis"
  echo "shutdown         in-flight request HTTP $inflight_code, exit $exit_code, ${shutdown_seconds}s after SIGTERM"
  echo "migrate-only     exit 0, Flyway up to date"
  echo "total            $(( $(date +%s) - started ))s"
} | tee "$report_dir/report.txt" >&2
