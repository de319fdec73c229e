#!/usr/bin/env bash
# A scale-out Reframe on this machine, to try the topology of docs/scale-out.md:
#   a private PostgreSQL (initdb + pg_ctl, Unix socket only), s3rver (an S3-speaking server from npm),
#   N API nodes (REFRAME_ROLE=api) and M workers (REFRAME_ROLE=worker), each its own process and data directory.
#
#   scripts/cluster.sh up [--api N] [--workers M]   start it (defaults: 2 API nodes, 3 workers); prints the ports and a key
#   scripts/cluster.sh status                        what runs, and each node's /healthz
#   scripts/cluster.sh down                          stop everything it started (and keep the state for the next up)
#   scripts/cluster.sh down --purge                  stop and delete the state (database, bucket, logs)
#
# API nodes listen on 127.0.0.1:8081.. and workers (health and metrics only) on 127.0.0.1:8091..; send clients to any
# API node (or put a load balancer in front: they are stateless). State lives in .cluster/ (REFRAME_CLUSTER_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

state=${REFRAME_CLUSTER_DIR:-$PWD/.cluster}
api_base_port=${REFRAME_CLUSTER_API_PORT:-8081}
worker_base_port=${REFRAME_CLUSTER_WORKER_PORT:-8091}
s3_port=${REFRAME_CLUSTER_S3_PORT:-4568}
bucket=reframe
database=reframe
socket="$state/pg/socket"
database_url="postgresql://reframe@/$database?host=$socket"

as_postgres() {
  # PostgreSQL refuses to run as root: run its tools as the postgres user the Debian package creates.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -x "$bin/initdb" ]] || { echo "cluster: PostgreSQL is missing: run scripts/setup.sh" >&2; exit 1; }
  echo "$bin"
}

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_node() { # role name port
  local role=$1 name=$2 port=$3
  mkdir -p "$state/nodes/$name" "$state/logs"
  # shellcheck disable=SC2016
  env ASPNETCORE_URLS="http://127.0.0.1:$port" \
      REFRAME_ROLE="$role" \
      REFRAME_DATA_DIR="$state/nodes/$name" \
      REFRAME_DATABASE_URL="$database_url" \
      REFRAME_BLOB_URL="s3://$bucket/cluster" \
      REFRAME_S3_ENDPOINT="http://127.0.0.1:$s3_port" \
      REFRAME_S3_REGION=us-east-1 \
      REFRAME_S3_FORCE_PATH_STYLE=true \
      AWS_ACCESS_KEY_ID=S3RVER \
      AWS_SECRET_ACCESS_KEY=S3RVER \
      REFRAME_WEBHOOK_SECRET="$(cat "$state/webhook-secret")" \
      REFRAME_WORKERS=1 \
      nohup dotnet src/Reframe.Server/bin/Release/net10.0/Reframe.Server.dll >"$state/logs/$name.log" 2>&1 &
  echo $! >"$state/pids/$name"
}

wait_healthy() { # name port
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$2/healthz" >/dev/null 2>&1; then return 0; fi
    alive "$state/pids/$1" || { echo "cluster: $1 exited; see $state/logs/$1.log" >&2; tail -20 "$state/logs/$1.log" >&2; return 1; }
    sleep 0.5
  done
  echo "cluster: $1 did not become healthy; see $state/logs/$1.log" >&2
  return 1
}

