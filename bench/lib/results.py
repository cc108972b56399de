#!/usr/bin/env python3
"""Parsing and reporting for bench/run. Standard library only.

  results.py producer LOG    ProducerPerformance's final line -> "records rec/s MB/s avg_ms p50 p99 p99.9"
  results.py consumer LOG    ConsumerPerformance's result line -> "records MB MB/s rec/s rebalance_ms fetch_MB/s"
  results.py reader LOG      BenchClient read's line            -> "records bytes ms"
  results.py report RAW_TSV [TITLE]  the tables of medians and Brook/Kafka ratios (TITLE heads the first one)

The parse commands exit 1 when the log holds no result line. MB means 2^20 bytes, as in Kafka's tools.

RAW_TSV columns: round, broker, workload, metric, value, note. value is a number or FAIL.
Metrics: ms, lat_ms (shown with decimals), mib (lower is better), mbps, recps (higher is better), cpu_s_per_gb (lower is better),
cpu_s, bytes, rebalance_ms (information).
"""
import csv
import re
import statistics
import sys
from collections import OrderedDict

PRODUCER = re.compile(
    r"^(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
    r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th"
)
READER = re.compile(r"^records=(\d+) bytes=(\d+) ms=([\d.]+)")


def parse(kind, path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    if kind == "producer":
        for line in reversed(lines):
            m = PRODUCER.match(line)
            if m:
                g = m.groups()
                return [g[0], g[1], g[2], g[3], g[5], g[7], g[8]]
    elif kind == "consumer":
        # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
        # rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
        for line in reversed(lines):
            fields = [x.strip() for x in line.split(",")]
            if len(fields) == 10 and re.match(r"^\d{4}-", fields[0]):
                return [fields[4], fields[2], fields[3], fields[5], fields[6], fields[8]]
    elif kind == "reader":
        for line in reversed(lines):
            m = READER.match(line)
            if m:
                return list(m.groups())
    else:
        sys.exit(__doc__)
    return None


HIGHER_IS_BETTER = {"mbps", "recps"}
RATIO_METRICS = {"ms", "lat_ms", "mib", "mbps", "recps", "cpu_s_per_gb"}
UNIT = {"ms": "ms", "lat_ms": "ms", "mib": "MiB", "mbps": "MB/s", "recps": "rec/s", "cpu_s_per_gb": "CPU s/GB"}


def numbers(values):
    return [float(v) for v in values if v not in ("FAIL", "", None)]


def median_of(values):
    nums = numbers(values)
    return (statistics.median(nums) if nums else None), len(nums), len(values)


def fmt(stat, metric):
    """stat: (median, ok count, total count) from median_of."""
    x, _, total = stat
    if x is None:
        return "FAIL" if total else "n/a"
    if metric == "recps":
        return "{:,.0f}".format(x)
    if metric in ("mbps", "cpu_s_per_gb", "lat_ms"):
        return "{:.2f}".format(x) if x < 100 else "{:.1f}".format(x)
    return "{:.0f}".format(x)


def overlap(brook_values, kafka_values):
    """True when both brokers have 2+ figures and their min..max ranges overlap: noise may explain the gap."""
    b, k = numbers(brook_values), numbers(kafka_values)
    return len(b) >= 2 and len(k) >= 2 and min(b) <= max(k) and min(k) <= max(b)


def verdict(ratio, metric, brook_values=(), kafka_values=()):
    if ratio is None:
        return ""
    better = ratio > 1 if metric in HIGHER_IS_BETTER else ratio < 1
    if abs(ratio - 1) < 0.05:
        return "~ same"
    if overlap(brook_values, kafka_values):
        return "~ (rounds overlap)"
    return "Brook better" if better else "Kafka better"


def ratio_of(b, k):
    return b / k if b is not None and k not in (None, 0) else None


def counts(brook_stat, kafka_stat):
    (_, nb, tb), (_, nk, tk) = brook_stat, kafka_stat
    return "" if nb == tb and nk == tk or 0 in (tb, tk) else "  (ok rounds: Brook {}/{}, Kafka {}/{})".format(nb, tb, nk, tk)


def table(rows, header):
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    out = []
    for n, r in enumerate([header] + rows):
        last = len(header) - 1
        cells = [str(c).ljust(widths[i]) if i in (0, last) else str(c).rjust(widths[i]) for i, c in enumerate(r)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def report(path, title="Start-up, memory and CPU (medians; lower is better, so Brook/Kafka < 1 = Brook better)"):
    data = OrderedDict()  # (workload, metric) -> broker -> [values]
    notes = []
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            data.setdefault((row["workload"], row["metric"]), {}).setdefault(row["broker"], []).append(row["value"])
            if row["value"] == "FAIL" and row["note"]:
                notes.append("round {} {} {}: {}".format(row["round"], row["broker"], row["workload"], row["note"]))

    def values(workload, metric, broker):
        return data.get((workload, metric), {}).get(broker, [])

    def med(workload, metric, broker):
        return median_of(values(workload, metric, broker))

    def judge(ratio, workload, metric):
        return verdict(ratio, metric, values(workload, metric, "brook"), values(workload, metric, "kafka"))

    # Table 1: single figures (start-up, memory, totals), lower is better.
    singles = []
    for (workload, metric) in data:
        if workload.startswith(("produce ", "consume ")) or metric not in RATIO_METRICS:
            continue
        b, k = med(workload, metric, "brook"), med(workload, metric, "kafka")
        r = ratio_of(b[0], k[0])
        label = "{} ({})".format(workload, UNIT[metric])
        singles.append([label, fmt(b, metric), fmt(k, metric), "" if r is None else "{:.2f}".format(r),
                        judge(r, workload, metric) + counts(b, k)])
    print(title)
    print(table(singles, ["figure", "Brook", "Kafka", "Brook/Kafka", "verdict"]))
    print()

    # Table 2: workloads: throughput (higher is better) and broker CPU per GB moved (lower is better).
    workloads = OrderedDict((w, None) for (w, m) in data if w.startswith(("produce ", "consume ")))
    rows = []
    for w in workloads:
        b, k = med(w, "mbps", "brook"), med(w, "mbps", "kafka")
        cb, ck = med(w, "cpu_s_per_gb", "brook"), med(w, "cpu_s_per_gb", "kafka")
        r, rc = ratio_of(b[0], k[0]), ratio_of(cb[0], ck[0])
        rows.append([w, fmt(b, "mbps"), fmt(k, "mbps"), "" if r is None else "{:.2f}".format(r),
                     fmt(med(w, "recps", "brook"), "recps"), fmt(med(w, "recps", "kafka"), "recps"),
                     fmt(cb, "cpu_s_per_gb"), fmt(ck, "cpu_s_per_gb"), "" if rc is None else "{:.2f}".format(rc),
                     judge(r, w, "mbps") + counts(b, k)])
    if rows:
        print("Throughput (medians; MB/s, higher is better: ratio > 1 = Brook better) and")
        print("broker CPU seconds per GB moved (lower is better: ratio < 1 = Brook better)")
        print(table(rows, ["workload", "Brook MB/s", "Kafka MB/s", "ratio", "Brook rec/s", "Kafka rec/s",
                           "Brook CPU s/GB", "Kafka CPU s/GB", "ratio", "throughput verdict"]))
        print()
    rounds = max((len(v) for by in data.values() for v in by.values()), default=0)
    if rounds < 2:
        print("Last column: 'better' when the medians differ by 5 % or more. With one round that is a single")
        print("measurement each: on a shared machine run 3+ rounds before drawing conclusions.")
    else:
        print("Last column: 'better' when the medians differ by 5 % or more and the two brokers' min..max over")
        print("the rounds do not overlap; '~ (rounds overlap)' when the spread between rounds could explain the gap.")
    if notes:
        print()
        print("Failures:")
        for n in notes:
            print("  " + n)


def main():
    if len(sys.argv) not in (3, 4) or (len(sys.argv) == 4 and sys.argv[1] != "report"):
        sys.exit(__doc__)
    kind, path = sys.argv[1], sys.argv[2]
    if kind == "report":
        report(path, *sys.argv[3:])
        return 0
    values = parse(kind, path)
    if values is None:
        return 1
    print(" ".join(values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
