#!/usr/bin/env bash
# PostgreSQL 15 server + client from Debian, for backup-jobs' tests: they start their own throwaway cluster
# (initdb/pg_ctl on 127.0.0.1, a free port, a temp dir) and run pg_dump/pg_restore 15 against it.
# PostgreSQL refuses to run as root, so the tests run the server as the `postgres` user the package creates.
# Debian's package would also create and start a default cluster on port 5432: not needed, so it is turned off.
# Idempotent: does nothing when the binaries are already installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -x /usr/lib/postgresql/15/bin/pg_ctl ] \
   && command -v pg_dump >/dev/null && command -v pg_restore >/dev/null && id postgres >/dev/null 2>&1; then
  echo "postgresql-server: $(/usr/lib/postgresql/15/bin/postgres --version) already installed"
  exit 0
fi

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
# No default cluster: the tests make their own.
$sudo mkdir -p /etc/postgresql-common
if ! grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
  echo "create_main_cluster = false" | $sudo tee -a /etc/postgresql-common/createcluster.conf >/dev/null
fi

# shellcheck source=../scripts/lib/apt.sh
source ci/scripts/lib/apt.sh
apt_install postgresql-15 postgresql-client-15
echo "postgresql-server: installed $(/usr/lib/postgresql/15/bin/postgres --version)"
