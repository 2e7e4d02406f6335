#!/usr/bin/env bash
# The battlemapd benchmark (issue 9): pgbench's baseline and the real
# battlemapd on one throwaway PostgreSQL 15 cluster, one table at the end.
#
#   bash tests/bench/run.sh [options] [-- bm_bench options]
#
#   --build DIR          the build folder (default: $BM_BUILD_DIR, else build/)
#   --no-build           use the binaries as they are (default: bring them up
#                        to date with cmake --build first)
#   --battlemapd PATH    the server to measure (default: DIR/server/battlemapd)
#   --battlemap PATH     the command line (default: DIR/client/battlemap)
#   --seconds S          load per phase, pgbench runs too (default 20)
#   --history N          grow the figure table to N rows (default $BENCH_HISTORY,
#                        else 1000000)
#   --growth-seconds S   at most, for the growth (default 1800)
#   --follow-rate R      figures/s offered while followers follow (default 100)
#   --rate R             the fixed offered rate, figures/s (default 1000); the
#                        same rate is offered to PostgreSQL by pgbench -R
#   --rate-seconds S     load at that rate, pgbench -R too (default 3 x
#                        --seconds: a p99 of 600 requests, not of one stall)
#   --quick              tiny sizes: a smoke run of two or three minutes
#   --out FILE           the table (default: DIR/bench-results.txt)
#   -h, --help           this text
#
# Everything after -- goes to bm_bench (see bm_bench --help), e.g.
# -- --clients 1,16 --followers 1,10. Exits non-zero only when a figure
# acknowledged was not stored, or on an error; a missed target is reported,
# not failed.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)

build="${BM_BUILD_DIR:-$top/build}"
no_build=0
battlemapd=""
battlemap=""
seconds=20
history="${BENCH_HISTORY:-}"
growth_seconds=1800
follow_rate=100
rate=1000
rate_seconds=""
quick=0
out=""
extra=()
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build="$2"; shift 2 ;;
        --no-build) no_build=1; shift ;;
        --battlemapd) battlemapd="$2"; shift 2 ;;
        --battlemap) battlemap="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --history) history="$2"; shift 2 ;;
        --growth-seconds) growth_seconds="$2"; shift 2 ;;
        --follow-rate) follow_rate="$2"; shift 2 ;;
        --rate) rate="$2"; shift 2 ;;
        --rate-seconds) rate_seconds="$2"; shift 2 ;;
        --quick) quick=1; shift ;;
        --out) out="$2"; shift 2 ;;
        -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        --) shift; extra=("$@"); break ;;
        *) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done
build=$(cd "$build" 2>/dev/null && pwd) || { echo "run.sh: no build folder $build;" \
    "build first: cmake -S $top -B $top/build && cmake --build $top/build" >&2; exit 2; }
# The quick run: every phase, each a few seconds, a small history
driver=()
if [ $quick -eq 1 ]; then
    seconds=3
    history="${history:-10000}"
    growth_seconds=300
    follow_rate=50
    driver=(--drain-seconds 30 --follow-grace 15 --catchup-seconds 10 --wall-count 5)
fi
history="${history:-1000000}"
rate_seconds="${rate_seconds:-$((3 * seconds))}"
for number in "$seconds" "$history" "$growth_seconds" "$rate" "$rate_seconds"; do
    [[ "$number" =~ ^[0-9]+$ ]] && [ "$number" -gt 0 ] || {
        echo "run.sh: '$number' is not a positive whole number" >&2; exit 2; }
done
out="${out:-$build/bench-results.txt}"

if [ $no_build -eq 0 ]; then
    targets=(--target bm_bench)
    [ -n "$battlemapd" ] || targets+=(--target battlemapd)
    [ -n "$battlemap" ] || targets+=(--target battlemap)
    echo "run.sh: bringing ${targets[*]//--target /} up to date in $build" >&2
    cmake --build "$build" -j"$(nproc)" "${targets[@]}" >/dev/null
