#!/usr/bin/env bash
# The hookengine load harness: the engine delivering to a local receiver on the in-memory store and
# on an embedded PostgreSQL, beside the bare transport (signing on its sending threads, and
# pre-signed), and the standalone server (engine-server/target/engine-server.jar) started as processes
# of its own. Writes benchmarks/results/<date>-<mode>.md.
#
#   mvn -B -q -DskipTests package          # once, from the repository root: both jars
#   benchmarks/run-load.sh --quick         # about 5 minutes on 2 cores, the server runs included
#   benchmarks/run-load.sh --full          # longer runs, more configs, paced at 1,000 and 2,000/s
#   benchmarks/run-load.sh --smoke         # under a minute: does the harness work? (prints only; no server runs)
#   benchmarks/run-load.sh --faults        # the fault runs (issue 18), about 6 minutes: a kill loop, a PostgreSQL
#                                          # restart and a hostile receiver, each under steady publishing through
#                                          # three servers, ending with the exactly-once-or-explained check;
#                                          # writes benchmarks/results/<date>-faults.md (options: --faults --help)
#   benchmarks/run-load.sh --quick --jfr   # also records JFR profiles to benchmarks/results/<date>-<mode>.jfr,
#                                          # and one per server process to <date>-<mode>-server-*.jfr
#   benchmarks/run-load.sh --quick --server-only --server-nodes 1,2   # only the runs through the server
#
# Any other option goes to the harness (--events N, --rates 500,1000, --no-postgres, --poll-ms N,
# --pg-synchronous-commit off, --no-server, --server-events N, --note "..."); see LoadOptions or run
# with --help.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jar=benchmarks/target/benchmarks.jar
if [[ ! -f $jar ]]; then
  echo "no $jar: build it first with  mvn -B -q -DskipTests package" >&2
  exit 2
fi

mode=quick
jfr=false
args=()
for arg in "$@"; do
  case "$arg" in
    --quick|--full|--smoke|--faults) mode="${arg#--}"; args+=("$arg") ;;
    --jfr) jfr=true ;;
    *) args+=("$arg") ;;
  esac
done

# A fixed heap, so that the heap figures of two runs compare; G1, the JDK's default.
jvm=(-Xms2g -Xmx2g -XX:+UseG1GC)
if $jfr; then
  mkdir -p benchmarks/results
  jvm+=("-XX:StartFlightRecording=filename=benchmarks/results/$(date -u +%F)-$mode.jfr,settings=profile")
  args+=(--server-jfr "benchmarks/results/$(date -u +%F)-$mode")
fi

# A smoke run only checks that the harness works: its figures are not worth a results file.
if [[ $mode != smoke ]]; then
  args=(--results-dir benchmarks/results "${args[@]}")
fi

exec java "${jvm[@]}" -cp "$jar" dev.hookengine.benchmarks.load.LoadHarness "${args[@]}"
