#!/bin/bash
# Runs a benchmark command on a machine shared with background work, with that work paused.
#
#   bench/scripts/quiet.sh java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar dev.custos.bench.ReadLoad ...
#
# Every process running at nice 19 (start background builds and simulations with `nice -n 19`) is
# stopped with SIGSTOP before the command starts and once a second while it runs (so new ones are
# caught too), and all of them are resumed with SIGCONT when it ends, however it ends. `nice` alone
# does not keep them off the cores: with the kernel's sched_autogroup each session's group gets a
# fair share whatever the nice value of its processes.
set -u
if [ $# -eq 0 ]; then
  echo "usage: quiet.sh COMMAND [ARGS...]" >&2
  exit 2
fi
niced() { ps -eo pid=,ni= | awk '$2 == 19 { print $1 }'; }
stop_niced() { for p in $(niced); do kill -STOP "$p" 2>/dev/null; done; }
resume() {
  [ -n "${watcher:-}" ] && kill "$watcher" 2>/dev/null
  for p in $(niced); do kill -CONT "$p" 2>/dev/null; done
}
trap resume EXIT
trap 'exit 130' INT TERM
stop_niced
( while true; do stop_niced; sleep 1; done ) &
watcher=$!
"$@"
