# SATURN's production image: the same jar as `java -jar saturn.jar`, built without the embedded
# MariaDB binaries (-Dno-embedded-db), unpacked into Spring Boot's layers, run on a JRE as a
# non-root user. It needs an external database and Temporal: see docs/deployment.md.
#
#   docker build -t saturn:0.1.0 .      (BuildKit, Docker's default builder since 23.0: RUN --mount)
#
# Base images are pinned to a full Temurin release; pin digests as well (FROM image@sha256:...)
# where your registry policy asks for it.
ARG JDK_IMAGE=eclipse-temurin:17.0.20_8-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17.0.20_8-jre-noble

FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The Maven repository lives in a build cache, so a rebuild after a code change downloads nothing.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl app -am package -DskipTests -Dno-embedded-db
# Dependencies change less often than SATURN's own code: one image layer each, in this order.
RUN java -Djarmode=tools -jar app/target/saturn.jar extract --layers --launcher --destination /layers

FROM ${JRE_IMAGE} AS runtime
ARG SATURN_VERSION=0.1.0
LABEL org.opencontainers.image.title="SATURN" \
      org.opencontainers.image.description="Multi-tenant AI-agent platform on durable execution (roles api and worker)" \
      org.opencontainers.image.version="${SATURN_VERSION}"
# A fixed uid/gid, so Kubernetes' runAsNonRoot can check it and volumes can be prepared for it.
# The application files stay owned by root: the process cannot change its own code.
RUN groupadd --system --gid 10001 saturn \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/saturn --no-create-home \
      --shell /usr/sbin/nologin saturn \
 && install -d -o 10001 -g 10001 -m 0700 /var/lib/saturn
WORKDIR /app
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# The data dir (generated files, the Lucene index when used) and HOME (the tokenizer's native
# library cache) are the only places SATURN writes to besides /tmp.
ENV SATURN_DATA_DIR=/var/lib/saturn \
    HOME=/var/lib/saturn
USER 10001:10001
EXPOSE 8080 8081
# Liveness only (/health answers while the process serves HTTP); readiness (/ready) belongs to the
# orchestrator. curl ships with the Temurin image, so the check starts no second JVM.
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=3 \
  CMD curl -fsS -o /dev/null "http://127.0.0.1:${SERVER_PORT:-8080}/health" || exit 1
# Heap as a share of the container's memory limit, leaving room for ONNX Runtime, thread stacks
# and metaspace; an OutOfMemoryError ends the process so the orchestrator restarts it.
# Extra JVM flags: JDK_JAVA_OPTIONS. Arguments after the image name reach SATURN.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=70", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
