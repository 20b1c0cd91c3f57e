#!/usr/bin/env bash
# HTTP figures for `attest serve`: start-up to first response, idle RSS, and latency and
# throughput of the dashboard, control list and criteria pages under wrk (Debian's `wrk`),
# at a demo scale. The load generator shares the machine with the server: on a 2-core machine
# read the figures as a floor, and compare runs made on the same machine.
#
#   bench/http.sh [small|medium|large] [CONNECTIONS] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
scale="${1:-medium}"; conns="${2:-20}"; secs="${3:-10}"
bin=target/release/attest
[ -x "$bin" ] || cargo build --release -p attest
command -v wrk >/dev/null || { echo "install wrk: apt-get install wrk" >&2; exit 2; }
dir=$(mktemp -d); trap 'kill $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$((20000 + RANDOM % 20000))
"$bin" --data-dir "$dir" demo --scale "$scale" >/dev/null

start=$(date +%s.%N)
"$bin" --data-dir "$dir" serve --listen "127.0.0.1:$port" >"$dir/out" 2>/dev/null & pid=$!
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.005; done
ready=$(date +%s.%N)
echo "start to first response: $(echo "($ready - $start) * 1000" | bc) ms"

# The first owner, through the one-time setup link, then a session cookie for wrk.
token=$(grep -o 'token=[A-Za-z0-9_-]*' "$dir/out" | head -1 | cut -d= -f2)
jar="$dir/jar"
csrf=$(curl -s -c "$jar" "http://127.0.0.1:$port/setup?token=$token" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"//')
curl -s -b "$jar" -c "$jar" -o /dev/null -X POST "http://127.0.0.1:$port/setup" \
  --data-urlencode "_csrf=$csrf" --data-urlencode "token=$token" --data-urlencode "name=Bench" \
  --data-urlencode "email=bench@harborline.example" --data-urlencode "password=benchmark passphrase" \
  --data-urlencode "password_again=benchmark passphrase"
session=$(awk '$6 == "attest_session" { print $7 }' "$jar")
echo "idle RSS: $(awk '/VmRSS/ { print $2 / 1024 " MB" }' /proc/$pid/status)"
org=harborline-analytics
for page in "o/$org/controls" "o/$org/criteria" "o/$org/dashboard" "api/v1/orgs/$org/controls"; do
  echo "== /$page ($conns connections, $secs s)"
  wrk -t2 -c"$conns" -d"${secs}s" --latency -H "Cookie: attest_session=$session" \
    "http://127.0.0.1:$port/$page" | grep -E "Requests/sec|50%|99%|Non-2xx|Socket errors"
done
echo "RSS after load: $(awk '/VmRSS/ { print $2 / 1024 " MB" }' /proc/$pid/status)"
echo "peak RSS: $(awk '/VmHWM/ { print $2 / 1024 " MB" }' /proc/$pid/status)"
