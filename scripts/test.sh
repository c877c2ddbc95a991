#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: starts the services the tests need, runs Maven,
# then prints every skipped test with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL for the vault's shared-storage tests: installed from Debian's packages when missing,
# started as a throwaway cluster on 127.0.0.1; the script prints the export of its JDBC URL.
eval "$(bash .ci/start-postgres.sh)"

# The default build plus a bounded reliability and fuzzing pass: the tests tagged `reliability`
# (killed writers, 10,000 tamper flips, network faults, leak canary, 16-thread model checks) and
# 10 s of fuzzing per target. `mvn -P reliability verify` fuzzes 60 s per target instead.
mvn -B verify -P reliability -Dfuzz.seconds=10 "$@"

# Every skip carries its reason (a missing optional server, a feature a store lacks): show them.
echo "Skipped tests and why:"
found=0
for report in */target/surefire-reports/TEST-*.xml; do
  [ -f "$report" ] || continue
  while IFS= read -r line; do
    found=1
    echo "  $line"
  done < <(awk '
    /<testcase / { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7);
                   match($0, /classname="[^"]*"/); cls = substr($0, RSTART + 11, RLENGTH - 12) }
    /<skipped/   { msg = $0; sub(/.*Assumption failed: /, "", msg); sub(/.*<skipped[^>]*message="/, "", msg);
                   sub(/".*/, "", msg); sub(/<!\[CDATA\[/, "", msg); sub(/.*TestAbortedException: /, "", msg);
                   print cls "." name ": " msg }' "$report")
done
[ "$found" -eq 1 ] || echo "  none"

# One closing line over every module's Surefire reports, counted by test case (a report's own
# totals leave out the cases of @Nested classes that Surefire writes into it).
awk '
  /^[ \t]*<testcase /               { tests++ }
  /^[ \t]*<(failure|error)[ >]/      { failed++ }
  /^[ \t]*<skipped[ \/>]/            { skipped++ }
  END { printf "tests: %d passed, %d failed, %d skipped\n", tests - failed - skipped, failed, skipped }
' */target/surefire-reports/TEST-*.xml
