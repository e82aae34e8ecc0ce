#!/usr/bin/env bash
# A local OpenSearch node (or a cluster of several) from Maven Central, no Docker.
#
#   scripts/opensearch.sh fetch                      download (Maven) and install into .opensearch/ (idempotent)
#   scripts/opensearch.sh start [options]            start a node in the background (fetches first if needed)
#   scripts/opensearch.sh wait  [--port P] [--nodes N] [--timeout S]
#                                                    wait for yellow/green health (log tail on failure)
#   scripts/opensearch.sh stop  [--name N | --all]   SIGTERM, then SIGKILL after a grace period
#   scripts/opensearch.sh status                     the nodes this folder started, and their health
#
# start options: --port P (HTTP, default 9250), --transport-port T (default P+100), --name N (default
# pledges-1), --cluster C (default pledges-local), --data DIR (default .opensearch/nodes/N/data),
# --heap SIZE (default 512m), --seed-hosts H1,H2 (127.0.0.1:T of every node; several nodes form one
# cluster) with --initial-managers N1,N2 (the names of the nodes that bootstrap it), --roles R1,R2 (node.roles,
# e.g. cluster_manager for a small tie-breaker: of two manager-eligible nodes only one votes, and losing it
# leaves the other without a cluster manager), --fresh (empty the data folder first).
#
# What gets installed: OpenSearch's minimal distribution (integ-test-zip, the real bin/opensearch) with the
# two modules it lacks laid out from their Maven jars (analysis-common, lang-painless; descriptors in
# opensearch/modules/), then the k-NN plugin zip through bin/opensearch-plugin. See opensearch/pom.xml.
# Environment: OPENSEARCH_DIR (install and node folder, default .opensearch), OPENSEARCH_JAVA_HOME (a JDK
# 11-21: OpenSearch 2.19 needs the security manager, which JDK 24 removed), MVN (default mvn),
# OPENSEARCH_USER (the unprivileged user a node runs as when this runs as root; default nobody: OpenSearch
# refuses to run as root).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VERSION=2.19.1
KNN_VERSION=2.19.1.0
BASE="${OPENSEARCH_DIR:-$ROOT/.opensearch}"
case "$BASE" in /*) ;; *) BASE="$ROOT/$BASE" ;; esac
HOME_DIR="$BASE/opensearch-$VERSION"
DOWNLOADS="$BASE/downloads"
NODES="$BASE/nodes"
MVN="${MVN:-mvn}"

die() { echo "opensearch.sh: $*" >&2; exit 1; }

# --- fetch -----------------------------------------------------------------------------------------------
fetch() {
  if [[ -f "$HOME_DIR/.installed" ]]; then
    echo "OpenSearch $VERSION with k-NN $KNN_VERSION is installed in $HOME_DIR"
    return 0
  fi
  command -v "$MVN" >/dev/null || die "Maven ($MVN) is needed to download OpenSearch from Maven Central"
  local started=$SECONDS
  echo "Downloading OpenSearch $VERSION and k-NN $KNN_VERSION from Maven Central into $DOWNLOADS ..."
  "$MVN" -B -q -f "$ROOT/opensearch/pom.xml" -Dout="$DOWNLOADS" \
    -Dopensearch.version="$VERSION" -Dknn.version="$KNN_VERSION" package \
    || die "Maven could not download OpenSearch (is Maven Central reachable?)"
  local staging="$BASE/.staging"
  rm -rf "$staging" "$HOME_DIR"
  mkdir -p "$staging"
  unzip -q "$DOWNLOADS/opensearch-$VERSION.zip" -d "$staging"
  local home="$staging/opensearch-$VERSION"
  [[ -x "$home/bin/opensearch" ]] || die "the distribution zip has no bin/opensearch"
  local module
  for module in analysis-common lang-painless; do
    mkdir -p "$home/modules/$module"
    cp "$DOWNLOADS/$module/"*.jar "$home/modules/$module/"
    sed "s/@VERSION@/$VERSION/g" "$ROOT/opensearch/modules/$module/plugin-descriptor.properties" \
      > "$home/modules/$module/plugin-descriptor.properties"
    if [[ -f "$ROOT/opensearch/modules/$module/plugin-security.policy" ]]; then
      cp "$ROOT/opensearch/modules/$module/plugin-security.policy" "$home/modules/$module/"
    fi
  done
  OPENSEARCH_JAVA_HOME="$(java_home)" "$home/bin/opensearch-plugin" install --batch \
    "file://$DOWNLOADS/opensearch-knn-$KNN_VERSION.zip" >"$staging/plugin-install.log" 2>&1 \
    || { cat "$staging/plugin-install.log" >&2; die "installing the k-NN plugin failed"; }
  mv "$home" "$HOME_DIR"
  rm -rf "$staging"
  touch "$HOME_DIR/.installed"
  echo "Installed OpenSearch $VERSION with k-NN $KNN_VERSION in $HOME_DIR ($((SECONDS - started)) s)"
}

# A JDK OpenSearch 2.19 runs on (11-21).
java_home() {
  local candidate major
  for candidate in "${OPENSEARCH_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/java-21-openjdk-* \
      /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/temurin-21-* /usr/lib/jvm/temurin-17-* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    major=$("$candidate/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
    if [[ -n "$major" && "$major" -ge 11 && "$major" -le 21 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  die "no JDK 11-21 found: set OPENSEARCH_JAVA_HOME"
}

# --- nodes -----------------------------------------------------------------------------------------------
alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local port=9250 transport="" name=pledges-1 cluster=pledges-local data="" heap=512m seeds="" managers=""
  local fresh=false roles=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --transport-port) transport="$2"; shift 2 ;;
      --name) name="$2"; shift 2 ;;
      --cluster) cluster="$2"; shift 2 ;;
      --data) data="$2"; shift 2 ;;
      --heap) heap="$2"; shift 2 ;;
      --seed-hosts) seeds="$2"; shift 2 ;;
      --initial-managers) managers="$2"; shift 2 ;;
      --fresh) fresh=true; shift ;;
      --roles) roles="$2"; shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  transport="${transport:-$((port + 100))}"
  [[ -z "$seeds" || -n "$managers" ]] || die "start: --seed-hosts needs --initial-managers (the node names)"
  local dir="$NODES/$name"
  if alive "$dir/pid"; then
    echo "OpenSearch node $name is already running (pid $(cat "$dir/pid"), $(cat "$dir/url"))"
    return 0
  fi
  port_busy "$port" && die "port $port is taken by another process: choose another with --port"
  port_busy "$transport" && die "transport port $transport is taken: choose another with --transport-port"
  fetch >/dev/null
  data="${data:-$dir/data}"
  [[ "$fresh" == true ]] && rm -rf "$data"
  mkdir -p "$dir/logs" "$data"
  # a config folder per node: the distribution's, with this node's heap, GC log and settings
  rm -rf "$dir/config"
  cp -r "$HOME_DIR/config" "$dir/config"
  sed -i -e "s/^-Xms.*/-Xms$heap/" -e "s/^-Xmx.*/-Xmx$heap/" \
    -e "s#file=logs/gc.log#file=$dir/logs/gc.log#" -e "s#HeapDumpPath=data#HeapDumpPath=$dir#" \
    -e "s#ErrorFile=logs/#ErrorFile=$dir/logs/#" "$dir/config/jvm.options"
  {
    echo "cluster.name: $cluster"
    echo "node.name: $name"
    echo "network.host: 127.0.0.1"
    echo "http.port: $port"
    echo "transport.port: $transport"
    echo "path.data: $data"
    echo "path.logs: $dir/logs"
    echo "cluster.routing.allocation.disk.threshold_enabled: false"  # a full dev disk must not block writes
    [[ -z "$roles" ]] || echo "node.roles: [$(sed 's/,/, /g' <<<"$roles")]"
    if [[ -n "$seeds" ]]; then
      echo "discovery.seed_hosts: [$(sed 's/,/, /g' <<<"$seeds")]"
      echo "cluster.initial_cluster_manager_nodes: [$(sed 's/,/, /g' <<<"$managers")]"
    else
      echo "discovery.type: single-node"
    fi
  } >"$dir/config/opensearch.yml"
  echo "http://127.0.0.1:$port" >"$dir/url"
  # OpenSearch refuses to run as root: as root (CI, containers), the node runs as OPENSEARCH_USER (nobody)
  local run_as=()
  if [[ "$(id -u)" -eq 0 ]]; then
    local user="${OPENSEARCH_USER:-nobody}"
    id "$user" >/dev/null 2>&1 || die "running as root: set OPENSEARCH_USER to an existing unprivileged user"
    chown -R "$user" "$dir" "$data"
    run_as=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups)
  fi
  OPENSEARCH_JAVA_HOME="$(java_home)" OPENSEARCH_PATH_CONF="$dir/config" \
    setsid nohup "${run_as[@]}" "$HOME_DIR/bin/opensearch" -p "$dir/opensearch.pid" >"$dir/console.log" 2>&1 </dev/null &
  echo $! >"$dir/pid"
  echo "Started OpenSearch node $name (pid $!) on http://127.0.0.1:$port, transport $transport, cluster $cluster;" \
    "log: $dir/console.log"
}

