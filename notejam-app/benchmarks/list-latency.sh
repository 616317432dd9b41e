#!/usr/bin/env bash
# Benchmark (b): the all-notes page of a user with 10,000 notes, page 1 and page 200 (by number and by the pager's
# link), 20 concurrent clients
# (wrk connections, closed loop) against one instance; throughput and p50/p95/p99 latency.
#   benchmarks/list-latency.sh [DURATION] [CONNECTIONS]      (default 60s, 20; BENCH_WARMUP=180s)
# Needs: stores.sh start, run-app.sh start, seed-user.sh. wrk runs on the same 2 cores as the app.
source "$(dirname "$0")/lib.sh"
duration="${1:-60s}"; connections="${2:-20}"
# The JIT needs some 30,000 requests (about 3 minutes here) before the page reaches its steady speed.
warmup="${BENCH_WARMUP:-180s}"
command -v wrk >/dev/null || die "wrk missing: apt-get install wrk"
BENCH_COOKIE="$(cat "$WORK/cookie")"; export BENCH_COOKIE
log "warm-up: $warmup of the all-notes page (not counted)"
wrk -t2 -c"$connections" -d"$warmup" -s "$BENCH_DIR/latency.lua" "$BASE_URL/" >/dev/null
printf '| page | requests/s | p50 ms | p95 ms | p99 ms | max ms | non-200 | socket errors | load average before/after | CPU steal |\n|---|---|---|---|---|---|---|---|---|---|\n'
# Page 200 twice: by its number alone (OFFSET), and as page 199's "Next page" link gives it (index seek from the
# note the link carries).
linked="$(curl -fs -H "Cookie: SESSION=$BENCH_COOKIE" "$BASE_URL/?page=199" \
  | grep -o 'href="/?[^"]*page=200[^"]*after=[0-9]*"' | head -1 | sed 's/^href="//; s/"$//; s/&amp;/\&/g' || true)"
paths=("/" "/?page=200")
# A build from before the keyset pager (164b2ef) has no such link: its page 200 is the one by number.
if [ -n "$linked" ]; then paths+=("$linked"); else log "page 199 has no keyset link: measuring page 200 by number only"; fi
for path in "${paths[@]}"; do
  # Short warm-up of this exact page, not counted.
  wrk -t2 -c"$connections" -d15s -s "$BENCH_DIR/latency.lua" "$BASE_URL$path" >/dev/null
  before="$(load_average)"; counters="$(cpu_counters)"
  result=$(wrk -t2 -c"$connections" -d"$duration" -s "$BENCH_DIR/latency.lua" "$BASE_URL$path" | grep '^RESULT')
  log "$path: $result"
  # shellcheck disable=SC2086
  eval "$(echo "${result#RESULT }" | tr ' ' '\n' | sed 's/^/r_/')"
  printf '| `%s` | %s | %s | %s | %s | %s | %s | %s | %s / %s | %s %% |\n' "$path" "$r_rps" "$r_p50_ms" "$r_p95_ms" \
    "$r_p99_ms" "$r_max_ms" "$r_non200" "$r_socket_errors" "$before" "$(load_average)" "$(steal_percent "$counters")"
done
