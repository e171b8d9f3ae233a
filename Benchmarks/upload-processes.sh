#!/usr/bin/env bash
# Upload throughput with 1, 2, 4… separate `taxlink upload` processes on one PostgreSQL database,
# against a separate `ministry-mock` process on loopback. For each process count: a fresh database
# filled by `bench-ingest` (3 × ORDERS records), a fresh mock ministry, then PROCESSES uploaders
# started together with `--until-empty`; prints one JSON line per count (records delivered,
# wall-clock seconds, records/s).
#
#   swift build -c release --product taxlink && swift build -c release --product ministry-mock
#   Benchmarks/upload-processes.sh postgres://postgres@127.0.0.1:5432/postgres 20000 "1 2 4"
set -euo pipefail
server_url=${1:?usage: upload-processes.sh POSTGRES_URL [ORDERS_PER_PLATFORM] [\"1 2 4\"] [BATCH_SIZE]}
orders=${2:-20000}
counts=${3:-"1 2 4"}
batch_size=${4:-1000}
bin=${TAXLINK_BIN_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.build/release}
for tool in taxlink ministry-mock; do
  [ -x "$bin/$tool" ] || { echo "missing $bin/$tool: swift build -c release --product $tool" >&2; exit 1; }
done
command -v psql >/dev/null || { echo "psql is needed to create the benchmark databases" >&2; exit 1; }

work=$(mktemp -d)
mock_pid=
cleanup() { [ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cd "$work"
"$bin/taxlink" keys init taxlink-data/keys --tax-code 0100233488 >/dev/null 2>&1
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for processes in $counts; do
  database="taxlink_bench_upload_${processes}_$$"
  psql "$server_url" -qc "create database $database" >/dev/null
  url="${server_url%/*}/$database"
  "$bin/taxlink" bench-ingest --orders "$orders" --database "$url" --given-database >/dev/null 2>&1
  port=$(free_port)
  rm -f ministry.sqlite
  "$bin/ministry-mock" --port "$port" --database ministry.sqlite --trust taxlink-data/keys/ca.pem \
    --key taxlink-data/keys/ministry-key.pem --chain taxlink-data/keys/ministry-chain.pem \
    --log-level warning >/dev/null 2>&1 &
  mock_pid=$!
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
  start=$(date +%s.%N)
  pids=()
  for _ in $(seq "$processes"); do
    "$bin/taxlink" upload --until-empty --database "$url" --ministry-url "http://127.0.0.1:$port" \
      --batch-size "$batch_size" >/dev/null 2>&1 &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  end=$(date +%s.%N)
  kill "$mock_pid"; wait "$mock_pid" 2>/dev/null || true; mock_pid=
  delivered=$("$bin/taxlink" outbox status --database "$url" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["states"].get("delivered",{}).get("records",0))')
  python3 -c "
s = $end - $start
print('{\"processes\": $processes, \"records_delivered\": $delivered, \"seconds\": %.2f, \"records_per_second\": %d}' % (s, $delivered / s))"
  psql "$server_url" -qc "drop database $database" >/dev/null
done
