#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Checks that a CycloneDX BOM of the Maven build (cyclonedx-maven-plugin) describes an image Jib built: every jar
# in the image's /app/libs is a component of the BOM (same name, version and classifier), and every library of the
# BOM is in the image. A BOM that misses a jar would hide it from every later vulnerability query.
# Usage: ci/scripts/sbom-check.sh --bom FILE (--image REF | --image-tar FILE) [--dry-run]
#   --image REF       an image in the local Docker engine (its file system is exported, nothing runs)
#   --image-tar FILE  a Jib tarball (jib:buildTar, docker-save layout)
set -euo pipefail
# shellcheck source=lib/common.sh
source "$(dirname "$0")/lib/common.sh"
bom=""
image=""
image_tar=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) DRY_RUN=true ;;
    --bom) bom="${2:?--bom needs a file}"; shift ;;
    --image) image="${2:?--image needs a reference}"; shift ;;
    --image-tar) image_tar="${2:?--image-tar needs a file}"; shift ;;
    *) die "unknown argument $1" ;;
  esac
  shift
done
[ -n "$bom" ] || die "--bom is required"
if [ -n "$image" ] && [ -n "$image_tar" ]; then die "give --image or --image-tar, not both"; fi
[ -n "$image$image_tar" ] || die "--image or --image-tar is required"
if [ "$DRY_RUN" = true ]; then
  if [ -n "$image" ]; then
    echo "+ docker create $image; docker export <container> | tar -t | grep ^app/libs/ (jars of the image)" >&2
  else
    echo "+ tar -xOf $image_tar <each layer> | tar -tz | grep ^app/libs/ (jars of the image)" >&2
  fi
  echo "+ jq: name-version[-classifier].jar of every library in $bom; both lists must be equal" >&2
  exit 0
fi
require_command jq tar
[ -s "$bom" ] || die "no BOM at $bom (cyclonedx:makeBom writes it)"
work=$(mktemp -d)
container=""
cleanup() {
  [ -z "$container" ] || docker rm -f "$container" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# Jar file names in the image's /app/libs (Jib's dependency layers).
if [ -n "$image" ]; then
  require_command docker
  container=$(docker create "$image")
  docker export "$container" | tar -t | sed -n 's#^/\{0,1\}app/libs/\([^/]*\.jar\)$#\1#p' | sort -u >"$work/image.txt"
else
  [ -s "$image_tar" ] || die "no image tarball at $image_tar"
  tar -xf "$image_tar" -C "$work" manifest.json
  for layer in $(jq -r '.[0].Layers[]' "$work/manifest.json"); do
    tar -xOf "$image_tar" "$layer" | tar -tz 2>/dev/null || tar -xOf "$image_tar" "$layer" | tar -t
  done | sed -n 's#^/\{0,1\}app/libs/\([^/]*\.jar\)$#\1#p' | sort -u >"$work/image.txt"
fi

# The BOM's libraries as Jib names their jars: artifactId-version[-classifier].jar.
jq -r '.components[]? | select(.type == "library") | select((.scope // "required") == "required")
  | [.name, .version, ((.purl // "") | capture("[?&]classifier=(?<c>[^&]+)").c // "")]
  | if .[2] == "" then "\(.[0])-\(.[1]).jar" else "\(.[0])-\(.[1])-\(.[2]).jar" end' "$bom" | sort -u >"$work/bom.txt"

image_jars=$(wc -l <"$work/image.txt")
bom_jars=$(wc -l <"$work/bom.txt")
[ "$image_jars" -gt 0 ] || die "no jar under /app/libs of ${image:-$image_tar}: not a Jib image?"
not_in_bom=$(comm -23 "$work/image.txt" "$work/bom.txt")
not_in_image=$(comm -13 "$work/image.txt" "$work/bom.txt")
if [ -n "$not_in_bom" ] || [ -n "$not_in_image" ]; then
  [ -z "$not_in_bom" ] || echo "in the image, not in the BOM:"$'\n'"$not_in_bom" >&2
  [ -z "$not_in_image" ] || echo "in the BOM, not in the image:"$'\n'"$not_in_image" >&2
  die "$bom does not describe ${image:-$image_tar} ($image_jars jars in the image, $bom_jars libraries in the BOM)"
fi
log "$bom lists exactly the $image_jars jars of ${image:-$image_tar}"
