#!/usr/bin/env bash
# Builds what the start-up benchmark runs, from a committed version of the app (default: HEAD), in a copy of the
# sources under $WORK so that it never races a teammate's build in notejam-app/target:
#   $WORK/$BUILD/app.jar          the exec jar as shipped (mvn package)
#   $WORK/$BUILD/extracted/       the same jar extracted for CDS/AOT (java -Djarmode=tools -jar app.jar extract)
# Usage: benchmarks/build.sh [git-ref]
source "$(dirname "$0")/lib.sh"

ref="${1:-HEAD}"
commit="$(git -C "$REPO_DIR" rev-parse --short "$ref")"
src="$WORK/src"
rm -rf "$src"; mkdir -p "$src"
log "exporting $ref ($commit) to $src"
git -C "$REPO_DIR" archive "$ref" pom.xml mvnw .mvn notejam-app | tar -x -C "$src"
echo "$commit" > "$WORK/commit"

build() { # build NAME [maven args...]
  local name=$1; shift
  log "building $name jar (mvn package $*)"
  (cd "$src" && ./mvnw -q -B -ntp -f notejam-app/pom.xml -Dmaven.test.skip=true -Dmaven.gitcommitid.skip=true "$@" clean package)
  BUILD=$name install_build "$src"/notejam-app/target/notejam-app-*-exec.jar
  log "$name: $(du -sh "$WORK/$name/app.jar" | cut -f1) exec jar, extracted to $WORK/$name/extracted"
}
build "$BUILD"
log "built from $commit; now run benchmarks/train.sh"
