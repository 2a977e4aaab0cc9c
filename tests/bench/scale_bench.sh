#!/usr/bin/env bash
# Benchmark (not a test): contact reads at scale, as issue 5 sets them: one sub-account with N
# contacts (default 1,000,000) among 100 other sub-accounts of 1,000 contacts each, seeded with
# `stronghold demo seed`; then wrk over loopback HTTPS for the list page, name-prefix search,
# exact-email search, counted lists and filters with a sort (field[op]=value). Prints seeding
# speed and p50/p95/p99; asserts nothing.
# Targets (issue 5): list page p99 < 10 ms, prefix search p95 < 50 ms, filter + sort p95 < 100 ms.
# Usage: tests/bench/scale_bench.sh [contacts=1000000] [seconds=10] [connections=8] [keep-data-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000000}"; secs="${2:-10}"; conns="${3:-8}"; keep="${4:-}"
bin="${BENCH_BIN:-build/native/server/stronghold}" # BENCH_BIN: another build (A/B runs)
[ -x "$bin" ] || { echo "build first: scripts/build" >&2; exit 2; }
command -v wrk >/dev/null || { echo "wrk missing: scripts/bootstrap installs it" >&2; exit 2; }
lua="$PWD/tests/bench/percentiles.lua"

data="${keep:-$(mktemp -d)}"; port=$((20000 + RANDOM % 20000)); pw='Quiet-River-42!'
cleanup() { [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; [ -z "$keep" ] && rm -rf "$data"; }
trap cleanup EXIT
field() { sed -E "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/" <<<"$2"; }

if [ -f "$data/bench.ids" ]; then
    ids=$(cat "$data/bench.ids")   # a kept data directory: reuse its tenants
else
    ids=$(printf '%s\n' "$pw" | "$bin" admin create-agency --data "$data" --name "Scale Agency" \
        --owner-email scale@bench.test --password-stdin)
    account=$(field account_id "$ids"); agency=$(field agency_id "$ids"); owner=$(field owner_id "$ids")
    echo "== seeding $n contacts into one sub-account"
    "$bin" demo seed --data "$data" --account "$account" --contacts "$n" --owner "$owner" 2>/dev/null |
        awk -F'[:,}]' '{for (i=1;i<=NF;i++) {if ($i ~ /seconds/) s=$(i+1); if ($i ~ /per_second/) r=$(i+1)}} END {print "  seconds:", s, " contacts/s:", r}'
    echo "== seeding 100 other sub-accounts x 1,000 contacts"
    start=$(date +%s.%N)
    for i in $(seq 100); do
        other=$(field account_id "$("$bin" admin create-account --data "$data" --agency "$agency" --name "Client $i")")
        "$bin" demo seed --data "$data" --account "$other" --contacts 1000 --seed "$i" >/dev/null 2>&1
    done
    echo "  seconds: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')"
    echo "$ids" > "$data/bench.ids"
fi
account=$(field account_id "$ids"); owner=$(field owner_id "$ids")
echo "  database: $(du -h "$data/stronghold.db" | cut -f1)"

"$bin" serve --data "$data" --listen "127.0.0.1:$port" >/dev/null 2>"$data/server.log" &
srv=$!
base="https://127.0.0.1:$port"
# A first start on an older data directory runs the migrations first (a minute or more at 1M).
for _ in $(seq 3000); do curl -ksf "$base/healthz" >/dev/null && break; sleep 0.1; done
jar="$data/cookies"
curl -ksf -c "$jar" -H 'Content-Type: application/json' \
    -d "{\"email\":\"scale@bench.test\",\"password\":\"$pw\"}" "$base/api/v1/auth/login" >/dev/null
cookie=$(awk '$6 ~ /stronghold_session/ {print $6"="$7}' "$jar")
email=$(curl -ksf -b "$jar" "$base/api/v1/accounts/$account/contacts?limit=1&offset=$((n / 2))" |
    sed -E 's/.*"emails":\["([^"]+)".*/\1/')

run() { # name path
    echo "== $1: GET $2 ($conns connections, ${secs}s)"
    wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${secs}s" -s "$lua" -H "Cookie: $cookie" "$base$2" | sed -n '/requests\/s/,$p'
}
a="/api/v1/accounts/$account/contacts"
run "list page of 50 by name" "$a?limit=50&sort=name"
run "list page of 50, newest changes first" "$a?limit=50&sort=-updated_at"
run "name-prefix search" "$a?limit=50&q=mar"
run "exact email search" "$a?limit=50&q=$email"
run "page of 50 with total count" "$a?limit=50&count=true"
half_year_ago=$(( $(date +%s) * 1000 - 182 * 86400 * 1000 ))
run "filter created_at (last half year), newest changes first" "$a?limit=50&created_at%5Bgte%5D=$half_year_ago&sort=-updated_at"
run "filter owner_id, by name" "$a?limit=50&owner_id%5Beq%5D=$owner&sort=name"
run "filter tag, by name" "$a?limit=50&tag%5Beq%5D=vip&sort=name"
run "filter company prefix + tag, newest changes first" "$a?limit=50&company_name%5Bprefix%5D=Acme&tag%5Bin%5D=vip,partner&sort=-updated_at"
run "filter created_at (last day), by name" "$a?limit=50&created_at%5Bgte%5D=$(( $(date +%s) * 1000 - 86400 * 1000 ))&sort=name"
run "name-prefix search + tag filter" "$a?limit=50&q=mar&tag%5Beq%5D=vip"
run "filtered page with total (capped count)" "$a?limit=50&tag%5Beq%5D=vip&count=true"
