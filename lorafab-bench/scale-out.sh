#!/usr/bin/env bash
# Scale-out benchmark: 1 or 2 `lorafab server` processes on one PostgreSQL schema, behind a UDP load balancer
# (nginx's stream module, source-address affinity), driven by JoinLoad over Semtech UDP. Prints joins/s, p50/p99,
# the CPU seconds each process used during the load alone (not during start-up or device registration), the joins
# each instance served, and the exactly-once check: no (DevEUI, DevNonce) may have two sessions.
#
#   lorafab-bench/scale-out.sh [--instances 1|2] [--balancer nginx|client|none] [--devices 10000] [--warm-up 2000]
#                              [--gateways 32] [--in-flight 4] [--pg jdbc:postgresql://127.0.0.1:5432/test?user=postgres] [--keep]
#
# --devices joins are measured, after --warm-up joins of other devices that are not (the servers are fresh JVMs).
# --balancer nginx (default): nginx in front, `hash $remote_addr consistent`; each simulated gateway sends from its own
#   loopback address (127.1.0.g), so the balancer sees distinct gateways as in the field.
# --balancer client: no balancer process; JoinLoad itself sends each gateway to one instance by a hash of its EUI
#   (`--servers`), a stand-in for a source-affine balancer, for comparison with nginx's own cost.
# --balancer none: one instance only, JoinLoad straight to its UDP port.
# Needs: lorafab-app/target/lorafab.jar and lorafab-bench/target/benchmarks.jar
# (`mvn -B -o -q package -DskipTests -pl lorafab-bench -am`), psql, curl, and for nginx the stream module
# (Debian: `apt-get install nginx libnginx-mod-stream`). Every process it starts listens on 127.0.0.1 only and is
# stopped at the end; the schema is dropped unless --keep.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
instances=2 balancer=nginx devices=10000 warmup=2000 gateways=32 inflight=4 keep=0
pg="${LORAFAB_TEST_PG_URL:-jdbc:postgresql://127.0.0.1:5432/test?user=postgres}"
while [ $# -gt 0 ]; do
  case "$1" in
    --instances) instances="$2"; shift 2 ;;
    --balancer) balancer="$2"; shift 2 ;;
    --devices) devices="$2"; shift 2 ;;
    --warm-up) warmup="$2"; shift 2 ;;
    --gateways) gateways="$2"; shift 2 ;;
    --in-flight) inflight="$2"; shift 2 ;;
    --pg) pg="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "scale-out: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$instances" in 1|2) ;; *) echo "scale-out: --instances: 1 or 2, got $instances" >&2; exit 2 ;; esac
case "$balancer" in nginx|client) ;; none) [ "$instances" = 1 ] || { echo "scale-out: --balancer none needs --instances 1" >&2; exit 2; } ;;
  *) echo "scale-out: --balancer: nginx, client or none, got $balancer" >&2; exit 2 ;; esac

app_jar="$here/lorafab-app/target/lorafab.jar"
bench_jar="$here/lorafab-bench/target/benchmarks.jar"
for j in "$app_jar" "$bench_jar"; do
  [ -f "$j" ] || { echo "scale-out: $j is missing: mvn -B -o -q package -DskipTests -pl lorafab-bench -am" >&2; exit 1; }
done

# psql takes the PostgreSQL URL's host, port, database and user
pg_rest="${pg#jdbc:postgresql://}"
pg_hostport="${pg_rest%%/*}"; pg_db="${pg_rest#*/}"; pg_db="${pg_db%%\?*}"
pg_user="$(printf '%s' "$pg" | sed -n 's/.*[?&]user=\([^&]*\).*/\1/p')"
psql_() { psql -X -q -At -h "${pg_hostport%%:*}" -p "${pg_hostport##*:}" -U "${pg_user:-postgres}" -d "$pg_db" "$@"; }

run="scaleout_$(date +%s)_$$"
work="$(mktemp -d "/tmp/$run.XXXX")"
sep='?'; case "$pg" in *\?*) sep='&' ;; esac
url="$pg${sep}currentSchema=$run"
# the servers (and only they) hold the KEK the devices' keys are wrapped under; a fresh one per run
export LORAFAB_KEK="bench:$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$keep" = 0 ]; then
    psql_ -c "DROP SCHEMA IF EXISTS $run CASCADE" >/dev/null 2>&1 || true
    rm -rf "$work"
  else
    echo "kept: schema $run, folder $work"
  fi
}
trap cleanup EXIT

psql_ -c "CREATE SCHEMA $run" >/dev/null

