#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file (run.sh PROFILE=1): where the CPU samples are.

usage: profile-summary.py FILE [FRAME-SUBSTRING ...]
Prints the share of samples in the kernel, by leaf package, the hottest leaf frames, the system calls the kernel
samples sit under, and the inclusive share of every frame that contains one of the given substrings
(default: io/damoov/gateway)."""
import collections
import sys


def main():
    path, patterns = sys.argv[1], sys.argv[2:] or ["io/damoov/gateway"]
    total = 0
    by_thread, by_package, by_leaf, inclusive, syscalls = (collections.Counter() for _ in range(5))
    for line in open(path):
        stack, _, n = line.rstrip("\n").rpartition(" ")
        if not stack:
            continue
        n = int(n)
        total += n
        frames = stack.split(";")
        by_thread[frames[0][:60]] += n
        leaf = frames[-1]
        if leaf.endswith("_[k]"):
            by_package["kernel"] += n
            user = [f for f in frames if not f.endswith("_[k]")]
            syscalls[" < ".join(reversed(user[-3:]))[:150]] += n
        elif "/" in leaf:
            by_package[".".join(leaf.split("/")[:3])] += n
        else:
            by_package["native: " + leaf[:40]] += n
        by_leaf[leaf] += n
        for f in set(frames):
            if any(p in f for p in patterns):
                inclusive[f] += n
    if total == 0:
        sys.exit("no samples in " + path)

    def show(title, counter, limit):
        print(f"-- {title}")
        for key, v in counter.most_common(limit):
            print(f"{100.0 * v / total:5.1f}%  {key[:150]}")

    print(f"{total} samples")
    show("by leaf package (kernel: the sample was in a system call)", by_package, 15)
    show("kernel samples by the calls above them", syscalls, 10)
    show("hottest leaf frames", by_leaf, 25)
    show("inclusive, frames matching " + " ".join(patterns), inclusive, 40)


if __name__ == "__main__":
    main()
