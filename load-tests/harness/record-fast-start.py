#!/usr/bin/env python3
"""Records the deployed fast-start image's start-up cost in docs/scaling/measurements.json (the burst model's input).
Reads the Markdown table that notejam-app/benchmarks/startup.sh prints (mode jdk25-aot-cache, the fast-start image's
mode) from its saved output, so the figure is never typed by hand:
  flock /tmp/bench.lock nice -n -20 notejam-app/benchmarks/startup.sh 3 jdk25-aot-cache > startup.out
  load-tests/harness/record-fast-start.py startup.out <commit> "<uptime before>"
Standard library only."""
import json
import os
import sys

out_file, commit = sys.argv[1], sys.argv[2]
load_before = sys.argv[3] if len(sys.argv) > 3 else ""
docs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "scaling", "measurements.json")
row = None
runs = []
for line in open(out_file):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    # startup.sh's table: | build | mode | median ms | ratio | runs | CPU s | Spring s |; the first build measured
    # in the fast-start mode is the one recorded (run it with BENCH_BUILDS unset, or the app's build first).
    if row is None and len(cells) >= 6 and cells[1] == "jdk25-aot-cache":
        row = cells[1:]
    if "jdk25-aot-cache run" in line and "CPU" in line:
        runs.append(float(line.split("CPU ")[1].split(" s")[0]))
if row is None:
    sys.exit("no jdk25-aot-cache row in " + out_file)
m = json.load(open(docs))
m["fastStartCpuSeconds"] = float(row[4])
m["fastStartCpuSecondsSamples"] = runs
m["fastStartReadySeconds"] = float(row[1]) / 1000.0
m["fastStartSource"] = ("notejam-app/benchmarks/startup.sh jdk25-aot-cache (Spring AOT + JDK 25 AOT cache, the fast-start "
                        "image's mode; SPRING_FLYWAY_ENABLED=false and the chart's heap options) on " + commit
                        + ("; load average before " + load_before if load_before else ""))
with open(docs, "w") as f:
    json.dump(m, f, indent=2)
    f.write("\n")
print("fastStartCpuSeconds", m["fastStartCpuSeconds"], "from", commit)