# free ports from the kernel: bind port 0 and read the port back (closed again before use; loopback, this run only)
free_port() { python3 -c 'import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "$1"; }

wait_for() { # FILE PATTERN PID SECONDS
  local i=0
  while ! grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$3" 2>/dev/null || { echo "scale-out: process $3 ended before '$2'; its output:" >&2; tail -20 "$1" >&2; exit 1; }
    i=$((i + 1)); [ $i -lt $(($4 * 20)) ] || { echo "scale-out: no '$2' in $1 after $4 s" >&2; exit 1; }
    sleep 0.05
  done
}

udp_ports=() http_ports=() server_pids=()
for i in $(seq 1 "$instances"); do
  u=$(free_port udp); h=$(free_port tcp)
  udp_ports+=("$u"); http_ports+=("$h")
  # the settings JoinLoad gives its in-process server: no join rate limits (the load is many joins per device per
  # minute from few gateways), no downlink planning (compressed-timing gateways model no air time), and a per-address
  # reception limit far above the load (behind a balancer every datagram comes from its address)
  java -jar "$app_jar" server --db "$url&ApplicationName=${run}_s$i" --data-dir "$work/s$i" --http-port "$h" \
      --udp-port "$u" --lns-port -1 --net-id 000013 --no-downlink-plan --joins-per-device 0 --joins-per-gateway 0 \
      --udp-rxpk-per-address 1000000 > "$work/s$i.log" 2>&1 &
  p=$!; pids+=("$p"); server_pids+=("$p")
  # one after the other: the first creates the schema, the second finds it migrated
  wait_for "$work/s$i.log" "lorafab server listening" "$p" 120
done

nginx_pids() { if [ -n "${nginx_master:-}" ]; then echo "$nginx_master"; pgrep -P "$nginx_master" || true; fi; }
target=()
if [ "$balancer" = nginx ]; then
  lb=$(free_port udp)
  {
    echo "load_module /usr/lib/nginx/modules/ngx_stream_module.so;"
    echo "daemon off; worker_processes 1; pid $work/nginx.pid; error_log $work/nginx-error.log notice;"
    echo "events { worker_connections 8192; }"
    echo "stream {"
    echo "  upstream lorafab_udp {"
    echo "    hash \$remote_addr consistent;   # a gateway's PUSH_DATA and PULL_DATA on one instance"
    for u in "${udp_ports[@]}"; do echo "    server 127.0.0.1:$u;"; done
    echo "  }"
    echo "  server {"
    echo "    listen 127.0.0.1:$lb udp reuseport;"
    echo "    proxy_pass lorafab_udp;"
    echo "    proxy_timeout 60s;             # > the forwarders' 10 s PULL_DATA keep-alive: the session, and the downlink path, stay"
    echo "  }"
    echo "}"
  } > "$work/nginx.conf"
  nginx -p "$work" -e "$work/nginx-error.log" -c "$work/nginx.conf" &
  nginx_master=$!; pids+=("$nginx_master")
  sleep 0.5
  kill -0 "$nginx_master" 2>/dev/null || { echo "scale-out: nginx did not start:" >&2; cat "$work/nginx-error.log" >&2; exit 1; }
  target=(--server "127.0.0.1:$lb")
elif [ "$balancer" = client ]; then
  list=""; for u in "${udp_ports[@]}"; do list="$list${list:+,}127.0.0.1:$u"; done
  target=(--servers "$list")
else
  target=(--server "127.0.0.1:${udp_ports[0]}")
fi

# CPU ticks (utime + stime, all threads) of the given processes, summed; a process gone counts 0. Fields 14 and 15
# of /proc/PID/stat, read after the ") " that ends the command name (which may hold spaces); no process is started,
# so that a snapshot on a busy machine takes milliseconds, not seconds
ticks() {
  local s=0 p line f
  for p in "$@"; do
    { read -r line < "/proc/$p/stat"; } 2>/dev/null || continue
    read -ra f <<< "${line##*) }"
    s=$((s + f[11] + f[12]))
  done
  echo "$s"
}
# per thread of a process: "TID NAME TICKS" lines, the name with its digits made # (so that a pool's threads add up)
threads() {
  local t line name f
  for t in /proc/"$1"/task/*; do
    { read -r line < "$t/stat"; } 2>/dev/null || continue
    name="${line#*(}"; name="${name%) *}"; name="${name//[0-9]/#}"; name="${name// /_}"
    read -ra f <<< "${line##*) }"
    echo "${t##*/} $name $((f[11] + f[12]))"
  done
}
# this run's PostgreSQL backends: the servers' connections carry the run's application name
pg_backends() { psql_ -c "SELECT pid FROM pg_stat_activity WHERE application_name LIKE '${run}_s%'"; }
all_postgres() { pgrep -x postgres || true; }
machine() { awk '/^cpu /{print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6}' /proc/stat; }   # total, idle+iowait

