#!/usr/bin/env bash
# Builds container images with no registry at all: debootstrap a minimal Debian from the apt mirror this
# machine is already configured with, install a few packages, then `docker import` the root file system.
#
# Usage: ci/scripts/local-base-image.sh [--variant NAME] [--dry-run] [--force]
#   --variant  jre       JRE 25 base for the app image, laid out like eclipse-temurin:25-jre    [default]
#              backup    the same JRE 25 + postgresql-client-15, base for the backup image
#              postgres  PostgreSQL 15 server with an entrypoint that honours POSTGRES_USER/PASSWORD/DB
#              redis     redis-server
#   --dry-run  print the mirror, suite, packages and image reference, build nothing
#   --force    rebuild even when an image with the same content tag exists
# The last line on stdout is the image reference (notejam-local/<variant>:<suite>-<content hash>), which
# is also tagged :<suite> so that compose overrides can name it. The tag hashes the build recipe, the
# variant's packages and the mirror, so reruns on a warm machine return at once.
# Environment: LOCAL_BASE_IMAGE_MIRROR / LOCAL_BASE_IMAGE_SUITE override what is read from the apt
# configuration; LOCAL_BASE_IMAGE_CACHE (default /var/cache/notejam-debootstrap) keeps downloaded .debs;
# LOCAL_BASE_IMAGE_JDK: the JDK 25 the JRE is linked from (default: Temurin 25 under /usr/lib/jvm, which this
# machine kind ships; Debian bookworm has no Java 25 package).
# The JRE: jlink of that JDK (every module but the development tools, default CDS archive generated) in
# /opt/java/openjdk with JAVA_HOME and PATH as in eclipse-temurin:25-jre, the base the pipeline deploys; so the
# smoke-tested image has the same Java feature version, vendor build and fast-start archive kind (AOT cache).
set -euo pipefail

variant="jre"
dry_run=false
force=false
while [ $# -gt 0 ]; do
  case "$1" in
    --variant) variant="${2:?--variant needs a value}"; shift 2 ;;
    --variant=*) variant="${1#*=}"; shift ;;
    --dry-run) dry_run=true; shift ;;
    --force) force=true; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "local-base-image: unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { echo "local-base-image[$variant]: $*" >&2; }

case "$variant" in
  jre)      packages="ca-certificates" ;;
  backup)   packages="ca-certificates,postgresql-client-15" ;;
  postgres) packages="postgresql-15" ;;
  redis)    packages="redis-server" ;;
  *) echo "local-base-image: unknown variant '$variant' (jre|backup|postgres|redis)" >&2; exit 2 ;;
esac

# --- the apt mirror and keyring this machine already uses -------------------------------------------
os_codename() {
  # shellcheck disable=SC1091
  (. /etc/os-release && echo "${VERSION_CODENAME:-}")
}

# Prints "<uri> <keyring or empty>" for the first deb source that serves <suite> itself (not -security/-updates).
find_mirror() {
  local suite="$1" file
  shopt -s nullglob
  for file in /etc/apt/sources.list.d/*.sources; do
    # deb822 stanzas are separated by blank lines
    awk -v suite="$suite" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uris != "") {
          split(uris, u, " "); print u[1] " " signed; found = 1; exit
        }
        types = ""; uris = ""; suites = ""; signed = ""
      }
      /^[[:space:]]*$/ { flush(); next }
      /^[[:space:]]*#/ { next }
      /^Types:/     { sub(/^Types:[[:space:]]*/, "");     types = $0 }
      /^URIs:/      { sub(/^URIs:[[:space:]]*/, "");      uris = $0 }
      /^Suites:/    { sub(/^Suites:[[:space:]]*/, "");    suites = $0 }
      /^Signed-By:/ { sub(/^Signed-By:[[:space:]]*/, ""); signed = $0 }
      END { if (!found) flush() }
    ' "$file" | head -n 1 | grep . && return 0
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$file" ] || continue
    # one-line format: deb [options] uri suite components...
    awk -v suite="$suite" '
      $1 == "deb" {
        signed = ""; i = 2
        if ($2 ~ /^\[/) {
          while (i <= NF) { if ($i ~ /signed-by=/) { s = $i; sub(/.*signed-by=/, "", s); sub(/\]$/, "", s); signed = s }
                            if ($i ~ /\]$/) { i++; break } ; i++ }
        }
        if ($(i + 1) == suite) { print $i " " signed; exit }
      }' "$file" | head -n 1 | grep . && return 0
  done
  return 1
}

