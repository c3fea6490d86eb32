#!/usr/bin/env bash
# The benchmark, start to end: builds Courier and the bench, then runs every contender and writes
# bench/results/latest.md and bench/results/latest.json. Extra arguments (--key=value) go to the harness;
# see bench/README.md. Runs from any directory.
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

echo "== building Courier (target/courier.jar)"
mvn -q -B -DskipTests package
echo "== building the benchmark (bench/)"
mvn -q -B -f bench/pom.xml package -DskipTests

echo "== running"
# The harness JVM holds the broker, the registry stand-in and the target; each contender gets its own JVM.
java -Xms1g -Xmx3g \
  -Dbench.commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  -Dlogback.configurationFile=bench/src/main/resources/bench-logback.xml \
  -cp "target/courier.jar:bench/target/classes" dev.courier.bench.Bench \
  target/courier.jar bench/target/contenders.classpath bench/results "$@"

sed -i "s/^Wall time of the whole command (builds included): the harness alone took/Wall time of the whole command (builds included): $(( $(date +%s) - started )) s; the harness alone took/" \
  bench/results/latest.md
echo "== done in $(( $(date +%s) - started )) s: bench/results/latest.md"