# join-accepts each instance has counted (its own /metrics), read once the load is over: a read during the load, on
# a busy machine, comes seconds late and cannot mark the start of the measured phase
tok=$(java -jar "$app_jar" tokens create --role operator --name scaleout --db "$url" 2>/dev/null)
accepted() {
  curl -s -H "Authorization: Bearer $tok" "http://127.0.0.1:$1/metrics" \
      | awk '/^lorafab_joins_total\{/ && /result="accepted"/ {s += $NF} END {printf "%d", s}'
}

java -cp "$bench_jar" io.lorafab.bench.JoinLoad --db "$url&ApplicationName=${run}_load" "${target[@]}" \
    --devices "$((devices + warmup))" --warm-up "$warmup" --gateways "$gateways" --in-flight "$inflight" > "$work/load.log" 2>&1 &
load=$!; pids+=("$load")
wait_for "$work/load.log" "load phase: start" "$load" 600
declare -A t0 t1 pg0 pg1
# the snapshot first, the look-ups that start processes (psql) after it
read -r m_total0 m_idle0 < <(machine); start_ns=$(date +%s%N)
for i in "${!server_pids[@]}"; do t0[s$i]=$(ticks "${server_pids[$i]}"); threads "${server_pids[$i]}" > "$work/threads0.s$i"; done
t0[nginx]=$(ticks $(nginx_pids))
for p in $(all_postgres); do pg0[$p]=$(ticks "$p"); done
backends="$(pg_backends)"
# the servers' pools may open connections during the load: look again every 2 s while it runs
n=0
while kill -0 "$load" 2>/dev/null && ! grep -q "load phase: end" "$work/load.log"; do
  sleep 0.1; n=$((n + 1))
  if [ $((n % 20)) = 0 ]; then backends="$(printf '%s\n%s\n' "$backends" "$(pg_backends)" | sort -u | grep . || true)"; fi
done
read -r m_total1 m_idle1 < <(machine); end_ns=$(date +%s%N)
for i in "${!server_pids[@]}"; do t1[s$i]=$(ticks "${server_pids[$i]}"); threads "${server_pids[$i]}" > "$work/threads1.s$i"; done
t1[nginx]=$(ticks $(nginx_pids))
for p in $(all_postgres); do pg1[$p]=$(ticks "$p"); done
# every PostgreSQL process alive at the end, less what it had used at the start (0 for one started since)
allpg_t=0; for p in "${!pg1[@]}"; do allpg_t=$((allpg_t + pg1[$p] - ${pg0[$p]:-0})); done
pg_t=0; for p in $backends; do pg_t=$((pg_t + ${pg1[$p]:-0} - ${pg0[$p]:-0})); done
wait "$load" || { echo "scale-out: the load failed:" >&2; tail -20 "$work/load.log" >&2; exit 1; }
# the load generator reports its own CPU (it may have exited before it could be read here)
load_cpu() { sed -n "s/^load phase: $1 (process CPU \([0-9.]*\) s)/\1/p" "$work/load.log"; }
hz=$(getconf CLK_TCK)
t0[load]=$(awk -v s="$(load_cpu start)" -v hz="$hz" 'BEGIN{printf "%d", s * hz}')
t1[load]=$(awk -v s="$(load_cpu end)" -v hz="$hz" 'BEGIN{printf "%d", s * hz}')

sec() { awk -v t="$1" -v hz="$hz" 'BEGIN{printf "%.2f", t / hz}'; }
result=$(grep '^database=' "$work/load.log")
joins=$(printf '%s' "$result" | sed -n 's/.* joins=\([0-9]*\).*/\1/p')
window=$(awk -v a="$start_ns" -v b="$end_ns" 'BEGIN{printf "%.2f", (b - a) / 1e9}')