# The JDK 25 whose run-time image is linked into the jre and backup variants.
find_jdk25() {
  local candidate
  for candidate in "${LOCAL_BASE_IMAGE_JDK:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk /usr/lib/jvm/*-25-*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] && grep -qs '^JAVA_VERSION="25' "$candidate/release"; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
jdk=""
jdk_build=""
case "$variant" in
  jre|backup)
    jdk=$(find_jdk25) || { echo "local-base-image: no JDK 25 with jlink found (set LOCAL_BASE_IMAGE_JDK)" >&2; exit 1; }
    jdk_build=$(sed -n 's/^IMPLEMENTOR_VERSION="\(.*\)"/\1/p' "$jdk/release")
    jdk_build="${jdk_build:-$(sed -n 's/^JAVA_RUNTIME_VERSION="\(.*\)"/\1/p' "$jdk/release")}"
    ;;
esac

suite="${LOCAL_BASE_IMAGE_SUITE:-$(os_codename)}"
[ -n "$suite" ] || { echo "local-base-image: cannot tell the Debian suite; set LOCAL_BASE_IMAGE_SUITE" >&2; exit 1; }
keyring=""
if [ -n "${LOCAL_BASE_IMAGE_MIRROR:-}" ]; then
  mirror="$LOCAL_BASE_IMAGE_MIRROR"
else
  read -r mirror keyring < <(find_mirror "$suite" || true) || true
  [ -n "${mirror:-}" ] || { echo "local-base-image: no deb source for suite '$suite' in /etc/apt; set LOCAL_BASE_IMAGE_MIRROR" >&2; exit 1; }
fi
[ -n "$keyring" ] || keyring=/usr/share/keyrings/debian-archive-keyring.gpg

# The tag hashes the build recipe (everything below the "build" marker), the packages and the mirror:
# editing the usage text does not force a rebuild, editing how images are made does.
content_hash=$( { sed -n '/^# --- build ---/,$p' "$0"; echo "$variant $packages $mirror $suite $jdk_build"; } | sha256sum | cut -c1-12)
repository="notejam-local/$variant"
image="$repository:$suite-$content_hash"

if $dry_run; then
  log "dry run: mirror=$mirror suite=$suite keyring=$keyring packages=$packages${jdk:+ jre=$jdk_build (jlink of $jdk)}"
  log "dry run: would debootstrap --variant=minbase, then docker import as $image (and $repository:$suite)"
  echo "$image"
  exit 0
fi

for tool in docker debootstrap; do
  command -v "$tool" >/dev/null 2>&1 || { echo "local-base-image: $tool is missing (run ci/setup.d/60-docker.sh)" >&2; exit 1; }
done

if ! $force && docker image inspect "$image" >/dev/null 2>&1; then
  log "up to date: $image"
  docker tag "$image" "$repository:$suite"
  echo "$image"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || { echo "local-base-image: debootstrap needs root" >&2; exit 1; }

