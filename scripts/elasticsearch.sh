#!/usr/bin/env bash
# Starts or stops a local single-node Elasticsearch 8 for development and tests.
#   scripts/elasticsearch.sh start|stop|status
# A node of a cluster (`make bench-cluster`) when ES_CLUSTER_HOSTS lists the nodes' transport
# addresses (ES_CLUSTER_NAME, ES_NODE_NAME, ES_CLUSTER_NODES: the names, ES_TRANSPORT_PORT):
# its data, logs and a copy of the configuration under ES_HOME_ROOT, the distribution under
# ES_DIST_ROOT (the default node's).
# Debian has no Elasticsearch: we take the `integ-test-zip` distribution from Maven Central with
# mvn, run it with the machine's JDK, as an unprivileged user (Elasticsearch refuses root).
# Idempotent; the download is cached outside the repository.
set -euo pipefail

ES_VERSION=${ES_VERSION:-8.19.9}
ES_PORT=${ES_PORT:-9200}
ES_HOME_ROOT=${ES_HOME_ROOT:-/var/tmp/portail-elasticsearch}
ES_USER=${ES_USER:-portail-es}
ES_URL="http://127.0.0.1:${ES_PORT}"
ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_DIST_ROOT=${ES_DIST_ROOT:-$ES_HOME_ROOT}
ES_HOME="${ES_DIST_ROOT}/elasticsearch-${ES_VERSION}"
PID_FILE="${ES_HOME_ROOT}/elasticsearch.pid"

die() { echo "elasticsearch.sh : $*" >&2; exit 1; }

# On a fresh Debian machine run as root (CI), the JDK and Maven come from apt.
install_tools() {
  command -v java >/dev/null && command -v mvn >/dev/null && return
  [ -n "${ES_JAVA_HOME:-}" ] && command -v mvn >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installation du JDK 17 et de Maven (Debian)…" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      openjdk-17-jdk-headless maven >/dev/null
  fi
}

running() { curl -fsS "${ES_URL}/_cluster/health" >/dev/null 2>&1; }

java_home() {
  [ -n "${ES_JAVA_HOME:-}" ] && { echo "$ES_JAVA_HOME"; return; }
  command -v java >/dev/null || die "Java introuvable : installez un JDK 17+ (apt-get install openjdk-17-jdk-headless)."
  dirname "$(dirname "$(readlink -f "$(command -v java)")")"
}

install() {
  [ -x "${ES_HOME}/bin/elasticsearch" ] && return
  command -v mvn >/dev/null || die "Maven introuvable : installez-le (apt-get install maven)."
  echo "Téléchargement d'Elasticsearch ${ES_VERSION} (Maven Central)…" >&2
  mvn -q dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false >&2 \
    || die "téléchargement de ${ARTIFACT} impossible."
  local zip="${HOME}/.m2/repository/org/elasticsearch/distribution/integ-test-zip/elasticsearch/${ES_VERSION}/elasticsearch-${ES_VERSION}.zip"
  mkdir -p "$ES_DIST_ROOT"
  (cd "$ES_DIST_ROOT" && python3 -m zipfile -e "$zip" .)
  chmod +x "${ES_HOME}"/bin/*
}

start() {
  running && { echo "Elasticsearch répond déjà sur ${ES_URL}."; return; }
  install_tools
  install
  if [ "$(id -u)" = 0 ]; then
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER" "$ES_DIST_ROOT"
    run_as=(runuser -u "$ES_USER" --)
  else
    run_as=()
  fi
  mkdir -p "${ES_HOME_ROOT}/data" "${ES_HOME_ROOT}/logs"
  local discovery=(-Ediscovery.type=single-node) conf="${ES_HOME}/config"
  if [ -n "${ES_CLUSTER_HOSTS:-}" ]; then
    conf="${ES_HOME_ROOT}/config"
    [ -d "$conf" ] || cp -r "${ES_HOME}/config" "$conf"
    discovery=(-Ecluster.name="$ES_CLUSTER_NAME" -Enode.name="$ES_NODE_NAME"
      -Etransport.port="$ES_TRANSPORT_PORT" -Ediscovery.seed_hosts="$ES_CLUSTER_HOSTS"
      -Ecluster.initial_master_nodes="$ES_CLUSTER_NODES")
  fi
  [ "$(id -u)" = 0 ] && chown -R "$ES_USER" "$ES_HOME_ROOT"
  "${run_as[@]}" env ES_JAVA_HOME="$(java_home)" ES_JAVA_OPTS="${ES_JAVA_OPTS:--Xms512m -Xmx512m}" \
    ES_PATH_CONF="$conf" "${ES_HOME}/bin/elasticsearch" -d -p "$PID_FILE" "${discovery[@]}" \
    -Expack.security.enabled=false -Enetwork.host=127.0.0.1 \
    -Ehttp.port="$ES_PORT" -Epath.data="${ES_HOME_ROOT}/data" -Epath.logs="${ES_HOME_ROOT}/logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false >&2
  for _ in $(seq "${ES_START_SECONDS:-90}"); do
    curl -fsS "${ES_URL}/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1 && {
      echo "Elasticsearch ${ES_VERSION} prêt sur ${ES_URL}."
      return
    }
    sleep 1
  done
  die "Elasticsearch n'a pas démarré : voir ${ES_HOME_ROOT}/logs."
}

stop() {
  [ -f "$PID_FILE" ] && kill "$(cat "$PID_FILE")" 2>/dev/null || true
  for _ in $(seq 30); do running || { rm -f "$PID_FILE"; echo "Elasticsearch arrêté."; return; }; sleep 1; done
  die "Elasticsearch ne s'arrête pas (pid $(cat "$PID_FILE" 2>/dev/null))."
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) running && echo "Elasticsearch répond sur ${ES_URL}." || { echo "Elasticsearch ne répond pas."; exit 1; } ;;
  *) die "usage : $0 start|stop|status" ;;
esac
