#!/usr/bin/env bash
# Installs what is missing, builds, and runs battlemapd on its own
# PostgreSQL (in ./battlemap-data) with the shipped plans loaded.
#
#   bash deploy/run.sh              the server, until Ctrl-C
#   bash deploy/run.sh --simulate   the same on a test clock set to 2023:
#                                   simulated units submit a year of Qingpu
#                                   figures, forecasts on the 20th and finals
#                                   on the 5th, the clock moving with them,
#                                   and the wall is printed after each month
#   Both start the web wall (battlemap serve) on http://127.0.0.1:8080/
#   (BATTLEMAP_WEB=IP:PORT for another address) and print its address.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

simulate=0
for argument in "$@"; do
    case "$argument" in
        --simulate) simulate=1 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "run.sh: unknown option $argument" >&2; exit 2 ;;
    esac
done

bash deploy/install-deps.sh

# The server and the commands speak Chinese (the zh_CN catalog the build
# compiles); LANG=C (or POSIX) given explicitly keeps them English. glibc
# also honours LANGUAGE=zh_CN under C.UTF-8, the fallback without the locale
if [ "${LC_ALL:-${LANG:-}}" != C ] && [ "${LC_ALL:-${LANG:-}}" != POSIX ]; then
    unset LC_ALL LC_MESSAGES
    if locale -a 2>/dev/null | grep -qix 'zh_CN\.utf-\?8'; then
        export LANG=zh_CN.UTF-8
    else
        export LANG=C.UTF-8 LANGUAGE=zh_CN
    fi
fi
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

data="${BATTLEMAP_DATA:-$top/battlemap-data}"
mkdir -p "$data"
# When run as root the embedded PostgreSQL runs as 'postgres', which must be
# able to enter the data directory
chmod 755 "$data"
endpoints="$data/endpoints"
rm -f "$endpoints"

# Keys: the server makes its own pair in $keys on the first start; the local
# administrator's is made here, and the simulated units' by `simulate`
keys="$data/keys"
if [ ! -f "$keys/admin.cert_secret" ]; then
    build/client/battlemap keygen admin --dir "$keys" >/dev/null
fi

# The simulation plays 2023 on a test clock that it moves itself; the plain
# server keeps real time
clock=()
if [ $simulate -eq 1 ]; then
    clock=(--test-clock --clock 2023-01-02T09:00:00+08:00)
fi
build/server/battlemapd --data-dir "$data/db" \
    --plans deploy/plans/qingpu-2023 --plans deploy/plans/baoshan-2023 \
    --endpoints-file "$endpoints" --keys "$keys" --admin "$keys/admin.cert" "${clock[@]}" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null' EXIT INT TERM

for _ in $(seq 600); do
    [ -s "$endpoints" ] && break
    kill -0 $server 2>/dev/null || { echo "battlemapd failed to start" >&2; exit 1; }
    sleep 0.1
done
[ -s "$endpoints" ] || { echo "battlemapd did not start in time" >&2; exit 1; }

cli="build/client/battlemap --key $keys/admin.cert --server-key $keys/server.cert"

# The web wall (battlemap serve) with its own key, a subscriber of Qingpu
# (enrolling it again changes nothing); BATTLEMAP_WEB sets its address
if [ ! -f "$keys/web.cert_secret" ]; then
    build/client/battlemap keygen web --dir "$keys" >/dev/null
fi
$cli enroll --public-key "$keys/web.cert" --name 大屏 --role subscriber --district qingpu \
    >/dev/null
rm -f "$data/web.out"
build/client/battlemap --key "$keys/web.cert" --server-key "$keys/server.cert" \
    serve --listen "${BATTLEMAP_WEB:-127.0.0.1:8080}" --district qingpu >"$data/web.out" &
web=$!
trap 'kill -TERM $web $server 2>/dev/null; wait $web $server 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do
    grep -q http "$data/web.out" 2>/dev/null && break
    kill -0 $web 2>/dev/null || break
    sleep 0.1
done
echo
echo "battlemapd 已启动；服务器公钥在 $keys/server.cert，本机管理员的密钥对在"
echo "$keys/admin.cert(_secret)。可在另一个终端（于 $top 目录下，密钥会自动找到）运行："
echo "  build/client/battlemap wall --district qingpu --period 2023-06"
echo "  build/client/battlemap watch --district qingpu"
echo "  build/client/battlemap template --district qingpu --unit 赵巷镇 --period 2023-06"
echo
if grep -q http "$data/web.out" 2>/dev/null; then
    address=$(grep -o 'http://[^ ]*/' "$data/web.out" | head -n 1)
    echo "网页大屏：在浏览器中打开 $address；16:9 大屏请打开 ${address}?kiosk=1"
else
    echo "网页大屏未能启动（原因见上）；服务器照常运行。"
fi
echo

if [ $simulate -eq 1 ]; then
    for month in $(seq 1 12); do
        $cli simulate --plan deploy/plans/qingpu-2023 --clock --unit-keys "$keys/units" \
            --from "$month" --months "$month"
        $cli wall --district qingpu --period "$(printf '2023-%02d' "$month")"
        sleep "${BATTLEMAP_SIMULATE_PAUSE:-3}"
    done
    # head closes the pipe early: that is not a failure
    $cli report timeliness --district qingpu --period 2023-12 | head -n 12 || true
    echo "模拟的一年数据已报送完毕；服务器测试时钟停在2024年1月。"
    echo "可试：$cli wall --district qingpu --period 2023-06 --snapshot"
    echo "      $cli report forecast-accuracy --district qingpu --period 2023-06"
    echo "服务器持续运行，按 Ctrl-C 停止。"
fi
wait $server
