#!/usr/bin/env bash
# Builds the start-up baseline (baseline-app: Spring MVC + Actuator, nothing else) into $WORK/baseline, laid out
# as build.sh lays out the app (Spring AOT included), so that the start-up benchmark starts it as it starts the app:
#   benchmarks/build-baseline.sh && BENCH_BUILD=baseline benchmarks/train.sh
#   BENCH_BUILD=baseline benchmarks/startup.sh 5 jdk25-extracted jdk25-aot-cache
# With the argument required-stack: the app's starters with none of its code, into $WORK/required-stack
# (baseline-app/pom.xml, profile required-stack): what the stack alone costs, between the empty app and the app.
source "$(dirname "$0")/lib.sh"
variant="${1:-baseline}"
case "$variant" in
  baseline) profile=() ;;
  required-stack) profile=(-Prequired-stack) ;;
  *) die "unknown variant $variant (baseline or required-stack)" ;;
esac
BUILD="$variant"
log "building the start-up $variant (benchmarks/baseline-app ${profile[*]})"
(cd "$BENCH_DIR/baseline-app" && "$REPO_DIR/mvnw" -q -B -ntp -Dmaven.test.skip=true -Dmaven.gitcommitid.skip=true "${profile[@]}" clean package)
install_build "$BENCH_DIR"/baseline-app/target/notejam-startup-baseline-*.jar
log "$variant: extracted to $WORK/$BUILD/extracted; now BENCH_BUILD=$BUILD benchmarks/train.sh"
