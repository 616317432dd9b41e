#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds, with no registry, every image that docker-compose.ci.yml swaps in for one that cannot be pulled:
#   notejam-local/postgres, notejam-local/redis        debootstrap images (ci/scripts/local-base-image.sh)
#   notejam-local/jre, notejam-local/backup            JRE bases for the Jib images of the app and the backup job
#   notejam-local/greenmail, notejam-local/s3proxy     the JRE base plus the servers' jars from Maven Central
#                                                      (versions: greenmail.version, s3proxy-server.version in pom.xml)
# Each image is tagged <suite>-<content hash> and <suite> (e.g. notejam-local/greenmail:bookworm).
# Usage: ci/scripts/local-service-images.sh [--dry-run]
# Prints one "name=image" line per image on stdout.
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    -h|--help) sed -n '3,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"

greenmail_version=$(pom_property greenmail.version)
s3proxy_version=$(pom_property s3proxy-server.version)
if [ -z "$greenmail_version" ] || [ -z "$s3proxy_version" ]; then
  die "greenmail.version / s3proxy-server.version missing from pom.xml"
fi

base_args=()
if [ "$DRY_RUN" = true ]; then base_args=(--dry-run); fi
base_image() {
  local image
  image=$(ci/scripts/local-base-image.sh --variant "$1" "${base_args[@]}" | tail -n 1)
  echo "$1=$image" >&3
  echo "$image"
}
exec 3>&1
image_jre=$(base_image jre)
base_image backup >/dev/null
base_image postgres >/dev/null
base_image redis >/dev/null


# Image from the JRE base plus one server jar and a start script, made with create/cp/commit (no builder needed).
# $1 name, $2 Maven coordinates, $3 directory in the image, $4 jar name, $5 start script name, $6 its text,
# $7... extra `docker commit --change` instructions.
jar_image() {
  local name="$1" coordinates="$2" dir="$3" jar_name="$4" script_name="$5" script_text="$6"
  shift 6
  local jar_dir="$REPO_ROOT/target/local-service-images"
  local jar_file="$jar_dir/${coordinates//:/-}.jar"
  if [ "$DRY_RUN" = true ]; then
    run ./mvnw -B -ntp -q -N dependency:copy "-Dartifact=$coordinates" "-DoutputDirectory=$jar_dir"
    echo "$name=notejam-local/$name:<hash>"
    return 0
  fi
  if [ ! -s "$jar_file" ]; then
    mkdir -p "$jar_dir"
    log "fetching $coordinates from Maven Central"
    local copied
    copied=$(mktemp -d)
    ./mvnw -B -ntp -q -N dependency:copy "-Dartifact=$coordinates" "-DoutputDirectory=$copied"
    mv "$copied"/*.jar "$jar_file"
    rm -rf "$copied"
  fi
  local suite hash image
  suite="${image_jre##*:}"
  suite="${suite%%-*}"
  hash=$( { sha256sum "$jar_file" | cut -d' ' -f1; echo "$image_jre $dir $jar_name $script_name"; echo "$script_text"
            printf '%s\n' "$@"; } | sha256sum | cut -c1-12)
  image="notejam-local/$name:$suite-$hash"
  if ! docker image inspect "$image" >/dev/null 2>&1; then
    log "building $image on $image_jre"
    local staging container change changes=()
    staging=$(mktemp -d)
    mkdir -p "$staging$dir"
    cp "$jar_file" "$staging$dir/$jar_name"
    printf '%s\n' "$script_text" >"$staging$dir/$script_name"
    chmod 0755 "$staging$dir" "$staging$dir/$script_name"
    chmod 0644 "$staging$dir/$jar_name"
    container=$(docker create "$image_jre" true)
    docker cp "$staging/." "$container:/"
    for change in "$@"; do changes+=(--change "$change"); done
    docker commit "${changes[@]}" --change "ENTRYPOINT [\"$dir/$script_name\"]" --change 'CMD []' \
      "$container" "$image" >/dev/null
    docker rm "$container" >/dev/null
    rm -rf "$staging"
  fi
  docker tag "$image" "notejam-local/$name:$suite"
  echo "$name=$image"
}

# Same variables and defaults as the greenmail/standalone image.
# shellcheck disable=SC2016  # the start scripts expand their variables in the container
jar_image greenmail "com.icegreen:greenmail-standalone:$greenmail_version" /opt/greenmail \
  greenmail-standalone.jar run.sh '#!/bin/sh
# the option variables are lists of words
exec java $JAVA_OPTS $GREENMAIL_OPTS -jar /opt/greenmail/greenmail-standalone.jar' \
  'ENV GREENMAIL_OPTS="-Dgreenmail.setup.test.all -Dgreenmail.hostname=0.0.0.0 -Dgreenmail.auth.disabled"' \
  'ENV JAVA_OPTS="-Djava.net.preferIPv4Stack=true -Xmx256m"' \
  "EXPOSE 3025 3110 3143 8080"

# Same script path and variables (S3PROXY_*, JCLOUDS_*) as the andrewgaul/s3proxy image, so that
# docker-compose.yml's entrypoint (create the bucket directory, then run the script) works with both.
# shellcheck disable=SC2016
jar_image s3proxy "org.gaul:s3proxy:$s3proxy_version:jar:jar-with-dependencies" /opt/s3proxy \
  s3proxy.jar run-docker-container.sh '#!/bin/sh
set -eu
properties=$(mktemp)
cat >"$properties" <<PROPERTIES
s3proxy.endpoint=${S3PROXY_ENDPOINT:-http://0.0.0.0:80}
s3proxy.authorization=${S3PROXY_AUTHORIZATION:-aws-v2-or-v4}
s3proxy.identity=${S3PROXY_IDENTITY:-local-identity}
s3proxy.credential=${S3PROXY_CREDENTIAL:-local-credential}
jclouds.provider=${JCLOUDS_PROVIDER:-filesystem}
jclouds.filesystem.basedir=${JCLOUDS_FILESYSTEM_BASEDIR:-/data}
jclouds.identity=remote-identity
jclouds.credential=remote-credential
PROPERTIES
exec java -DLOG_LEVEL="${LOG_LEVEL:-info}" -jar /opt/s3proxy/s3proxy.jar --properties "$properties"' \
  "EXPOSE 80"
