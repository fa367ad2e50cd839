#!/usr/bin/python3
"""Draws datapath.png from datapath.csv (written by DatapathBenchmark): throughput per stream
count, CPU seconds per GB and ping RTT, medians with min-max whiskers; anchors in grey, Tunnelier
in colour. Usage: chart.py RESULTS_DIR [TITLE_NOTE]"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def num(s):
    return float(s) if s not in ("", None) else None


def main():
    out = sys.argv[1]
    note = sys.argv[2] if len(sys.argv) > 2 else ""
    with open(f"{out}/datapath.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["gbit_s_median"]]
    if not rows:
        print("chart: no measured rows", file=sys.stderr)
        return
    labels = list(dict.fromkeys(r["label"] for r in rows))
    anchor = {r["label"]: r["anchor"] == "true" for r in rows}
    streams = sorted({int(r["streams"]) for r in rows})
    by = {(r["label"], int(r["streams"])): r for r in rows}

    fig, axes = plt.subplots(1, 3, figsize=(17, 0.55 * len(labels) + 2.8),
                             gridspec_kw={"width_ratios": [2.2, 1.3, 1.1]})
    ys = range(len(labels))
    height = 0.8 / len(streams)
    shades = {True: ["#9a9a9a", "#cfcfcf"], False: ["#1f77b4", "#8fc1e6"]}

    ax = axes[0]
    for k, s in enumerate(streams):
        for i, label in enumerate(labels):
            r = by.get((label, s))
            if not r:
                continue
            med, lo, hi = num(r["gbit_s_median"]), num(r["gbit_s_min"]), num(r["gbit_s_max"])
            y = i + (k - (len(streams) - 1) / 2) * height
            ax.barh(y, med, height=height, color=shades[anchor[label]][k % 2],
                    xerr=[[med - lo], [hi - med]], capsize=2,
                    label=f"{s} stream{'s' if s > 1 else ''}" if i == 0 else None)
            ax.text(med, y, f" {med:.2f}", va="center", fontsize=7)
    ax.set_title("iperf3 TCP throughput, Gbit/s (median, min-max)")
    ax.legend(loc="lower right", fontsize=8)

    ax = axes[1]
    first = streams[0]
    for i, label in enumerate(labels):
        r = by.get((label, first))
        for k, (col, name) in enumerate([("host", "host"), ("datapath", "datapath processes")]):
            med = num(r[f"{col}_cpu_s_per_gb_median"])
            if med is None:
                continue
            lo, hi = num(r[f"{col}_cpu_s_per_gb_min"]), num(r[f"{col}_cpu_s_per_gb_max"])
            y = i + (k - 0.5) * 0.4
            ax.barh(y, med, height=0.4, color=shades[anchor[label]][k],
                    xerr=[[med - lo], [hi - med]], capsize=2,
                    label=name if i == len(labels) - 1 else None)
            ax.text(med, y, f" {med:.1f}", va="center", fontsize=7)
    ax.set_title(f"CPU seconds per GB moved ({first} stream)")
    ax.legend(loc="lower right", fontsize=8)

    ax = axes[2]
    for i, label in enumerate(labels):
        r = by.get((label, first))
        med, lo, hi = num(r["rtt_ms_median"]), num(r["rtt_ms_min"]), num(r["rtt_ms_max"])
        if med is None:
            continue
        ax.barh(i, med, height=0.6, color=shades[anchor[label]][0],
                xerr=[[med - lo], [0]], capsize=2)
        ax.text(med, i, f" {med:.3f}", va="center", fontsize=7)
    ax.set_title("ping RTT, ms (median; whisker to min)")

    for ax in axes:
        ax.set_yticks(list(ys))
        ax.set_yticklabels(labels if ax is axes[0] else [])
        ax.invert_yaxis()
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Tunnelier datapath vs anchors, same namespaces and veth underlay" +
                 (f" - {note}" if note else ""), fontsize=11)
    fig.tight_layout()
    fig.savefig(f"{out}/datapath.png", dpi=110)
    print(f"chart: {out}/datapath.png")


if __name__ == "__main__":
    main()
