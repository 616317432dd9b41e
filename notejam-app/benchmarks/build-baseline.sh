#!/usr/bin/env bash
# Builds the start-up baseline (baseline-app: Spring MVC + Actuator, nothing else) into $WORK/baseline, laid out
# as build.sh lays out the app (Spring AOT included), so that the start-up benchmark starts it as it starts the app:
#   benchmarks/build-baseline.sh && BENCH_BUILD=baseline benchmarks/train.sh
#   BENCH_BUILD=baseline benchmarks/startup.sh 5 jdk25-extracted jdk25-aot-cache
source "$(dirname "$0")/lib.sh"
BUILD=baseline
log "building the start-up baseline (benchmarks/baseline-app)"
(cd "$BENCH_DIR/baseline-app" && "$REPO_DIR/mvnw" -q -B -ntp -Dmaven.test.skip=true -Dmaven.gitcommitid.skip=true clean package)
install_build "$BENCH_DIR"/baseline-app/target/notejam-startup-baseline-*.jar
log "baseline: extracted to $WORK/$BUILD/extracted; now BENCH_BUILD=$BUILD benchmarks/train.sh"
