#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# A stand-in for eclipse-temurin:25-jre on a machine without Docker Hub: Ubuntu 24.04 (noble) minbase from Ubuntu's
# archive (debootstrap, checked against Ubuntu's archive keys from Debian's signed ubuntu-keyring package) with the
# jlinked Temurin 25 JRE of ci/scripts/local-base-image.sh --variant jre in /opt/java/openjdk, JAVA_HOME and PATH
# as in the official image. With it the backup base's real recipe (backup-jobs/src/main/docker/base/Dockerfile,
# postgresql-client-16 from Ubuntu's archive) can be built here:
#   ci/scripts/backup-base-image.sh --from "$(ci/scripts/temurin-standin-image.sh | tail -n 1)"
# Not part of .ci/run (minutes of downloads); the pipeline pulls the real base by digest.
# Usage: ci/scripts/temurin-standin-image.sh [--mirror URL] [--dry-run]     (default http://archive.ubuntu.com/ubuntu)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
mirror=http://archive.ubuntu.com/ubuntu
suite=noble
image=notejam-local/temurin-noble:25-jre
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --mirror) mirror="${2:?--mirror needs a URL}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
cd "$REPO_ROOT"
if [ "$DRY_RUN" = true ]; then
  run apt-get download ubuntu-keyring "(Debian trixie, unless /usr/share/keyrings/ubuntu-archive-keyring.gpg exists)"
  run debootstrap --variant=minbase --include=ca-certificates "$suite" "<rootfs>" "$mirror" /usr/share/debootstrap/scripts/gutsy
  run ci/scripts/local-base-image.sh --variant jre
  run docker cp "<jre container>:/opt/java/openjdk" "<rootfs>/opt/java/openjdk"
  run docker import "<rootfs>" "$image"
  echo "$image"
  exit 0
fi
require_command docker debootstrap dpkg-deb
[ "$(id -u)" -eq 0 ] || die "debootstrap needs root"
started=$(date +%s)
work=$(mktemp -d /var/tmp/notejam-noble.XXXXXX)
container=""
cleanup() {
  [ -z "$container" ] || docker rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg
if [ ! -s "$keyring" ]; then
  # Debian's ubuntu-keyring package (signed by Debian's archive) carries Ubuntu's archive keys.
  mkdir -p "$work/apt/lists/partial" "$work/keyring"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$work/apt/sources.list"
  apt_opts=(-q -o "Dir::Etc::sourcelist=$work/apt/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/apt/lists")
  apt-get "${apt_opts[@]}" update >/dev/null
  (cd "$work/keyring" && apt-get "${apt_opts[@]}" download ubuntu-keyring >/dev/null 2>&1)
  dpkg-deb -x "$work"/keyring/ubuntu-keyring_*.deb "$work/keyring/root"
  keyring="$work/keyring/root/usr/share/keyrings/ubuntu-archive-keyring.gpg"
fi

log "debootstrap $suite from $mirror"
rootfs="$work/rootfs"
if ! debootstrap --variant=minbase --keyring="$keyring" --include=ca-certificates "$suite" "$rootfs" "$mirror" \
    /usr/share/debootstrap/scripts/gutsy >"$work/debootstrap.log" 2>&1; then
  tail -n 30 "$work/debootstrap.log" >&2
  die "debootstrap of $suite failed"
fi
# apt inside the image reads the same archive, main and universe as in Ubuntu's images
echo "deb $mirror $suite main universe" >"$rootfs/etc/apt/sources.list"
echo "deb $mirror $suite-updates main universe" >>"$rootfs/etc/apt/sources.list"

jre_image=$(ci/scripts/local-base-image.sh --variant jre | tail -n 1)
container=$(docker create "$jre_image" true)
mkdir -p "$rootfs/opt/java"
docker cp "$container:/opt/java/openjdk" "$rootfs/opt/java/openjdk"
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/debootstrap
: >"$rootfs/etc/resolv.conf"
tar -C "$rootfs" --numeric-owner -cf - . | docker import \
  --change "ENV JAVA_HOME=/opt/java/openjdk" \
  --change "ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
  --change "ENV LANG=C.UTF-8" \
  --change "LABEL org.opencontainers.image.description=\"stand-in for eclipse-temurin:25-jre: Ubuntu $suite + $jre_image's JRE\"" \
  - "$image" >/dev/null
log "built $image in $(( $(date +%s) - started ))s"
echo "$image"