up() {
  local api=2 workers=3
  while (($#)); do
    case $1 in
      --api) api=$2; shift 2 ;;
      --workers) workers=$2; shift 2 ;;
      *) echo "cluster: unknown option $1" >&2; exit 2 ;;
    esac
  done
  scripts/setup.sh
  command -v curl >/dev/null || { echo "cluster: curl is needed" >&2; exit 1; }
  mkdir -p "$state/pids" "$state/logs" "$state/s3"
  [[ -f "$state/webhook-secret" ]] || { head -c 24 /dev/urandom | base64 | tr '+/' '-_' >"$state/webhook-secret"; chmod 600 "$state/webhook-secret"; }
  dotnet build src/Reframe.Server -c Release -nologo -v:q >/dev/null
  dotnet build src/Reframe.Cli -c Release -nologo -v:q >/dev/null

  local bin; bin=$(pg_bin)
  if [[ ! -d "$state/pg/data" ]]; then
    mkdir -p "$socket"
    if [[ $(id -u) -eq 0 ]]; then chown -R postgres "$state/pg"; chmod o+x "$state"; fi
    as_postgres "$bin/initdb" -D "$state/pg/data" -U reframe --auth=trust -E UTF8 >"$state/logs/initdb.log"
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$state/pg/data" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$state/pg/data" -l "$state/pg/server.log" -w \
      -o "-k $socket -c listen_addresses='' -c max_connections=200" start >/dev/null
  fi
  psql -h "$socket" -U reframe -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || psql -h "$socket" -U reframe -d postgres -qc "CREATE DATABASE $database"

  if ! alive "$state/pids/s3rver"; then
    nohup s3rver -d "$state/s3" -a 127.0.0.1 -p "$s3_port" --configure-bucket "$bucket" >"$state/logs/s3rver.log" 2>&1 &
    echo $! >"$state/pids/s3rver"
    for _ in $(seq 1 40); do grep -q "listening" "$state/logs/s3rver.log" && break; sleep 0.25; done
  fi

  for ((i = 0; i < api; i++)); do
    alive "$state/pids/api$i" || start_node api "api$i" $((api_base_port + i))
  done
  for ((i = 0; i < workers; i++)); do
    alive "$state/pids/worker$i" || start_node worker "worker$i" $((worker_base_port + i))
  done
  for ((i = 0; i < api; i++)); do wait_healthy "api$i" $((api_base_port + i)); done
  for ((i = 0; i < workers; i++)); do wait_healthy "worker$i" $((worker_base_port + i)); done

  local key
  key=$(dotnet src/Reframe.Cli/bin/Release/net10.0/reframe.dll keys create --label "cluster-$(date +%s)" --database-url "$database_url" 2>/dev/null)
  echo
  echo "Reframe cluster is up: $api API node(s), $workers worker(s), PostgreSQL on $socket, s3rver on 127.0.0.1:$s3_port"
  for ((i = 0; i < api; i++)); do echo "  API node $i:  http://127.0.0.1:$((api_base_port + i))/   (playground, /v2/video/generations)"; done
  for ((i = 0; i < workers; i++)); do echo "  worker $i:    http://127.0.0.1:$((worker_base_port + i))/healthz, /metrics"; done
  echo "  a new API key (shown once; it works on every node): $key"
  echo "  more keys:    dotnet run --project src/Reframe.Cli -- keys create --label NAME --database-url '$database_url'"
  echo "  logs:         $state/logs/"
}

status() {
  local any=0
  for pidfile in "$state"/pids/*; do
    [[ -e "$pidfile" ]] || continue
    any=1
    local name; name=$(basename "$pidfile")
    if alive "$pidfile"; then
      local port="" health=""
      case $name in
        api*) port=$((api_base_port + ${name#api})) ;;
        worker*) port=$((worker_base_port + ${name#worker})) ;;
      esac
      [[ -n $port ]] && health=$(curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null || echo "no answer")
      printf '%-10s running (pid %s)%s\n' "$name" "$(cat "$pidfile")" "${port:+ on :$port $health}"
    else
      printf '%-10s stopped\n' "$name"
    fi
  done
  local bin; bin=$(pg_bin)
  if [[ -d "$state/pg/data" ]] && as_postgres "$bin/pg_ctl" -D "$state/pg/data" status >/dev/null 2>&1; then
    echo "postgresql running (socket $socket)"; any=1
  else
    echo "postgresql stopped"
  fi
  ((any)) || echo "nothing started: scripts/cluster.sh up"
}

down() {
  # Only the processes this script started, by the ids it recorded.
  for pidfile in "$state"/pids/*; do
    [[ -e "$pidfile" ]] || continue
    if alive "$pidfile"; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for pidfile in "$state"/pids/*; do
    [[ -e "$pidfile" ]] || continue
    for _ in $(seq 1 40); do alive "$pidfile" || break; sleep 0.25; done
    rm -f "$pidfile"
  done
  if [[ -d "$state/pg/data" ]]; then
    local bin; bin=$(pg_bin)
    as_postgres "$bin/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [[ "${1:-}" == "--purge" ]]; then rm -rf "$state"; echo "cluster: stopped and deleted $state"; else echo "cluster: stopped (state kept in $state)"; fi
}

case "${1:-}" in
  up) shift; up "$@" ;;
  status) status ;;
  down) shift; down "$@" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