# --- build ---
started=$(date +%s)
cache_dir="${LOCAL_BASE_IMAGE_CACHE:-/var/cache/notejam-debootstrap}/$suite"
mkdir -p "$cache_dir"
work=$(mktemp -d /var/tmp/notejam-rootfs.XXXXXX)
rootfs="$work/rootfs"
cleanup() {
  # a failed run may leave the chroot's /proc mounted: unmount before removing the tree
  if mountpoint -q "$rootfs/proc" 2>/dev/null; then umount "$rootfs/proc" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log "debootstrap $suite from $mirror with $packages (downloads cached in $cache_dir)"
if ! debootstrap --variant=minbase --keyring="$keyring" --cache-dir="$cache_dir" --include="$packages" \
    "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  [ -f "$rootfs/debootstrap/debootstrap.log" ] && tail -n 30 "$rootfs/debootstrap/debootstrap.log" >&2
  echo "local-base-image: debootstrap failed" >&2
  exit 1
fi
log "debootstrap done in $(( $(date +%s) - started ))s"

changes=(--change "ENV LANG=C.UTF-8")
case "$variant" in
  jre|backup)
    # Everything but the development tools, like the JRE images Temurin publishes; the default CDS archive too.
    java_home=/opt/java/openjdk
    modules=$("$jdk/bin/java" --list-modules | sed 's/@.*//' | grep -v -E \
      '^jdk\.(jlink|compiler|javadoc|jshell|jpackage|jdeps|jartool|jcmd|jconsole|jdi|jdwp\.agent|hotspot\.agent|jstatd|editpad|random|incubator\..*|internal\.(ed|jshell|opt|le))$' | paste -sd, -)
    log "jlink $jdk_build into $java_home"
    mkdir -p "$rootfs/opt/java"
    "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --generate-cds-archive \
      --output "$rootfs$java_home" >"$work/jlink.log" 2>&1 || { tail -n 20 "$work/jlink.log" >&2; echo "local-base-image: jlink failed" >&2; exit 1; }
    path="$java_home/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    # backup: the real pg_dump/pg_restore first on the PATH, not Debian's version-picking wrapper
    if [ "$variant" = backup ]; then path="/usr/lib/postgresql/15/bin:$path"; fi
    changes+=(--change "ENV JAVA_HOME=$java_home" --change "ENV PATH=$path")
    ;;
  postgres)
    bindir=/usr/lib/postgresql/15/bin
    install -d -o "$(chroot "$rootfs" id -u postgres)" -g "$(chroot "$rootfs" id -g postgres)" -m 0700 \
      "$rootfs/var/lib/postgresql/data"
    install -d -o "$(chroot "$rootfs" id -u postgres)" -g "$(chroot "$rootfs" id -g postgres)" -m 2775 \
      "$rootfs/var/run/postgresql"
    cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
# Minimal stand-in for the official postgres image entrypoint: same POSTGRES_* variables and PGDATA.
set -eu
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}" "${PGDATA:=/var/lib/postgresql/data}"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  [ -n "${POSTGRES_PASSWORD:-}" ] || { echo "POSTGRES_PASSWORD is required" >&2; exit 1; }
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    postgres -D "$PGDATA" -c listen_addresses='' -c unix_socket_directories=/var/run/postgresql >/dev/null 2>&1 &
    pid=$!
    until pg_isready -q -h /var/run/postgresql; do sleep 0.2; done
    psql -q -h /var/run/postgresql -U "$POSTGRES_USER" -d postgres -c "CREATE DATABASE \"$POSTGRES_DB\""
    kill "$pid"; wait "$pid" || true
  fi
  echo "docker-entrypoint: initialised $PGDATA with database $POSTGRES_DB"
fi
if [ $# -gt 0 ] && [ "$1" = postgres ]; then shift; fi
# any other command (psql, bash, ...) runs as given
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi
exec postgres -D "$PGDATA" -c listen_addresses='*' -c unix_socket_directories=/var/run/postgresql "$@"
ENTRY
    chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"
    changes+=(--change "ENV PGDATA=/var/lib/postgresql/data"
              --change "ENV PATH=$bindir:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
              --change "USER postgres"
              --change "EXPOSE 5432"
              --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]'
              --change 'CMD ["postgres"]')
    ;;
  redis)
    # /data owned by redis: a fresh named volume mounted there inherits the owner, as with the official image
    install -d -o "$(chroot "$rootfs" id -u redis)" -g "$(chroot "$rootfs" id -g redis)" -m 0750 "$rootfs/data"
    changes+=(--change "USER redis"
              --change "WORKDIR /data"
              --change "EXPOSE 6379"
              --change 'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]')
    ;;
esac

# Trim what a container never needs: apt lists, downloaded packages, documentation.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
       "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/debootstrap \
       "$rootfs"/var/log/*.log
# Docker provides these at run time; do not ship this machine's resolver or mirror host entries.
: >"$rootfs/etc/hostname"
: >"$rootfs/etc/resolv.conf"
printf '127.0.0.1\tlocalhost\n' >"$rootfs/etc/hosts"

log "docker import as $image"
tar -C "$rootfs" --numeric-owner -cf - . \
  | docker import "${changes[@]}" \
      --change "LABEL org.opencontainers.image.title=$repository" \
      --change "LABEL org.opencontainers.image.description=\"Debian $suite minbase with $packages (ci/scripts/local-base-image.sh)\"" \
      - "$image" >/dev/null
docker tag "$image" "$repository:$suite"
log "built $image ($(docker image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')) in $(( $(date +%s) - started ))s"
echo "$image"
