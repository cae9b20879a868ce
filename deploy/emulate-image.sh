#!/usr/bin/env bash
# Runs the container image's runtime as far as a machine without a Docker engine can: the jar is
# unpacked with the Dockerfile's jarmode command, the four layers are merged in the Dockerfile's
# order into a root-owned directory, and an api and a worker process start from it with the
# image's ENTRYPOINT as uid/gid 10001, with only a data dir and a tmp dir writable (as with the
# chart's readOnlyRootFilesystem). Then the image's HEALTHCHECK command, /ready and the management
# port are tried on both, and both are stopped with SIGTERM. Needs root (setpriv), curl, a database
# and a Temporal server with the namespace (deploy/temporal/create-namespace.sh):
#
#   ./mvnw -q -pl app -am package -DskipTests -Dno-embedded-db
#   SATURN_DB_URL=jdbc:mariadb://127.0.0.1:3306/saturn SATURN_DB_USERNAME=saturn SATURN_DB_PASSWORD=... \
#   SATURN_TEMPORAL_TARGET=127.0.0.1:7233 SATURN_TEMPORAL_NAMESPACE=saturn bash deploy/emulate-image.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SATURN_DB_URL:?}" "${SATURN_DB_USERNAME:?}" "${SATURN_DB_PASSWORD:?}" "${SATURN_TEMPORAL_TARGET:?}"
JAR=${JAR:-app/target/saturn.jar}
WORK=${WORK:-$(mktemp -d /tmp/saturn-image.XXXXXX)}
chmod 755 "$WORK"

java -Djarmode=tools -jar "$JAR" extract --layers --launcher --destination "$WORK/layers"
mkdir -p "$WORK/app"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  cp -a "$WORK/layers/$layer/." "$WORK/app/"
done
chown -R root:root "$WORK/app" && chmod -R go-w "$WORK/app"

start() { # role http-port management-port
  install -d -o 10001 -g 10001 -m 0700 "$WORK/data-$1" "$WORK/tmp-$1"
  (cd "$WORK/app" && exec setpriv --reuid=10001 --regid=10001 --clear-groups env -i PATH=/usr/bin:/bin \
    SATURN_ROLES="$1" SERVER_PORT="$2" MANAGEMENT_SERVER_PORT="$3" MANAGEMENT_SERVER_ADDRESS=0.0.0.0 \
    SATURN_DATA_DIR="$WORK/data-$1" HOME="$WORK/data-$1" JDK_JAVA_OPTIONS="-Djava.io.tmpdir=$WORK/tmp-$1" \
    SATURN_DB_URL="$SATURN_DB_URL" SATURN_DB_USERNAME="$SATURN_DB_USERNAME" SATURN_DB_PASSWORD="$SATURN_DB_PASSWORD" \
    SATURN_TEMPORAL_MODE=external SATURN_TEMPORAL_TARGET="$SATURN_TEMPORAL_TARGET" \
    SATURN_TEMPORAL_NAMESPACE="${SATURN_TEMPORAL_NAMESPACE:-default}" \
    SATURN_ADMIN_TOKEN="adm_$(openssl rand -hex 24)" SATURN_JWT_SECRET="$(openssl rand -hex 48)" \
    SATURN_TOOLS_SECRET_KEY="$(openssl rand -base64 32)" \
    java -XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError org.springframework.boot.loader.launch.JarLauncher \
    > "$WORK/$1.log" 2>&1) &
  echo $! > "$WORK/$1.pid"
}

check() { # role http-port management-port
  for _ in $(seq 1 90); do
    curl -fs -o /dev/null "http://127.0.0.1:$2/ready" && break
    sleep 2
  done
  curl -fsS -o /dev/null "http://127.0.0.1:$2/health" || exit 1   # the image's HEALTHCHECK command
  echo "$1: health ok, ready: $(curl -s "http://127.0.0.1:$2/ready")"
  echo "$1: $(curl -fsS "http://127.0.0.1:$3/actuator/prometheus" | grep -c '^[a-z]') metric samples on the management port"
}

start api 18080 18081
start worker 18090 18091
check api 18080 18081
check worker 18090 18091
kill -TERM "$(cat "$WORK/api.pid")" "$(cat "$WORK/worker.pid")"
wait
echo "written outside the app dir: $(cd "$WORK" && find data-api data-worker tmp-api tmp-worker -maxdepth 1 | tr '\n' ' ')"
echo "logs in $WORK"