fi
battlemapd="${battlemapd:-$build/server/battlemapd}"
battlemap="${battlemap:-$build/client/battlemap}"
bench="$build/tests/bench/bm_bench"
for binary in "$battlemapd" "$battlemap" "$bench"; do
    [ -x "$binary" ] || { echo "run.sh: $binary is missing; build it first" >&2; exit 2; }
done
pgbin=/usr/lib/postgresql/15/bin
[ -x "$pgbin/initdb" ] || pgbin=$(pg_config --bindir 2>/dev/null || true)
for tool in initdb pg_ctl psql; do
    [ -x "$pgbin/$tool" ] || { echo "run.sh: no $tool in $pgbin (PostgreSQL 15 server" \
        "binaries are needed)" >&2; exit 2; }
done
pgbench=$(command -v pgbench || echo "$pgbin/pgbench")
[ -x "$pgbench" ] || { echo "run.sh: pgbench is missing" >&2; exit 2; }
baseline_dir=/work/shared/bench-baseline
[ -f "$baseline_dir/schema.sql" ] || baseline_dir="$top/../shared/bench-baseline"
for file in schema.sql sub1cte.sql sub100gen.sql; do
    [ -f "$baseline_dir/$file" ] || { echo "run.sh: no $baseline_dir/$file" >&2; exit 2; }
done
# Many sockets: 64 submitters, 100 followers with two each
ulimit -n 8192 2>/dev/null || ulimit -n 4096 2>/dev/null || true

# PostgreSQL refuses to run as root: it runs as postgres then
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "run.sh: run as root, but there is no" \
        "'postgres' user to run PostgreSQL as" >&2; exit 2; }
    as_pg=(runuser -u postgres --)
fi

