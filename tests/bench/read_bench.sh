#!/usr/bin/env bash
# Benchmark (not a test): authenticated contact reads per second and latency percentiles over
# loopback HTTPS with wrk, and the dashboard's gzipped WASM + JS size. Prints figures; asserts nothing.
# Usage: tests/bench/read_bench.sh [seconds=10] [connections=16]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"; conns="${2:-16}"
bin=${BENCH_BIN:-build/native/server/stronghold}
web=build/wasm/dist
[ -x "$bin" ] || { echo "build first: scripts/build" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/bootstrap installs it" >&2; exit 2; }

data=$(mktemp -d); port=$((20000 + RANDOM % 20000)); pw='Quiet-River-42!'
cleanup() { [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

ids=$(printf '%s\n' "$pw" | "$bin" admin create-agency --data "$data" --name "Bench Agency" --owner-email bench@bench.test --password-stdin)
account=$(sed -E 's/.*"account_id":"([^"]+)".*/\1/' <<<"$ids")
"$bin" serve --data "$data" --listen "127.0.0.1:$port" --web "$web" >/dev/null 2>"$data/server.log" &
srv=$!
base="https://127.0.0.1:$port"
for _ in $(seq 100); do curl -ksf "$base/healthz" >/dev/null && break; sleep 0.1; done

jar="$data/cookies"
curl -ksf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@bench.test\",\"password\":\"$pw\"}" "$base/api/v1/auth/login" >/dev/null
cookie=$(awk '$6 ~ /stronghold_session/ {print $6"="$7}' "$jar")
for i in $(seq 200); do
    curl -ksf -b "$jar" -H 'Content-Type: application/json' \
        -d "{\"first_name\":\"Bench$i\",\"last_name\":\"Reader\",\"emails\":[\"b$i@bench.test\"]}" \
        "$base/api/v1/accounts/$account/contacts" >/dev/null
done
one=$(curl -ksf -b "$jar" "$base/api/v1/accounts/$account/contacts?limit=1" | sed -E 's/.*"id":"(ct_[a-z0-9]+)".*/\1/')

run() { # name path
    echo "== $1: GET $2 ($conns connections, ${secs}s)"
    wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: $cookie" "$base$2" |
        awk '/Requests\/sec/ {print "  reads/s:", $2} /^ +50%/ {print "  p50:", $2} /^ +99%/ {print "  p99:", $2} /Non-2xx/ {print "  non-2xx:", $NF}'
}
run "one contact" "/api/v1/accounts/$account/contacts/$one"
run "list page of 50" "/api/v1/accounts/$account/contacts?limit=50"

echo "== dashboard size (gzip -9)"
for f in "$web"/*.wasm "$web"/stronghold*.js; do
    [ -f "$f" ] && printf '  %-40s %8d bytes raw %8d bytes gzipped\n' "$(basename "$f")" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
