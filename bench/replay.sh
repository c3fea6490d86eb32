#!/usr/bin/env bash
# How fast `courier replay` publishes dead letters again: loads N dead letters (default 100,000) into the sandbox's
# broker and times `java -jar target/courier.jar replay` over them. Writes bench/results/replay.md. Runs from any
# directory; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests package
mvn -q -B -f bench/pom.xml package -DskipTests
java -Xms512m -Xmx2g -Dlogback.configurationFile=bench/src/main/resources/bench-logback.xml \
  -cp "target/courier.jar:bench/target/classes" dev.courier.bench.ReplayBench target/courier.jar bench/results "$@"
