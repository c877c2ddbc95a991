#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts the services the tests need, then Maven.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .ci/start-postgres.sh ]; then
  # Installs PostgreSQL from Debian's packages when missing and starts a throwaway cluster on
  # 127.0.0.1; prints the export line the vault's PostgreSQL tests read.
  eval "$(bash .ci/start-postgres.sh)"
fi

mvn -B verify "$@"