stop_node() {
  local dir="$1" grace="${2:-30}" pid
  [[ -f "$dir/pid" ]] || return 0
  pid="$(cat "$dir/pid")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + grace))
    while kill -0 "$pid" 2>/dev/null && [[ $SECONDS -lt $deadline ]]; do sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "OpenSearch node $(basename "$dir") did not stop within ${grace} s: killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    echo "Stopped OpenSearch node $(basename "$dir") (pid $pid)"
  fi
  rm -f "$dir/pid"
}

stop() {
  local name="" all=false
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --name) name="$2"; shift 2 ;;
      --all) all=true; shift ;;
      *) die "stop: unknown option $1" ;;
    esac
  done
  if [[ "$all" == true ]]; then
    local dir
    for dir in "$NODES"/*/; do [[ -d "$dir" ]] && stop_node "${dir%/}"; done
  else
    stop_node "$NODES/${name:-pledges-1}"
  fi
}

wait_health() {
  local port=9250 nodes=1 timeout=120 name=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      --nodes) nodes="$2"; shift 2 ;;
      --timeout) timeout="$2"; shift 2 ;;
      --name) name="$2"; shift 2 ;;
      *) die "wait: unknown option $1" ;;
    esac
  done
  local dir url="http://127.0.0.1:$port" started=$SECONDS
  dir="$NODES/${name:-$(node_on_port "$port")}"
  while true; do
    if curl -fsS "$url/_cluster/health?wait_for_status=yellow&wait_for_nodes=$nodes&timeout=2s" \
        -o /dev/null 2>/dev/null; then
      echo "OpenSearch at $url is up: $(curl -fsS "$url/_cat/health?h=status,node.total" 2>/dev/null)" \
        "($((SECONDS - started)) s)"
      return 0
    fi
    if [[ -f "$dir/pid" ]] && ! alive "$dir/pid"; then
      echo "OpenSearch node $(basename "$dir") exited while starting; its log ends with:" >&2
      tail -n 60 "$dir/console.log" >&2 2>/dev/null || true
      rm -f "$dir/pid"
      return 1
    fi
    if [[ $((SECONDS - started)) -ge $timeout ]]; then
      echo "OpenSearch at $url was not healthy within $timeout s; its log ends with:" >&2
      tail -n 60 "$dir/console.log" >&2 2>/dev/null || true
      return 1
    fi
    sleep 1
  done
}

# The name of the node this folder started on `port` (its url file), else the default name.
node_on_port() {
  local file
  for file in "$NODES"/*/url; do
    [[ -f "$file" ]] && [[ "$(cat "$file")" == "http://127.0.0.1:$1" ]] && { basename "$(dirname "$file")"; return; }
  done
  echo pledges-1
}

status() {
  local dir found=false
  for dir in "$NODES"/*/; do
    dir="${dir%/}"
    [[ -f "$dir/pid" ]] || continue
    found=true
    if alive "$dir/pid"; then
      echo "$(basename "$dir"): running, pid $(cat "$dir/pid"), $(cat "$dir/url")," \
        "health $(curl -fsS "$(cat "$dir/url")/_cat/health?h=status" 2>/dev/null || echo unknown)"
    else
      echo "$(basename "$dir"): not running (stale pid file)"
    fi
  done
  [[ "$found" == true ]] || echo "no OpenSearch node started from $BASE"
}

command="${1:-}"
[[ $# -gt 0 ]] && shift
case "$command" in
  fetch) fetch ;;
  start) start "$@" ;;
  stop) stop "$@" ;;
  wait) wait_health "$@" ;;
  status) status ;;
  *) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
