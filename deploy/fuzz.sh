#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz with clang (ASan, UBSan) in
# build/fuzz and runs each twice: once over exactly its committed corpus, so
# that every seed is replayed, then for a bounded time on a scratch copy of
# that corpus, so that nothing is written into the repository. Fails on any
# crash, leak, timeout or sanitizer report, and names the input that caused
# it. Needs no network once deploy/install-deps.sh has run.
#
#   BM_FUZZ_SECONDS   seconds of fuzzing per target (default 30)
#
# See tests/fuzz/README.md.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

seconds=${BM_FUZZ_SECONDS:-30}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
    echo "fuzz: BM_FUZZ_SECONDS is \"$seconds\": give a whole number of seconds, 1 or more" >&2
    exit 2
fi
targets=(fuzz_request fuzz_plan)
declare -A corpus=([fuzz_request]=tests/fuzz/corpus/request [fuzz_plan]=tests/fuzz/corpus/plan)
declare -A dict=([fuzz_plan]=tests/fuzz/plan.dict)

bash deploy/install-deps.sh

build=build/fuzz
jobs=$(nproc)
echo "fuzz: building ${targets[*]} in $build"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DBM_FUZZ=ON -DBM_SANITIZE=ON -DBUILD_TESTING=OFF >/dev/null
cmake --build "$build" -j"$jobs" --target "${targets[@]}" >"$build/build.log" 2>&1 || {
    cat "$build/build.log"; echo "fuzz: the build failed" >&2; exit 1
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/bm-fuzz.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$build/logs" "$build/artifacts"
ulimit -c 0                     # a crash leaves its input, not a core file

# Errors halt at once; libFuzzer reports them, saves the input and exits 1
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0:handle_abort=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
common=(-rss_limit_mb=2048 -timeout=25 -print_final_stats=1)

# A sanitizer report libFuzzer did not turn into a failure still fails the run
s_clean () {
    ! grep -qE "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: " "$1"
}

# A run that failed: its report, and where the input that caused it is
s_failed () {
    local target=$1 log=$2 what=$3
    echo "fuzz: $target FAILED ($what); the report:" >&2
    grep -nE "ERROR:|runtime error:|Assertion|SUMMARY:|^    #[0-9]+ |Test unit written to|artifact_prefix" "$log" \
        | grep -vE "in fuzzer::|__libc_start|in _start " | head -40 >&2 || true
    echo "fuzz: full log in $log" >&2
    failed=1
}

# A stat of -print_final_stats, 0 if absent
s_stat () {
    sed -n "s/^stat::$2: *//p" "$1" | tail -1 | grep -E '^[0-9]+$' || echo 0
}

failed=0
for target in "${targets[@]}"; do
    binary="$build/tests/fuzz/$target"
    seeds="${corpus[$target]}"
    artifacts="$build/artifacts/$target/"
    mkdir -p "$artifacts"
    options=("${common[@]}" -artifact_prefix="$artifacts")
    [ -n "${dict[$target]:-}" ] && options+=(-dict="${dict[$target]}")
    seed_count=$(find "$seeds" -type f | wc -l)

    # 1. Every committed seed, once. New inputs would go to the first folder
    #    given, a scratch one: the committed corpus is only read.
    log="$build/logs/$target-replay.log"
    mkdir -p "$scratch/$target-replay"
    if ! timeout 600 "$binary" "${options[@]}" -runs=0 "$scratch/$target-replay" "$seeds" \
            >"$log" 2>&1 || ! s_clean "$log"; then
        s_failed "$target" "$log" "replaying the committed corpus"
        continue
    fi

    # 2. Fuzzing, for a bounded time, on a scratch copy of the corpus
    log="$build/logs/$target.log"
    work="$scratch/$target"
    cp -R "$seeds" "$work"
    started=$(date +%s)
    if ! timeout $((seconds + 300)) "$binary" "${options[@]}" -max_total_time="$seconds" \
            "$work" >"$log" 2>&1 || ! s_clean "$log"; then
        s_failed "$target" "$log" "fuzzing"
        continue
    fi
    took=$(( $(date +%s) - started ))
    runs=$(s_stat "$log" number_of_executed_units)
    rate=$(s_stat "$log" average_exec_per_sec)
    size=$(find "$work" -type f | wc -l)
    bytes=$(du -sk --apparent-size "$work" | cut -f1)
    coverage=$(grep -oE "cov: [0-9]+ ft: [0-9]+" "$log" | tail -1 || true)
    echo "fuzz: $target: $runs executions in ${took}s ($rate/s), all $seed_count seeds" \
         "replayed, corpus $seed_count -> $size inputs (${bytes} KiB), ${coverage:-cov: ?}"
done

if [ $failed -ne 0 ]; then
    echo "fuzz: failed; crashing inputs are in $build/artifacts (see tests/fuzz/README.md)" >&2
    exit 1
fi
echo "fuzz: clean"
