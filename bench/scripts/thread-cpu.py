#!/usr/bin/env python3
"""CPU per request of each group of a JVM's threads (JIT, GC, carriers, ledger, index, client) in ReadLoad windows.

    java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar dev.custos.bench.ReadLoad ... \
        | while IFS= read -r l; do echo "$(date -u +%FT%T.%3N) $l"; done > run.out &
    python3 bench/scripts/thread-cpu.py record $(pgrep -f 'ReadLoad --connections') run.json   # until it exits
    python3 bench/scripts/thread-cpu.py report run.json LABEL FROM TO REQUESTS [LABEL FROM TO REQUESTS ...]

`record` samples /proc/PID/task/*/stat once a second (Linux) until the process exits. `report` prints,
for each window (UTC times as the loop above stamps them: a window is the measured seconds before a
"round=" line; REQUESTS is requests/s times its length), the user and system CPU of each thread group
per request. Thread names are grouped by dropping their numbers, so "ForkJoinPool-1-worker-3" (the
virtual threads' carriers: the server's requests and the benchmark's clients) and "C2 CompilerThread0"
each count as one group. The kernel truncates names to 15 characters.
"""
import collections, datetime, json, os, re, sys, time


def record(pid, out):
    snaps = []
    while os.path.exists(f'/proc/{pid}'):
        snap = {}
        try:
            tids = os.listdir(f'/proc/{pid}/task')
        except OSError:
            break
        for tid in tids:
            try:
                st = open(f'/proc/{pid}/task/{tid}/stat').read()
            except OSError:
                continue
            name = st[st.index('(') + 1:st.rindex(')')]
            f = st[st.rindex(')') + 2:].split()
            snap[tid] = (name, int(f[11]), int(f[12]))
        snaps.append((time.time(), snap))
        with open(out, 'w') as o:
            json.dump(snaps, o)
        time.sleep(1)


def group(name):
    return re.sub(r'\d+', 'N', re.sub(r'[-#]?\d+$', '', name))


def report(path, windows):
    snaps = json.load(open(path))
    hz = os.sysconf('SC_CLK_TCK')
    at = lambda s: datetime.datetime.fromisoformat(s).replace(tzinfo=datetime.timezone.utc).timestamp()
    for i in range(0, len(windows), 4):
        label, lo, hi, reqs = windows[i], at(windows[i + 1]), at(windows[i + 2]), float(windows[i + 3])
        a = min(snaps, key=lambda s: abs(s[0] - lo))
        b = min(snaps, key=lambda s: abs(s[0] - hi))
        user, system = collections.Counter(), collections.Counter()
        for tid, (name, ut, st) in b[1].items():
            _, ut0, st0 = a[1].get(tid, (name, 0, 0))
            user[group(name)] += (ut - ut0) / hz
            system[group(name)] += (st - st0) / hz
        total = sum(user.values()) + sum(system.values())
        print(f'== {label}: {b[0] - a[0]:.1f} s, {total:.1f} CPU-s, {total / reqs * 1e6:.1f} µs/request')
        for g in sorted(user, key=lambda g: -(user[g] + system[g])):
            if user[g] + system[g] > 0:
                print(f'  {(user[g] + system[g]) / reqs * 1e6:7.1f} µs/request (user {user[g] / reqs * 1e6:6.1f},'
                      f' system {system[g] / reqs * 1e6:6.1f})  {g}')


if __name__ == '__main__':
    if len(sys.argv) >= 4 and sys.argv[1] == 'record':
        record(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 7 and sys.argv[1] == 'report' and (len(sys.argv) - 3) % 4 == 0:
        report(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
