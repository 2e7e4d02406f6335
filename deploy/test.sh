#!/usr/bin/env bash
# Installs what is missing, builds battlemap twice (plain, then with
# AddressSanitizer and UndefinedBehaviorSanitizer) and runs every test in
# both builds: unit tests, and integration tests that start throwaway
# PostgreSQL clusters and the real battlemapd. Then the unit tests once
# more under valgrind. Bounded in time; stops by itself.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash deploy/install-deps.sh

jobs=$(nproc)
echo "== build"
cmake -S . -B build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/test -j"$jobs"
echo "== tests"
ctest --test-dir build/test --output-on-failure --timeout 300

echo "== build with ASan and UBSan"
cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DBM_SANITIZE=ON >/dev/null
cmake --build build/sanitize -j"$jobs"
echo "== tests with ASan and UBSan"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/sanitize --output-on-failure --timeout 600

echo "== unit tests under valgrind"
failed=0
for test in build/test/tests/test_*; do
    case "$(basename "$test")" in
        test_pgcluster) continue ;;     # its children are PostgreSQL itself
    esac
    [ -x "$test" ] || continue
    if ! grep -q "unit/$(basename "$test")" build/test/tests/CTestTestfile.cmake; then
        continue
    fi
    if ! BM_SOURCE_DIR="$top" valgrind -q --leak-check=full --error-exitcode=99 "$test" >/dev/null 2>build/test/valgrind.log; then
        echo "valgrind: $(basename "$test") failed"; cat build/test/valgrind.log; failed=1
    fi
done
[ $failed -eq 0 ] || exit 1
echo "valgrind: unit tests clean"

echo "== fuzzing (bounded)"
bash deploy/fuzz.sh
