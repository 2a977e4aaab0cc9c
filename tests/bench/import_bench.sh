#!/usr/bin/env bash
# Benchmark (not a test): CSV import speed (CRM-4, issue 5 target: 1,000,000 rows under 60 s).
# Generates N contact rows (names, 1-2 emails, a phone, a company, 2 tags; every value valid),
# imports them with `stronghold import` into a fresh sub-account and prints rows/s, then a dry
# run of the same file. Asserts nothing.
# Usage: [BENCH_BIN=...] [BENCH_BATCH_ROWS=N] tests/bench/import_bench.sh [rows=1000000] [keep-data-dir]
set -euo pipefail
cd "$(dirname "$0")/../.."
n="${1:-1000000}"; keep="${2:-}"
bin="${BENCH_BIN:-build/native/server/stronghold}" # BENCH_BIN: another build (A/B runs)
[ -x "$bin" ] || { echo "build first: scripts/build" >&2; exit 2; }

data="${keep:-$(mktemp -d)}"; mkdir -p "$data"
cleanup() { [ -z "$keep" ] && rm -rf "$data"; }
trap cleanup EXIT
field() { sed -E "s/.*\"$1\":\"?([^\",}]+)\"?.*/\1/" <<<"$2"; }

ids=$(printf '%s\n' 'Quiet-River-42!' | "$bin" admin create-agency --data "$data" --name "Import Agency" \
    --owner-email import@bench.test --password-stdin)
account=$(field account_id "$ids")
csv="$data/contacts.csv"
echo "== generating $n rows"
awk -v n="$n" 'BEGIN {
    split("Ana Bruno Carla Dmitri Elena Farid Greta Hugo Ines Jonas Katya Luis Maya Noor Oscar Paula", first, " ");
    split("Lima Rossi Novak Ivanov Papadopoulos Haddad Berg Moreau Costa Weber Sato Ortega Khan Silva", last, " ");
    print "First Name,Last Name,Email,Work Email,Phone,Company,Tags";
    for (i = 1; i <= n; i++) {
        f = first[1 + i % 16]; l = last[1 + int(i / 16) % 14];
        work = (i % 3 == 0) ? "w" i "@work.example" : "";
        printf "%s,%s,%s.%s%d@example.com,%s,+1 415 %03d %04d,\"Company %d, Inc\",vip;tier-%d\n",
            f, l, tolower(f), tolower(l), i, work, 200 + i % 700, i % 10000, i % 5000, i % 7;
    }
}' > "$csv"
echo "  $(du -h "$csv" | cut -f1)"

# CPU seconds (user + sys, from /usr/bin/time when installed) compare runs on a shared machine,
# where wall time depends on the other processes.
timer=(); [ -x /usr/bin/time ] && timer=(/usr/bin/time -o "$data/cpu" -f "%U %S")
run() {
    local label="$1"; shift
    local out start end
    start=$(date +%s.%N)
    out=$("${timer[@]}" "$bin" import --data "$data" --account "$account" --object contacts --file "$csv" \
        --map "First Name=first_name" --map "Last Name=last_name" --map "Email=email" --map "Work Email=email" \
        --map "Phone=phone" --map "Company=company_name" --map "Tags=tags" "$@" 2>/dev/null)
    end=$(date +%s.%N)
    echo "== $label: $(field rows_done "$out") rows, $(field created "$out") created, $(field failed "$out") failed"
    awk -v s="$start" -v e="$end" -v n="$n" 'BEGIN {printf "  seconds: %.1f  rows/s: %d\n", e - s, n / (e - s)}'
    [ -s "$data/cpu" ] && awk '{printf "  cpu seconds: %.1f (user %.1f, sys %.1f)\n", $1 + $2, $1, $2}' "$data/cpu"
    return 0
}
# BENCH_BATCH_ROWS: rows per transaction (the import's default when unset).
batch=(); [ -n "${BENCH_BATCH_ROWS:-}" ] && batch=(--batch-rows "$BENCH_BATCH_ROWS")
run "dry run" --dry-run "${batch[@]}"
run "import" "${batch[@]}"
echo "  database: $(du -h "$data/stronghold.db" | cut -f1)"
