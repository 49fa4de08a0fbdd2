#!/usr/bin/env bash
# Runs the benchmarks of issue 13 on SQLite and PostgreSQL and prints one table at the end: what | figure | target | met?
#
#   bash benchmarks/run-all.sh            full sizes (about half an hour on an idle 2-core machine)
#   bash benchmarks/run-all.sh --quick    small sizes, a few minutes: checks that everything runs, figures mean little
#   options: --size N (owners of the fan-out, default 10000), --sqlite-only
#
# PostgreSQL: the server in VALUEBOT_TEST_POSTGRES; when it is not set, the one on 127.0.0.1:55432 if it answers, else
# a throwaway cluster started by .ci/start-postgres.sh (as .ci/run does). Each benchmark's full output is kept in
# benchmarks/results/<UTC time>/, beside table.txt. The load average is printed at the start and the end: figures
# taken on a busy machine are not the machine's limits.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
size=10000
postgres=true
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true ;;
    --size) size="$2"; shift ;;
    --sqlite-only) postgres=false ;;
    *) echo "unknown option $1 (use --quick, --size N, --sqlite-only)"; exit 2 ;;
  esac
  shift
done

if $quick; then
  fanout_owners=200; idle_sizes="200 1000"; digest_sizes=500; digest_weeks=14
  submission=(--use-cases 200 --rate 50 --seconds 3 --saturation-seconds 2 --concurrency 8)
  import_sizes=200,1000
else
  fanout_owners=$size; idle_sizes="10000 50000"; digest_sizes=10000; digest_weeks=104
  submission=(--use-cases 1000 --rate 200 --seconds 30 --saturation-seconds 5 --concurrency 32)
  import_sizes=1000,10000,50000
fi

load() { cut -d' ' -f1-3 /proc/loadavg; }
started=$(date -u +%Y-%m-%dT%H:%MZ)
load_start=$(load)
out="benchmarks/results/$(date -u +%Y%m%d-%H%M%S)"
mkdir -p "$out"
echo "ValueBot benchmarks ($($quick && echo quick || echo full)) — $started, commit $(git rev-parse --short HEAD), $(nproc) cores, load average at start: $load_start"

pg_flag=()
if $postgres; then
  if [ -z "${VALUEBOT_TEST_POSTGRES:-}" ]; then
    if (exec 3<>/dev/tcp/127.0.0.1/55432) 2>/dev/null; then
      VALUEBOT_TEST_POSTGRES="Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres"
    elif ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      VALUEBOT_TEST_POSTGRES=$(.ci/start-postgres.sh) || { echo "could not start PostgreSQL: SQLite only"; VALUEBOT_TEST_POSTGRES=""; }
    fi
  fi
  if [ -n "${VALUEBOT_TEST_POSTGRES:-}" ]; then
    export VALUEBOT_TEST_POSTGRES
    pg_flag=(--postgres)
    echo "PostgreSQL: $VALUEBOT_TEST_POSTGRES"
  else
    echo "PostgreSQL: none (install Debian's postgresql or set VALUEBOT_TEST_POSTGRES); SQLite only"
  fi
fi

projects=(Delivery Digests Submission Import)
echo "building the benchmarks (Release)…"
for p in "${projects[@]}"; do
  dotnet build "benchmarks/ValueBot.Benchmarks.$p" -c Release -nologo -v q > "$out/build-$p.log" 2>&1 \
    || { tail -20 "$out/build-$p.log"; echo "build of $p failed"; exit 1; }
done

bench() { # name project args…: runs one benchmark, its output to the screen and to $out/name.log
  local name="$1" project="$2"; shift 2
  echo "── $name (load average $(load))"
  dotnet "benchmarks/ValueBot.Benchmarks.$project/bin/Release/net10.0/ValueBot.Benchmarks.$project.dll" "$@" 2>&1 | tee "$out/$name.log" \
    || echo "TABLE | $name | failed (see $out/$name.log) | — | NO" >> "$out/$name.log"
}

bench fan-out Delivery --owners "$fanout_owners" "${pg_flag[@]}"
for n in $idle_sizes; do
  bench "idle-tick-$n" Delivery --owners "$n" --idle-only "${pg_flag[@]}"
done
bench publication Digests --sizes "$digest_sizes" --weeks "$digest_weeks" "${pg_flag[@]}"
bench submission Submission "${submission[@]}" "${pg_flag[@]}"
bench import Import --sizes "$import_sizes" "${pg_flag[@]}"
load_end=$(load)

# The delivery benchmark prints sentences, not TABLE lines: its figures are read from them here.
engine_label() { case "$1" in sqlite) echo SQLite ;; postgres) echo PostgreSQL ;; *) echo "$1" ;; esac; }
{
  while IFS= read -r line; do
    engine=$(sed -E 's/^\[([a-z]+)\].*/\1/' <<<"$line")
    rate=$(grep -oE 'achieved [0-9.]+ sends/s' <<<"$line" | grep -oE '[0-9.]+' | head -1)
    share=$(grep -oE '\([0-9.]+ ?%\)' <<<"$line" | grep -oE '[0-9.]+' | head -1)
    throttled=$(grep -oE '429s received [0-9]+' <<<"$line" | grep -oE '[0-9]+$')
    dup=$(grep -oE 'duplicates [0-9]+' <<<"$line" | grep -oE '[0-9]+$')
    lost=$(grep -oE 'losses [0-9]+' <<<"$line" | grep -oE '[0-9]+$')
    met=$(awk -v s="$share" -v t="$throttled" -v d="$dup" -v l="$lost" 'BEGIN { print (s >= 97 && t == 0 && d == 0 && l == 0) ? "yes" : "NO" }')
    echo "TABLE | fan-out of $fanout_owners check-ins, $(engine_label "$engine") | $rate sends/s = $share % of 50/s, $throttled × 429, $dup duplicates, $lost lost | ≥ 97 %, 0 × 429 | $met"
  done < <(grep -E '^\[[a-z]+\] achieved' "$out/fan-out.log" || true)
  for n in $idle_sizes; do
    while IFS= read -r line; do
      engine=$(sed -E 's/^\[([a-z]+)\].*/\1/' <<<"$line")
      median=$(grep -oE 'median [0-9.]+ ms' <<<"$line" | grep -oE '[0-9.]+')
      worst=$(grep -oE 'max [0-9.]+ ms' <<<"$line" | grep -oE '[0-9.]+')
      met=$(awk -v m="$median" 'BEGIN { print (m < 20) ? "yes" : "NO" }')
      echo "TABLE | idle tick at $n use cases, $(engine_label "$engine") | median $median ms (worst $worst ms) | < 20 ms | $met"
    done < <(grep -E '^\[[a-z]+\] idle tick at' "$out/idle-tick-$n.log" || true)
  done
  grep -h '^TABLE |' "$out/fan-out.log" "$out"/idle-tick-*.log "$out/publication.log" "$out/submission.log" "$out/import.log" 2>/dev/null || true
} > "$out/rows.txt"

{
  echo
  echo "ValueBot benchmarks ($($quick && echo quick || echo full)), $started, commit $(git rev-parse --short HEAD), $(nproc) cores"
  echo "load average at start: $load_start; at the end: $load_end"
  echo
  echo "| what | figure | target | met? |"
  echo "|---|---|---|---|"
  sed -E 's/^TABLE \| /| /; s/$/ |/' "$out/rows.txt"
} | tee "$out/table.txt"
echo "(full output in $out/)"
