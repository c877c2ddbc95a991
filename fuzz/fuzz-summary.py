#!/usr/bin/env python3
"""Prints, per fuzz target, the executions, coverage and time of the last fuzzing pass, read from the
console output of `mvn -P reliability ...` (libFuzzer writes to the console, not to the reports)."""
import re
import sys

target = None
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"using inputs from: .*/([A-Za-z0-9]+)Inputs/", line)
    if m:
        target = m.group(1)
    m = re.search(r"#(\d+)\s+DONE\s+cov: (\d+) ft: (\d+) corp: (\d+)/", line)
    if m and target:
        done = m
    m = re.search(r"Done (\d+) runs in (\d+) second", line)
    if m and target:
        print("%-26s %10s runs in %3s s  cov %5s  ft %5s  corpus %5s" % (
            target, m.group(1), m.group(2), done.group(2), done.group(3), done.group(4)))
        target = None
