# Sourced by the HTTP load scripts of caracal-bench (not run on its own). After
# `start_throughput_servers <stack>` (HttpThroughputServer's first argument), $base, $token and $control
# hold the example's base URL, a repeat-use mandate and the control server's base URL; both servers have
# had 20 s of load each, and they stop when the calling script exits. Builds caracal-bench first.
start_throughput_servers() {
  ./mvnw -B -q -DskipTests -pl caracal-bench -am package
  servers_out="$(mktemp)"
  java -cp "caracal-bench/target/caracal-bench.jar:caracal-bench/target/lib/*" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    ai.caracal.bench.load.HttpThroughputServer "$1" > "$servers_out" &
  server=$!
  trap 'kill $server 2>/dev/null || true; rm -f "$servers_out"' EXIT
  for _ in $(seq 1 300); do grep -q '^ready$' "$servers_out" && break; sleep 0.2; done
  base="$(sed -n 1p "$servers_out")"; token="$(sed -n 2p "$servers_out")"; control="$(sed -n 3p "$servers_out")"
  # Warm-up: throughput on loopback keeps climbing for about 15 s of load (JIT), on both servers.
  wrk -t2 -c32 -d20s -H "Authorization: Bearer $token" "$base/api/documents" >/dev/null
  wrk -t2 -c32 -d20s -H "Authorization: Bearer $token" "$control/api/documents" >/dev/null
}
