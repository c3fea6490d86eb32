# syntax=docker/dockerfile:1
#
# Courier's container image: `docker build -t courier .` (the docker-compose stack builds it too).
# The runtime stage holds a JRE and the slim jar (no in-JVM broker: `courier dev` and `demo` are for the full
# jar; every other command, `demo-target` included, works). It runs as a numeric non-root user and writes
# nothing outside /tmp, so a read-only root filesystem works with /tmp mounted writable (an emptyDir, a tmpfs).

ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-21
ARG RUNTIME_IMAGE=eclipse-temurin:21.0.5_11-jre-noble

FROM ${BUILD_IMAGE} AS build
WORKDIR /build
# The dependency layer: rebuilt only when pom.xml changes.
COPY pom.xml ./
RUN mvn -B -q -Pslim dependency:go-offline
COPY schemas/ schemas/
COPY src/main/ src/main/
RUN mvn -B -q -Pslim -DskipTests package

FROM ${RUNTIME_IMAGE} AS runtime
ARG RUNTIME_IMAGE
ARG VERSION=0.1.0-SNAPSHOT
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="Courier" \
      org.opencontainers.image.description="Kafka-driven HTTP request processor: request events in, one result or dead letter out." \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
COPY --from=build /build/target/courier.jar /opt/courier/courier.jar
# The health check needs nothing installed: bash (in the base image) sends one GET through /dev/tcp.
COPY --chmod=0555 src/main/docker/healthcheck /opt/courier/healthcheck
# The admin server: /health/live, /health/ready, /metrics (courier.admin.port). It listens on the container's loopback
# by default, where the HEALTHCHECK below asks it, on COURIER_COURIER_ADMIN_PORT when that is set (8080 otherwise).
# To publish the port, set COURIER_COURIER_ADMIN_BIND=0.0.0.0 and
# COURIER_COURIER_ADMIN_TOKEN (courier run refuses a bind beyond loopback without a token unless
# COURIER_COURIER_ADMIN_ALLOW_ANONYMOUS=true); docker-compose.yml and the Helm chart set what they need.
EXPOSE 8080
# The only place the JVM and the Kafka client's compression libraries write.
VOLUME ["/tmp"]
ENV HOME=/tmp
WORKDIR /tmp
USER 10001:10001
# SIGTERM drains, commits and exits within the bound in docs/guarantees.md (Shutdown).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["/opt/courier/healthcheck"]
# More JVM flags: JAVA_TOOL_OPTIONS. Settings: COURIER_* variables (docs/configuration.md).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75.0", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/opt/courier/courier.jar"]
CMD ["run"]
