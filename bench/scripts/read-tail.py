#!/usr/bin/env python3
"""Lines up the slow masked reads of a ReadLoad run with GC pauses and file forces.

    java -Xms2g -Xmx2g -Xlog:gc:file=gc.log:time,uptime,tags \
        "-XX:StartFlightRecording=filename=read.jfr,settings=default,jdk.FileForce#threshold=1ms" \
        -cp bench/target/benchmarks.jar dev.custos.bench.ReadLoad --connections 64 --warmup 10 --seconds 20 \
        --rounds 1 --customers 1000 --rate 2000 --trace read.trace
    python3 bench/scripts/read-tail.py read.trace gc.log read.jfr

Prints how many reads took over 10 ms, how many of those were in flight during a GC pause, during a
write-ahead-log force, a ledger tile/checkpoint force or an access-index force of over 5 ms, and when
in the wall-clock second they were due (the ledger publishes and the index catches up once a second).
JFR prints times of day in the machine's time zone; run it where that is UTC.
"""
import sys, re, datetime, bisect, subprocess, collections
trace, gclog = sys.argv[1], sys.argv[2]
jfr = sys.argv[3] if len(sys.argv) > 3 else None
reqs = [tuple(map(float, l.split())) for l in open(trace)]  # due ms, latency us
reqs.sort()
n = len(reqs); lat = sorted(r[1] for r in reqs)
p99 = lat[int(0.99*n)-1]
print(f'requests {n}, p50 {lat[n//2]/1000:.2f} ms, p99 {p99/1000:.2f} ms')
slow = [r for r in reqs if r[1] > 10000]
print(f'slow (>10 ms): {len(slow)} = {100*len(slow)/n:.2f}%')
# GC pauses: [time][uptime][gc] ... Pause ... X.XXXms
pauses = []
for l in open(gclog):
    m = re.match(r'\[([^\]]+)\]\[[^\]]+\]\[gc\s*\].*Pause.* ([\d.]+)ms$', l.strip())
    if m:
        t = datetime.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f%z').timestamp()*1000
        d = float(m.group(2)); pauses.append((t-d, t, d))
t0, t1 = reqs[0][0], reqs[-1][0]
pw = [p for p in pauses if p[1] >= t0 and p[0] <= t1 + 1000]
print(f'GC pauses in window: {len(pw)}, total {sum(p[2] for p in pw):.0f} ms, max {max([p[2] for p in pw] or [0]):.1f} ms')
def overlaps(r, ivs):
    s, e = r[0], r[0] + r[1]/1000
    return any(a <= e and b >= s for a, b, *_ in ivs)
ingc = sum(1 for r in slow if overlaps(r, pw))
print(f'slow requests in flight during a GC pause: {ingc} of {len(slow)}')
if jfr:
    out = subprocess.run(['/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr', 'print', '--events', 'jdk.FileForce', '--stack-depth', '1', jfr], capture_output=True, text=True).stdout
    forces = collections.defaultdict(list)
    for e in out.split('jdk.FileForce')[1:]:
        st = re.search(r'startTime = (\S+)', e); du = re.search(r'duration = ([\d.]+) (ms|s|us)', e); p = re.search(r'path = "([^"]*)"', e)
        if not (st and du and p): continue
        ms = float(du.group(1)) * {'ms': 1, 's': 1000, 'us': 0.001}[du.group(2)]
        # startTime like 17:23:51.450 (local time of day)
        k = re.sub(r'.*/custos/', '', p.group(1)); k = re.sub(r'\d+', 'N', k); k = 'wal' if 'wal' in k else ('index' if k.startswith('index') else 'publish')
        hh, mm, ss = st.group(1).split(':')
        forces[k].append((hh, mm, float(ss), ms))
    day = datetime.datetime.fromtimestamp(t0/1000, datetime.timezone.utc)
    for k, v in forces.items():
        ivs = []
        for hh, mm, ss, ms in v:
            t = day.replace(hour=int(hh), minute=int(mm), second=0, microsecond=0).timestamp()*1000 + ss*1000
            ivs.append((t, t+ms))
        ivs.sort()
        inw = [i for i in ivs if i[1] >= t0 and i[0] <= t1 + 1000]
        long_ = [i for i in inw if i[1]-i[0] > 5]
        c = sum(1 for r in slow if overlaps(r, long_))
        print(f'{k:8s} forces in window {len(inw)}, >5 ms {len(long_)}; slow requests overlapping a >5 ms force of this kind: {c}')
# phase within the second (publishes are once a second)
ph = collections.Counter(int((r[0] % 1000)//100) for r in slow)
print('slow requests by tenth of the wall-clock second:', [ph[i] for i in range(10)])
