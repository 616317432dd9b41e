# shellcheck shell=bash
# Sourced by ci scripts: make sure a Docker engine answers on the default socket.
# systemd is not running on CI machines here, so dockerd is started directly in the background.
# Options are tried from most to least capable until the engine comes up (overlay2 with iptables first,
# then without iptables, then the vfs storage driver that works on any file system).

DOCKERD_LOG="${DOCKERD_LOG:-/var/log/notejam-dockerd.log}"
DOCKERD_PIDFILE="${DOCKERD_PIDFILE:-/run/notejam-dockerd.pid}"

docker_engine_ready() {
  docker info >/dev/null 2>&1
}

docker_engine_wait() {
  local seconds="$1" waited=0
  while [ "$waited" -lt "$seconds" ]; do
    docker_engine_ready && return 0
    sleep 1
    waited=$((waited + 1))
  done
  return 1
}

docker_engine_start() {
  if docker_engine_ready; then
    return 0
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "docker-engine: dockerd is not installed (run ci/setup.d/60-docker.sh)" >&2
    return 1
  fi
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  local attempt
  for attempt in "--storage-driver=overlay2" "--storage-driver=overlay2 --iptables=false --ip-masq=false" \
                 "--storage-driver=vfs --iptables=false --ip-masq=false"; do
    echo "docker-engine: starting dockerd $attempt (log: $DOCKERD_LOG)"
    # shellcheck disable=SC2086  # the options are deliberately split into words
    $sudo sh -c "nohup dockerd $attempt >>'$DOCKERD_LOG' 2>&1 & echo \$! >'$DOCKERD_PIDFILE'"
    if docker_engine_wait 30; then
      echo "docker-engine: up ($(docker version --format '{{.Server.Version}}' 2>/dev/null), $(docker info --format '{{.Driver}}' 2>/dev/null))"
      return 0
    fi
    echo "docker-engine: dockerd $attempt did not come up; last log lines:" >&2
    tail -n 5 "$DOCKERD_LOG" >&2 || true
    # stop only the dockerd this function started, by its process id
    if [ -s "$DOCKERD_PIDFILE" ]; then $sudo kill "$(cat "$DOCKERD_PIDFILE")" 2>/dev/null || true; fi
    sleep 2
  done
  echo "docker-engine: could not start dockerd, see $DOCKERD_LOG" >&2
  return 1
}
