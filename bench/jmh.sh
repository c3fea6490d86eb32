#!/usr/bin/env bash
# The micro-benchmarks of Courier's hot pieces (offset tracking, token buckets, codec), with JMH.
# Short by default (1 fork, 2 warm-up and 3 measured iterations of 1 s: about 2 minutes); writes
# bench/results/jmh.txt. Extra arguments go to JMH, e.g. bench/jmh.sh Codec -i 10.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f target/courier.jar ]]; then
  mvn -q -B -DskipTests package
fi
mvn -q -B -f bench/pom.xml package -DskipTests
java -cp "bench/target/classes:target/courier.jar:$(cat bench/target/jmh.classpath)" org.openjdk.jmh.Main \
  -f 1 -wi 2 -i 3 -w 1s -r 1s -jvmArgs "-Xms512m -Xmx512m" "$@" | tee bench/results/jmh.txt
