#!/usr/bin/env bash
# Schemathesis over contracts/connector-api.openapi.yaml against a live debug `taxlink serve`.
#
# Bounded: a fixed seed and a fixed number of examples per operation (a minute or two in all).
# Fails on any 5xx, any answer the contract does not describe (status, media type, headers, body
# schema), a wrong method not answered 405 with `Allow`, or a missing/unknown token not answered 401;
# on the report and operations routes also on a schema-violating request that is accepted or a
# schema-valid one that is refused. Feed pushes are exempt from those two: a push answers 202 and
# lists each invalid item in `rejected` (one bad item never sinks a feed), and the body schemas of
# CSV feeds are plain strings. Each role runs over the operations it may use, so the runs reach the
# handlers rather than stopping at 403.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

version=4.32.5
if ! st --version 2>/dev/null | grep -q "$version"; then
  python3 -m pip install -q "schemathesis==$version"
fi

bin=.build/debug/taxlink
[ -x "$bin" ] || swift build --product taxlink
work=$(mktemp -d)
db="sqlite:$work/schemathesis.sqlite"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Data for the report routes: the sample feeds, reconciled.
for push in "shopee/orders shopee-orders.json" "lazada/orders lazada-orders.json" \
            "tiki/orders tiki-orders.csv" "vnpay/settlements vnpay-settlements.csv"; do
  set -- $push
  [ -f "mocks/feeds/$2" ] || continue
  "$bin" ingest "$1" "mocks/feeds/$2" --database "$db" --received-at 2026-02-10T02:00:00Z >/dev/null
done
"$bin" reconcile --database "$db" >/dev/null

tokens="st-analyst analyst,st-operator operator,st-shopee platform:shopee,st-vnpay gateway:vnpay"
TAXLINK_TOKENS="$tokens" LOG_LEVEL=error "$bin" serve --port 0 --no-upload --database "$db" \
  2>"$work/serve.log" >/dev/null &
pid=$!
port=""
for _ in $(seq 1 100); do
  port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$work/serve.log" | head -1 | cut -d: -f2 || true)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; echo "schemathesis: taxlink serve did not start"; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$work/serve.log"; echo "schemathesis: no port announced"; exit 1; }
base="http://127.0.0.1:$port"

stateful=use_after_free,ensure_resource_availability,object_level_authorization
run() {
  local token=$1 excluded=$2
  shift 2
  echo "== schemathesis as $token: $*"
  # Run from the temporary folder: schemathesis keeps a cache of its own in the working directory.
  (cd "$work" && st run "$root/contracts/connector-api.openapi.yaml" --url "$base" -H "Authorization: Bearer $token" \
    --seed 20261201 --max-examples 100 --phases examples,coverage,fuzzing --workers 1 \
    --checks all --exclude-checks "$excluded" --request-timeout 30 --generation-database none --no-color --warnings off "$@")
}

status=0
feeds="$stateful,negative_data_rejection,positive_data_acceptance"
run st-analyst "$stateful" --include-tag reports --include-tag operations || status=1
run st-operator "$stateful" --include-operation-id getOutboxStatus --include-operation-id listDiscrepancies \
  --include-operation-id getSchedule || status=1
run st-shopee "$feeds" --include-tag feeds --exclude-operation-id pushSettlements || status=1
run st-vnpay "$feeds" --include-operation-id pushSettlements || status=1

if ! python3 -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('$base/healthz').status != 200)"; then
  echo "schemathesis: the server no longer answers /healthz"
  status=1
fi
[ "$status" -eq 0 ] && echo "schemathesis: no server error and no contract violation"
exit "$status"