# --- the cluster, in a temporary folder removed at the end --------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bm-bench.XXXXXX")
chmod 755 "$tmp"
pgdata="$tmp/pg"
sockets="$tmp/run"
mkdir -p "$pgdata" "$sockets" "$tmp/pglog" "$tmp/pgbench"
[ ${#as_pg[@]} -eq 0 ] || chown postgres: "$pgdata" "$sockets" "$tmp/pglog"
server=""
small=""
postmaster=""

cleanup () {
    local rc=$?
    trap - EXIT INT TERM
    set +e
    local pid
    for pid in $server $small; do
        kill -0 "$pid" 2>/dev/null || continue
        kill -TERM "$pid"
        for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    if [ -f "$pgdata/postmaster.pid" ]; then
        timeout 60 "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -m fast -w -t 50 stop \
            >/dev/null 2>&1 || { [ -z "$postmaster" ] || kill -KILL "$postmaster" 2>/dev/null; }
    fi
    if [ -f "$tmp/battlemapd.log" ]; then
        cp "$tmp/battlemapd.log" "$(dirname "$out")/bench-battlemapd.log" 2>/dev/null
    fi
    if [ $rc -ne 0 ] && [ -f "$tmp/pglog/postgresql.log" ]; then
        echo "run.sh: the last lines of PostgreSQL's log:" >&2
        tail -n 5 "$tmp/pglog/postgresql.log" >&2
    fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port () {
    local port
    for _ in $(seq 100); do
        port=$((20000 + RANDOM % 30000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

echo "run.sh: PostgreSQL cluster in $pgdata" >&2
"${as_pg[@]}" "$pgbin/initdb" -D "$pgdata" -U postgres -A trust -E UTF8 --no-locale -N \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
port=$(free_port) || { echo "run.sh: no free port" >&2; exit 1; }
# The same settings for the baseline and battlemapd; fsync and
# synchronous_commit are on (the defaults), said aloud
cat >>"$pgdata/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sockets'
max_connections = 300
fsync = on
synchronous_commit = on
EOF
timeout 90 "${as_pg[@]}" "$pgbin/pg_ctl" -D "$pgdata" -l "$tmp/pglog/postgresql.log" -w -t 60 \
    start >/dev/null || { echo "run.sh: PostgreSQL did not start" >&2; exit 1; }
postmaster=$(head -n 1 "$pgdata/postmaster.pid")
psql_at () {
    local db="$1"
    shift
    timeout 600 "$pgbin/psql" -h "$sockets" -p "$port" -U postgres -d "$db" -X -q -A -t \
        -v ON_ERROR_STOP=1 "$@"
}
psql_at postgres -c "CREATE DATABASE baseline" -c "CREATE DATABASE battlemap" \
    -c "CREATE DATABASE turns" -c "CREATE DATABASE battlemap_small"

# --- the baseline: pgbench --------------------------------------------------
baseline="$tmp/baseline.txt"
: >"$baseline"
PGOPTIONS="-c client_min_messages=warning" psql_at baseline -f "$baseline_dir/schema.sql"
# battlemap's own schema, for PostgreSQL alone writing what a turn writes
# (turn.sql), with the rows it writes made beforehand
for migration in "$top"/deploy/migrations/*.sql "$top/tests/bench/turn-pool.sql"; do
    PGOPTIONS="-c client_min_messages=warning" psql_at turns -f "$migration"
done

# Before each run, `bm_bench settle` waits until no autovacuum worker has
# run for two looks half a second apart (at most three minutes), then
# checkpoints, as the driver does before each of its phases, so that none
# pays for the vacuum, the dirty buffers and the WAL of what the one before
# wrote
baseline_conninfo="host=$sockets port=$port dbname=baseline user=postgres"

# Runs one pgbench script with N clients; appends its figures to the baseline
# file as NAME.N.* (NAME.rated.* when offered a fixed rate); rows:
# submissions in one transaction; rate: transactions/s offered (pgbench -R:
# each transaction's latency counts from when it was due, as bm_bench counts
# an offered request's) for duration seconds (default: --seconds); the
# script is read from pgbench_dir and run on database pgbench_db (default:
# the baseline's), from the file pgbench_script (default: NAME.sql) with
# pgbench_define's variable (NAME=VALUE) set if given
run_pgbench () {
    local name="$1" clients="$2" rows="$3" tps_offered="${4:-}" duration="${5:-$seconds}"
    local logs="$tmp/pgbench/$name-$clients" label="$name.$clients" throttle=() define=()
    [ -z "${pgbench_define:-}" ] || define=(-D "$pgbench_define")
    if [ -n "$tps_offered" ]; then
        label="$name.rated"
        throttle=(-R "$tps_offered")
    fi
    "$bench" settle "$baseline_conninfo"
    local cpu_before cpu_after
    cpu_before=$("$bench" cpu "$postmaster")
    (cd "${pgbench_dir:-$baseline_dir}" && timeout $((duration + 120)) "$pgbench" -h "$sockets" \
        -p "$port" -U postgres -n -M prepared -f "${pgbench_script:-$name.sql}" "${define[@]}" \
        -c "$clients" -j "$clients" -T "$duration" "${throttle[@]}" --log --log-prefix="$logs" \
        "${pgbench_db:-baseline}") \
        >"$tmp/pgbench.out" 2>&1 \
        || { echo "run.sh: pgbench $name -c $clients failed:" >&2; cat "$tmp/pgbench.out" >&2;
             return 1; }
    cpu_after=$("$bench" cpu "$postmaster")
    local tps latency transactions p50 p99
    tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$tmp/pgbench.out" | head -n 1)
    latency=$(sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' "$tmp/pgbench.out")
    transactions=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' \
        "$tmp/pgbench.out")
    # Each log line: client, transaction, latency in usecs, ...; the
    # percentile as bm_bench takes it, the sample at rank ceil (n p)
    percentile () {
        cat "$logs".* | awk '{ print $3 }' | sort -n | awk -v p="$1" '
            { v[NR] = $1 } END { if (NR) { r = int (NR * p); if (r < NR * p) r++;
              if (r < 1) r = 1; printf "%.3f", v[r] / 1000 } else print -1 }'
    }
    p50=$(percentile 0.5)
    p99=$(percentile 0.99)
    rm -f "$logs".*
    awk -v n="$label" -v c="$clients" -v tps="$tps" -v lat="$latency" -v p50="$p50" -v p99="$p99" \
        -v tx="$transactions" -v rows="$rows" -v c0="$cpu_before" -v c1="$cpu_after" 'BEGIN {
        printf "%s.tps %s\n%s.latency_ms %s\n%s.p50_ms %s\n%s.p99_ms %s\n", n, tps, n, lat,
               n, p50, n, p99
        printf "%s.transactions %s\n%s.rows_per_s %.1f\n%s.clients %s\n", n, tx, n, tps * rows,
               n, c
        if (tx > 0) printf "%s.cpu_per_1000 %.4f\n", n, (c1 - c0) / (tx * rows / 1000)
    }' >>"$baseline"
    printf 'run.sh: pgbench %-9s -c %-2s %10.0f rows/s, latency avg %s ms, p50 %s ms, p99 %s ms\n' \
        "$name" "$clients${tps_offered:+ -R $tps_offered}" \
        "$(awk -v t="$tps" -v r="$rows" 'BEGIN { print t * r }')" "$latency" "$p50" "$p99" >&2
}
for clients in 1 4 16 64; do
    run_pgbench sub1cte "$clients" 1
done
for clients in 1 4 16 64; do
    run_pgbench sub100gen "$clients" 100
done
# The best client count for 100 submissions a transaction
awk '$1 ~ /^sub100gen\.[0-9]+\.rows_per_s$/ { split ($1, part, "."); if ($2 > best) {
        best = $2; clients = part[2] } }
     END { printf "sub100gen.best.rows_per_s %s\nsub100gen.best.clients %s\n", best, clients }' \
    "$baseline" >>"$baseline"
# The fixed offered rate, as bm_bench offers it to battlemapd: 100 figures a
# transaction over 4 connections, then 1 a transaction over 16
batched_tps=$(awk -v r="$rate" 'BEGIN { print r / 100 }')
run_pgbench sub100gen 4 100 "$batched_tps" "$rate_seconds"
run_pgbench sub1cte 16 1 "$rate" "$rate_seconds"
# What battlemapd itself writes for its turns at the same rate, on one
# connection as the server commits them: a turn for each request, of 100
# and of 1 (at 1,000 requests of 1 a second it commits nearly each on its
# own; the table gives what it did)
pgbench_dir="$top/tests/bench" pgbench_db=turns pgbench_script=turn.sql pgbench_define=figures=100 \
    run_pgbench turn100 1 100 "$batched_tps" "$rate_seconds"
pgbench_dir="$top/tests/bench" pgbench_db=turns pgbench_script=turn.sql pgbench_define=figures=1 \
    run_pgbench turn1 1 1 "$rate" "$rate_seconds"

# The one-client baseline again, run by the driver for the seconds it names,
# before, between and after the rounds of its one-client phase: the ratio's
# baseline, beside what it is compared with
cat >"$tmp/beside.sh" <<EOF
set -eo pipefail
"$bench" settle "$baseline_conninfo"
cd "$baseline_dir"
timeout $((seconds + 120)) "$pgbench" -h "$sockets" -p "$port" -U postgres -n -M prepared \\
    -f sub1cte.sql -c 1 -j 1 -T "\${1:-$seconds}" baseline \\
    | sed -n 's/^tps = \\([0-9.]*\\).*/\\1/p'
EOF

# --- battlemapd ---------------------------------------------------------------
keys="$tmp/keys"
"$battlemap" keygen admin --dir "$keys" >/dev/null
psql_at battlemap -c "CHECKPOINT"
# Starts battlemapd on database $1, its log and endpoints named after $2,
# with the Qingpu and Baoshan plans, the keys of the run; sets the variable
# named $3 to its pid at once (for cleanup to stop it), and router once it
# listens
start_server () {
    local db="$1" name="$2" pid_variable="$3"
    echo "run.sh: starting $battlemapd on database $db" >&2
    # In a session of its own, so that Ctrl-C reaches the driver (which then
    # finishes the table) and not the server; cleanup stops it
    setsid "$battlemapd" --db "host=$sockets port=$port dbname=$db user=postgres" \
        --plans "$top/deploy/plans/qingpu-2023" --plans "$top/deploy/plans/baoshan-2023" \
        --keys "$keys" --admin "$keys/admin.cert" --endpoints-file "$tmp/$name.endpoints" \
        --router 'tcp://127.0.0.1:*' --pub 'tcp://127.0.0.1:*' --backfill \
        ${BENCH_SERVER_ARGS:-} >"$tmp/$name.log" 2>&1 &
    started=$!
    printf -v "$pid_variable" '%s' "$started"
    for _ in $(seq 1200); do
        [ -s "$tmp/$name.endpoints" ] && break
        kill -0 "$started" 2>/dev/null || { echo "run.sh: battlemapd failed to start:" >&2;
            tail -n 20 "$tmp/$name.log" >&2; exit 1; }
        sleep 0.1
    done
    [ -s "$tmp/$name.endpoints" ] || { echo "run.sh: battlemapd did not start within 120 s" >&2;
        exit 1; }
    local comm
    comm=$(cat "/proc/$started/comm" 2>/dev/null || true)
    [ "$comm" = battlemapd ] || { echo "run.sh: process $started is '$comm', not battlemapd" >&2;
        exit 1; }
    router=$(awk '$1 == "router" { print $2 }' "$tmp/$name.endpoints")
}
start_server battlemap battlemapd server
pub=$(awk '$1 == "pub" { print $2 }' "$tmp/battlemapd.endpoints")
main_router=$router
# A second one, on a database of its own, which takes the year the driver
# reports first and nothing more: the wall on a history that never grew,
# timed block by block in turn with the first's, both on the machine as it
# is then. Timed minutes apart, before and after the growth, the same wall
# read 0.23 and 0.47 ms in one run, while the driver's own CPU for each
# request went from 0.149 to 0.249 ms: the machine, not the history
start_server battlemap_small battlemapd-small small
small_router=$router

# Every phase of the driver is bounded; this bounds the whole, in case
limit=$((seconds * 60 + rate_seconds * 2 + growth_seconds + 3600))
set +e
# BENCH_WRAPPER runs the driver under a tool, e.g. "valgrind --leak-check=full"
read -r -a wrapper <<<"${BENCH_WRAPPER:-}"
timeout --foreground --signal=INT --kill-after=60 "$limit" "${wrapper[@]}" "$bench" \
    --router "$main_router" --pub "$pub" --server-key "$keys/server.cert" \
    --admin-key "$keys/admin.cert" \
    --db "host=$sockets port=$port dbname=battlemap user=postgres" \
    --plan "$top/deploy/plans/qingpu-2023" --server-pid "$server" --pg-pid "$postmaster" \
    --small-router "$small_router" --small-server-pid "$small" \
    --baseline "$baseline" --out "$out" --values "${out%.txt}.values" \
    --seconds "$seconds" --history "$history" --growth-seconds "$growth_seconds" \
    --follow-rate "$follow_rate" --rate "$rate" \
    --rate-seconds "$rate_seconds" --beside "bash $tmp/beside.sh" "${driver[@]}" "${extra[@]}"
rc=$?
set -e
kill -0 "$server" 2>/dev/null || { echo "run.sh: battlemapd died during the run:" >&2;
    tail -n 20 "$tmp/battlemapd.log" >&2; rc=1; }
cat >>"$out" <<EOF

PostgreSQL 15, fsync and synchronous_commit on, $(nproc) cores; $seconds s a phase;
baseline: $baseline_dir (pgbench -n -M prepared -c N -j N -T $seconds; the fixed
rate offered with -R for $rate_seconds s, whose arrivals are Poisson where bm_bench's
are evenly spaced).
EOF
echo "run.sh: the table is in $out (every figure in ${out%.txt}.values)" >&2
exit $rc