echo "run: $run, instances=$instances balancer=$balancer devices=$devices (after $warmup not measured) gateways=$gateways in-flight=$inflight"
grep -E '^(external|warm-up):' "$work/load.log" || true
echo "$result"
grep '^unanswered' "$work/load.log" || true
echo "CPU seconds during the load phase ($window s wall; per join in ms):"
row() { awk -v n="$1" -v t="$2" -v hz="$hz" -v j="$joins" 'BEGIN{printf "  %-34s %7.2f s  %6.3f ms/join\n", n, t / hz, (j > 0 ? t / hz * 1000 / j : 0)}'; }
servers_t=0
for i in "${!server_pids[@]}"; do d=$((t1[s$i] - t0[s$i])); servers_t=$((servers_t + d)); row "server $((i + 1)) (pid ${server_pids[$i]})" "$d"; done
[ "$instances" = 1 ] || row "servers together" "$servers_t"
row "PostgreSQL, this run's backends ($(echo $backends | wc -w))" "$pg_t"
row "PostgreSQL, all its processes*" "$allpg_t"
[ "$balancer" = nginx ] && row "nginx (master + worker)" "$((t1[nginx] - t0[nginx]))"
row "load generator (JoinLoad)" "$((t1[load] - t0[load]))"
busy=$(( (m_total1 - m_total0) - (m_idle1 - m_idle0) ))
awk -v b="$busy" -v t="$((m_total1 - m_total0))" -v n="$(nproc)" 'BEGIN{printf "  machine: %.0f %% of %d cores busy* (all processes)\n", (t > 0 ? 100 * b / t : 0), n}'
mine=$((servers_t + pg_t + t1[load] - t0[load] + t1[nginx] - t0[nginx]))
awk -v m="$mine" -v hz="$hz" -v w="$window" -v n="$(nproc)" 'BEGIN{printf "  this run'"'"'s processes: %.0f %% of %d cores (the rest: other processes)\n", 100 * m / hz / (w * n), n}'
echo "  * includes other users' work on this machine and on this PostgreSQL server"
echo "at: $(date -u '+%Y-%m-%d %H:%M:%S') UTC, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

per="" acc_list=""
for i in "${!http_ports[@]}"; do
  n=$(accepted "${http_ports[$i]}"); acc_list="$acc_list${acc_list:+/}$n"; per="$per server$((i + 1))=$n"
done
for i in "${!server_pids[@]}"; do
  # where each instance's CPU went: its threads by name (a pool's threads summed), the largest first
  printf '  server %d by thread: ' "$((i + 1))"
  awk -v hz="$hz" 'NR == FNR {before[$1] = $3; next} {d[$2] += $3 - before[$1]} END {for (n in d) if (d[n] > 0) printf "%s %.2f\n", n, d[n] / hz}' \
      "$work/threads0.s$i" "$work/threads1.s$i" | sort -k2,2nr | head -8 | awk '{printf "%s%s %s s", (NR > 1 ? ", " : ""), $1, $2} END {print ""}'
done
echo "join-accepts per instance, warm-up included (their /metrics):$per"

# exactly once: every (DevEUI, DevNonce) at most one session, and as many sessions as join-accepts received
read -r sessions distinct dup < <(psql_ -F ' ' -c "SET search_path TO $run" -c "SELECT count(*), count(DISTINCT (dev_eui, dev_nonce)),
    (SELECT count(*) FROM (SELECT 1 FROM session GROUP BY dev_eui, dev_nonce HAVING count(*) > 1) d) FROM session")
echo "exactly-once: sessions=$sessions distinct (dev_eui, dev_nonce)=$distinct with more than one session=$dup"
rate=$(printf '%s' "$result" | sed -n 's/.* rate=\([0-9]*\).*/\1/p')
p50=$(printf '%s' "$result" | sed -n 's/.* p50=\([0-9.]*\)ms.*/\1/p'); p99=$(printf '%s' "$result" | sed -n 's/.* p99=\([0-9.]*\)ms.*/\1/p')
echo "RESULT instances=$instances balancer=$balancer joins=$joins rate=$rate p50_ms=$p50 p99_ms=$p99 servers_cpu_s=$(sec $servers_t)" \
    "pg_cpu_s=$(sec $pg_t) nginx_cpu_s=$(sec $((t1[nginx] - t0[nginx]))) load_cpu_s=$(sec $((t1[load] - t0[load])))" \
    "mine_pct=$(awk -v m="$mine" -v hz="$hz" -v w="$window" -v n="$(nproc)" 'BEGIN{printf "%.0f", 100 * m / hz / (w * n)}')" \
    "accepts_per_instance=$acc_list" \
    "machine_busy_pct=$(awk -v b="$busy" -v t="$((m_total1 - m_total0))" 'BEGIN{printf "%.0f", (t > 0 ? 100 * b / t : 0)}') duplicates=$dup"
[ "$dup" = 0 ] || { echo "scale-out: a DevNonce got more than one session" >&2; exit 1; }
