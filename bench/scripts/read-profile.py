#!/usr/bin/env python3
"""Splits a JFR recording of a ReadLoad masked-read window by part of the read path.

    java -Xms2g -Xmx2g "-XX:StartFlightRecording=filename=read.jfr,settings=profile" \
        -cp bench/target/benchmarks.jar dev.custos.bench.ReadLoad --connections 64 --agents 16 --warmup 10 \
        --seconds 20 --rounds 1 --customers 1000 | while IFS= read -r l; do echo "$(date -u +%FT%T.%3N) $l"; done
    python3 bench/scripts/read-profile.py read.jfr 2026-11-21T20:05:48.5 2026-11-21T20:06:08.4

The window is the 20 s before the "masked-read round=0" line (the time stamps the loop above adds;
JFR's are UTC). Each execution sample and each allocation sample (by weight) is attributed to the
first part in PARTS that any frame of its stack matches, so a sample inside the vault under the
broker counts as vault. Prints the shares. Needs the JDK's `jfr` (JFR env var, or on the PATH);
the JSON it prints is kept beside the recording (FILE.json) for reruns.
"""
import collections, json, os, shutil, subprocess, sys

PARTS = [
    ('detector (bus, Containment, Detector)', ['dev.custos.detect.', 'Containment.onAccess', 'Containment.observe', 'CustomerAccess.publish']),
    ('masks', ['AccessBroker.masked', 'dev.custos.vault.Mask.']),
    ('vault prepare/open (decrypt, decode)', ['dev.custos.vault.']),
    ('ledger entry (map + canonical JSON)', ['AccessBroker.entry', 'CanonicalJson', 'AccessBroker.purpose']),
    ('ledger append + wait (request side)', ['TimedLedger.append', 'AccessLedger']),
    ('answer JSON', ['CustomerRoutes.answer', 'FieldValues', 'HttpApi.json']),
    ('guardrails/quota', ['Guardrails', 'Quota']),
    ('policy decide', ['AccessPolicy']),
    ('ticket/case facts', ['AccessBroker.facts', 'CachedTicketStore', 'TicketTable']),
    ('session check', ['StaffAuth', 'RecentSessions', 'Sessions.check']),
    ('containment admit', ['Containment.admit']),
    ('other broker', ['AccessBroker']),
    ('ledger background (sequencer, integrate, publish)', ['dev.custos.ledger.']),
    ('access index', ['AccessIndex', 'dev.custos.store.index.']),
    ('bench HTTP client', ['jdk.internal.net.http', 'dev.custos.bench', 'java.net.http']),
    ('middleware (request id, metrics, headers)', ['HttpApi', 'ApiRoute', 'io.micrometer']),
    ('Jetty/Javalin', ['org.eclipse.jetty', 'io.javalin']),
    ('PostgreSQL driver/Hikari', ['org.postgresql', 'com.zaxxer']),
    ('logging', ['ch.qos.logback', 'org.slf4j']),
    ('JDK scheduler/virtual threads', ['java.util.concurrent.ForkJoin', 'java.lang.VirtualThread', 'jdk.internal.vm.Continuation']),
]


def part(names):
    for label, keys in PARTS:
        for n in names:
            if any(k in n for k in keys):
                return label
    return 'other: ' + (names[0] if names else '?')


def main():
    f, lo, hi = sys.argv[1], sys.argv[2], sys.argv[3]
    cache = f + '.json'
    if not os.path.exists(cache):
        jfr = os.environ.get('JFR') or shutil.which('jfr') or os.path.join(os.environ.get('JAVA_HOME', ''), 'bin', 'jfr')
        with open(cache, 'w') as out:
            subprocess.run([jfr, 'print', '--json', '--stack-depth', '96', '--events',
                            'jdk.ExecutionSample,jdk.ObjectAllocationSample', f], stdout=out, check=True)
    events = json.load(open(cache))['recording']['events']
    cpu, alloc = collections.Counter(), collections.Counter()
    for e in events:
        t = e['values']['startTime']
        if t < lo or t > hi:
            continue
        st = e['values'].get('stackTrace')
        names = [(x['method']['type']['name'] + '.' + x['method']['name']).replace('/', '.') for x in (st['frames'] if st else [])]
        if e['type'] == 'jdk.ExecutionSample':
            cpu[part(names)] += 1
        else:
            alloc[part(names)] += e['values']['weight']
    n, total = sum(cpu.values()), sum(alloc.values())
    print(f'execution samples: {n}')
    for c, k in cpu.most_common():
        print(f'  {100 * k / n:5.1f}%  {k:6d}  {c}')
    print(f'allocation samples (weight): {total / 1e6:.0f} MB')
    for c, w in alloc.most_common(25):
        print(f'  {100 * w / total:5.1f}%  {w / 1e6:8.1f} MB  {c}')


if __name__ == '__main__':
    main()
