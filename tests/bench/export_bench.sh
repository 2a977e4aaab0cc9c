#!/usr/bin/env bash
# Benchmark (not a test): CRM-4 contact export at scale. One sub-account with N contacts (default
# 1,000,000) seeded with `stronghold demo seed`; then GET .../contacts/export?format=csv and
# ?format=json over loopback HTTPS with curl, each timed, with the server's resident memory
# sampled during the export (VmRSS every 0.1 s, and VmHWM, the peak, from /proc/PID/status) to
# show that memory stays flat whatever the size. Prints seconds, rows/s, bytes and MiB; asserts nothing.
# Target (issue 5): 1,000,000 contacts exported in < 30 s.
# Usage: tests/bench/export_bench.sh [contacts=1000000] [keep-data-dir]
#        BENCH_BIN=path/to/stronghold picks the binary.
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000000}"; keep="${2:-}"
bin="${BENCH_BIN:-build/native/server/stronghold}"
[ -x "$bin" ] || { echo "build first: scripts/build" >&2; exit 2; }

data="${keep:-$(mktemp -d)}"; port=$((20000 + RANDOM % 20000)); pw='Quiet-River-42!'
cleanup() { [ -n "${srv:-}" ] && kill "$srv" 2>/dev/null; wait 2>/dev/null; [ -z "$keep" ] && rm -rf "$data"; }
trap cleanup EXIT
field() { sed -E "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/" <<<"$2"; }
kib() { awk -v k="$1" '/^'"$1"':/ {print $2}' "/proc/$srv/status"; }
mib() { awk -v k="$1" 'BEGIN {printf "%.1f", k / 1024}'; }

if [ -f "$data/export_bench.ids" ]; then
    ids=$(cat "$data/export_bench.ids") # a kept data directory: reuse its tenant
else
    ids=$(printf '%s\n' "$pw" | "$bin" admin create-agency --data "$data" --name "Export Agency" \
        --owner-email export@bench.test --password-stdin)
    account=$(field account_id "$ids"); owner=$(field owner_id "$ids")
    echo "== seeding $n contacts into one sub-account"
    start=$(date +%s.%N)
    "$bin" demo seed --data "$data" --account "$account" --contacts "$n" --owner "$owner" >/dev/null 2>&1
    echo "  seconds: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')"
    echo "$ids" > "$data/export_bench.ids"
fi
account=$(field account_id "$ids")
echo "  database: $(du -h "$data/stronghold.db" | cut -f1)"

"$bin" serve --data "$data" --listen "127.0.0.1:$port" >/dev/null 2>"$data/server.log" &
srv=$!
base="https://127.0.0.1:$port"
for _ in $(seq 100); do curl -ksf "$base/healthz" >/dev/null && break; sleep 0.1; done
jar="$data/cookies"
login() {
    curl -ksf -c "$jar" -H 'Content-Type: application/json' \
        -d "{\"email\":\"${BENCH_EMAIL:-export@bench.test}\",\"password\":\"$pw\"}" "$base/api/v1/auth/login" >/dev/null
}
echo "  server RSS before: $(mib "$(kib VmRSS)") MiB"

run() { # format
    login # a fresh sign-in: the export needs one within 5 minutes (IAM-6)
    local out="$data/export.$1" peak=0 rss
    echo "== export format=$1"
    # Argon2id at login takes ~64 MiB for a moment: the VmHWM that counts is the one after it.
    echo "  server VmHWM before the export (after sign-in): $(mib "$(kib VmHWM)") MiB"
    curl -ksf -b "$jar" -o "$out" -w '%{time_total} %{size_download}\n' \
        "$base/api/v1/accounts/$account/contacts/export?format=$1" >"$data/curl.out" &
    local cpid=$!
    while kill -0 "$cpid" 2>/dev/null; do
        rss=$(kib VmRSS); [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        sleep 0.1
    done
    wait "$cpid"
    read -r secs bytes <"$data/curl.out"
    local rows
    if [ "$1" = csv ]; then rows=$(($(wc -l <"$out") - 1)); else rows=$(grep -c '"id":"ct_' "$out" || true); fi
    echo "  rows: $rows  seconds: $secs  rows/s: $(awk -v r="$rows" -v s="$secs" 'BEGIN {printf "%.0f", r / s}')"
    echo "  bytes: $bytes ($(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB)"
    echo "  server RSS peak during export (sampled): $(mib "$peak") MiB; VmHWM so far: $(mib "$(kib VmHWM)") MiB"
    rm -f "$out"
}
run csv
run json
echo "  temp files left in $data/tmp: $(find "$data/tmp" -type f 2>/dev/null | wc -l)"
