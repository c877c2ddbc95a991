#!/usr/bin/env bash
# Runs every benchmark pair (each subject beside its baseline in one JMH run), computes the ratios
# and writes docs/benchmarks.md.
#
#   benchmarks/run.sh            short profile (about 10 minutes on 2 cores)
#   benchmarks/run.sh --full     longer warm-up and measurement, more forks
#   benchmarks/run.sh --no-build reuse benchmarks/target/benchmarks.jar
#
# Needs: JDK 17+, Maven, python3. The Argon2 pair needs the `argon2` command (Debian package
# argon2); the script installs it with apt-get when it may, and reports it absent otherwise.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
profile=short
build=1
for arg in "$@"; do
  case "$arg" in
    --full) profile=full ;;
    --short) profile=short ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--full] [--no-build]" >&2; exit 2 ;;
  esac
done

cd "$root"
out="$root/benchmarks/target/results"
rm -rf "$out"
mkdir -p "$out"
started="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
cat /proc/loadavg > "$out/loadavg-start.txt" 2>/dev/null || true
start_s=$(date +%s)

if [[ $build == 1 ]]; then
  echo "== building (mvn -q -DskipTests package -pl benchmarks -am)" >&2
  mvn -q -DskipTests package -pl benchmarks -am
fi
jar="$root/benchmarks/target/benchmarks.jar"

# The argon2 reference tool, for the Argon2id pair.
if ! command -v argon2 >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1; then
    if [[ $(id -u) == 0 ]]; then
      echo "== installing the argon2 tool (apt-get install -y argon2)" >&2
      apt-get install -y -q argon2 >/dev/null 2>&1 || true
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      echo "== installing the argon2 tool (sudo apt-get install -y argon2)" >&2
      sudo -n apt-get install -y -q argon2 >/dev/null 2>&1 || true
    fi
  fi
fi
if command -v argon2 >/dev/null 2>&1; then
  echo "present $(command -v argon2)" > "$out/argon2-tool.txt"
else
  echo "absent" > "$out/argon2-tool.txt"
fi

if [[ $profile == full ]]; then
  thr=(-f 2 -wi 5 -w 2s -i 5 -r 2s)
  sample=(-f 2 -wi 2 -w 5s -i 5 -r 10s)
  single=(-f 2 -wi 3 -i 10)
else
  thr=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  sample=(-f 1 -wi 1 -w 4s -i 3 -r 8s)
  single=(-f 1 -wi 2 -i 5)
fi
props=(-jvmArgsAppend "-Dolares.bench.out=$out -Dolares.bench.fixtures=$root/benchmarks/target/fixtures")

# Which benchmark classes this build contains (tiers land at different times).
classes="$(jar tf "$jar" | grep -E '^io/olares/secrets/benchmarks/[A-Za-z0-9]+Benchmark\.class$' \
  | sed 's#.*/##; s#\.class$##' | sort | tr '\n' ' ')"
has() { [[ " $classes " == *" $1 "* ]]; }

jmh() {
  local name="$1"; shift
  echo "== $name" >&2
  java -jar "$jar" "$@" "${props[@]}" -rf json -rff "$out/$name.json" > "$out/$name.log" 2>&1 \
    || { echo "   failed: see $out/$name.log" >&2; tail -20 "$out/$name.log" >&2; }
}

jmh cached-read 'CachedReadBenchmark' "${thr[@]}" -prof gc
# provider calls during token renewals: in-process exchanges (the verdict), then loopback HTTP
jmh provider-renewal-inprocess 'ProviderRenewalInProcessBenchmark' "${sample[@]}"
jmh provider-renewal 'ProviderRenewalBenchmark' "${sample[@]}"
if has InfisicalReadBenchmark; then
  jmh infisical-read 'InfisicalReadBenchmark' "${sample[@]}"
fi
if has VaultCryptoBenchmark; then
  jmh vault-crypto 'VaultCryptoBenchmark' "${thr[@]}" -prof gc
fi
if has VaultPutBenchmark; then
  # the 100,000-item vault is built once and kept here between runs
  jmh vault-put 'VaultPutBenchmark' "${thr[@]}"
fi
if has Argon2Benchmark; then
  if [[ $(cat "$out/argon2-tool.txt") == absent ]]; then
    jmh argon2 'Argon2Benchmark.sdk' "${single[@]}" -bm ss
  else
    jmh argon2 'Argon2Benchmark' "${single[@]}" -bm ss
  fi
fi

echo "== heap per cached secret" >&2
java -Xmx2g -cp "$jar" io.olares.secrets.benchmarks.HeapPerEntry "$out/heap.json" \
  > "$out/heap.log" 2>&1 || { echo "   failed: see $out/heap.log" >&2; tail -20 "$out/heap.log" >&2; }

took=$(( $(date +%s) - start_s ))
command_line="benchmarks/run.sh${*:+ $*}"
python3 "$here/report.py" \
  --results "$out" \
  --out "$root/docs/benchmarks.md" \
  --profile "$profile" \
  --started "$started" \
  --seconds "$took" \
  --command "$command_line"
echo "== wrote docs/benchmarks.md (${took} s)" >&2
