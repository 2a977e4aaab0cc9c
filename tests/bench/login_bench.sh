#!/usr/bin/env bash
# Benchmark (not a test): successful logins per second at the server's Argon2id parameters, and
# the p99 of authenticated reads while 200 connections hammer /auth/login with wrong passwords
# (the reads must stay fast: hashing runs on its own bounded pool, throttling answers 429 before
# any hashing). Prints figures; asserts nothing.
# Usage: tests/bench/login_bench.sh [seconds=10]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs="${1:-10}"
bin=build/native/server/stronghold
[ -x "$bin" ] || { echo "build first: scripts/build" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/bootstrap installs it" >&2; exit 2; }

data=$(mktemp -d); port=$((20000 + RANDOM % 20000)); pw='Quiet-River-42!'
cleanup() { [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; rm -rf "$data"; }
trap cleanup EXIT

ids=$(printf '%s\n' "$pw" | "$bin" admin create-agency --data "$data" --name "Bench Agency" --owner-email bench@bench.test --password-stdin)
account=$(sed -E 's/.*"account_id":"([^"]+)".*/\1/' <<<"$ids")
"$bin" serve --data "$data" --listen "127.0.0.1:$port" --web build/wasm/dist >/dev/null 2>"$data/server.log" &
srv=$!
base="https://127.0.0.1:$port"
for _ in $(seq 100); do curl -ksf "$base/healthz" >/dev/null && break; sleep 0.1; done

# Successful logins: sequential, each a full Argon2id verify + session insert.
n=20; start=$(date +%s.%N)
for _ in $(seq $n); do
    curl -ksf -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"email\":\"bench@bench.test\",\"password\":\"$pw\"}" "$base/api/v1/auth/login"
done
end=$(date +%s.%N)
echo "== successful logins, sequential: $(awk -v n=$n -v a="$start" -v b="$end" 'BEGIN {printf "%.1f/s (%.0f ms each)", n/(b-a), 1000*(b-a)/n}')"

jar="$data/cookies"
curl -ksf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench@bench.test\",\"password\":\"$pw\"}" "$base/api/v1/auth/login" >/dev/null
cookie=$(awk '$6 ~ /stronghold_session/ {print $6"="$7}' "$jar")
reads="/api/v1/accounts/$account/contacts?limit=50"

read_p99() {
    wrk -t1 -c8 -d"${secs}s" --latency -H "Cookie: $cookie" "$base$reads" |
        awk '/Requests\/sec/ {r=$2} /^ +99%/ {p=$2} END {print "reads/s " r ", p99 " p}'
}
echo "== authenticated reads, quiet server: $(read_p99)"

cat > "$data/badlogin.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, nil, nil, string.format('{"email":"nobody%d@bench.test","password":"wrong-%d"}', n % 500, n))
end
LUA
wrk -t1 -c200 -d"$((secs + 2))s" -s "$data/badlogin.lua" "$base/api/v1/auth/login" >"$data/flood.txt" 2>&1 &
flood=$!
sleep 1
echo "== authenticated reads during 200-connection bad-login flood: $(read_p99)"
wait "$flood" || true
awk '/Requests\/sec/ {print "   flood answered " $2 " bad logins/s"} /Non-2xx/ {print "   non-2xx (401/429/503): " $NF}' "$data/flood.txt"
