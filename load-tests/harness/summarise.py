#!/usr/bin/env python3
"""Turns the harness's raw results (load-tests/target/harness) into docs/scaling/experiments/*.md and
docs/scaling/measurements.json (the capacity model's input). Standard library only."""
import json
import os
import re
import statistics
import sys

work, docs = sys.argv[1], sys.argv[2]
experiments = os.path.join(docs, "experiments")
os.makedirs(experiments, exist_ok=True)


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def gatling(d):
    out = read(os.path.join(d, "gatling.out"))
    block = out.split("Global Information")[-1].split("Response Time Distribution")[0] if "Global Information" in out else ""
    fig = {}
    for line in block.splitlines():
        cells = [c.strip().replace(",", "") for c in line.split("|")]
        if len(cells) >= 4 and cells[0].startswith(">"):
            name = cells[0][1:].strip()
            fig[name] = cells[1:4]
    errors = []
    if "---- Errors" in out:
        for line in out.split("---- Errors")[-1].split("=====")[0].splitlines():
            m = re.match(r"> (.*?)\s+(\d+) \(\s*([\d.]+)%\)", line)
            if m:
                errors.append((m.group(1).strip(), int(m.group(2))))
    def num(key, col=0):
        # Gatling's labels carry units: "response time 95th percentile (ms)", "mean throughput (rps)"
        for name, cells in fig.items():
            if name == key or name.startswith(key + " ("):
                try:
                    return float(cells[col])
                except (ValueError, IndexError):
                    return float("nan")
        return float("nan")
    journeys = json.loads(read(os.path.join(d, "journeys.json"), "{}") or "{}")
    done = re.findall(r"done:\s+(\d+)", out)
    return {
        "requests": num("request count"), "ok": num("request count", 1), "ko": (lambda v: 0.0 if v != v else v)(num("request count", 2)),
        "p50": num("response time 50th percentile"), "p95": num("response time 95th percentile"),
        "p99": num("response time 99th percentile"), "max": num("max response time"),
        "rps": num("mean throughput"), "errors": errors, "journeys": journeys,
        "users": int(done[-1]) if done else 0,
        "slo": [l for l in out.splitlines() if l.startswith("Global:")],
        "status": read(os.path.join(d, "gatling.status"), "?").strip(),
        "loadavg_end": read(os.path.join(d, "loadavg-end.txt")).strip(),
    }


def writes(d):
    result = {}
    for line in read(os.path.join(d, "writes-check.txt")).splitlines():
        parts = line.split("|")
        if len(parts) == 2:
            result[parts[0]] = int(parts[1])
    return result


def table(rows):
    head = "| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n"
    return head + "".join("| " + " | ".join(str(c) for c in r) + " |\n" for r in rows[1:])


def fmt(x, spec=".0f"):
    return "n/a" if x != x else format(x, spec)


starts = [float(x) for x in read(os.path.join(work, "start-to-ready.txt")).split()]
start_cpu = [float(x) for x in read(os.path.join(work, "start-cpu-seconds.txt")).split()]
machine_note = ("2 vCPUs of a shared VM, used by the load generator (Gatling), HAProxy, PostgreSQL, Redis and every "
                "app instance at once; the load average and the VM's CPU steal (time the hypervisor gave to other "
                "guests) are in the tables")
commands = {
    "calibrate": "load-tests/harness/run-experiment.sh calibrate",
    "capacity": "load-tests/harness/run-experiment.sh capacity",
    "failover": "load-tests/harness/run-experiment.sh failover",
    "rollout": "load-tests/harness/run-experiment.sh rollout",
}
summary = {}

cal_dir = os.path.join(work, "calibrate")
if os.path.isdir(cal_dir):
    g = gatling(cal_dir)
    cal = json.loads(read(os.path.join(cal_dir, "calibration.json"), "{}") or "{}")
    summary["calibrate"] = (g, cal)
    with open(os.path.join(experiments, "calibrate.md"), "w") as f:
        f.write("# Calibration: one instance at baseline\n\nCommand: `%s` (Gatling `baseline` profile, 90 s, "
                "through HAProxy).\nMachine: %s.\n\n" % (commands["calibrate"], machine_note))
        f.write(table([["figure", "value"],
                       ["requests (OK / KO)", "%d (%d / %d)" % (g["requests"], g["ok"], g["ko"])],
                       ["throughput", fmt(g["rps"], ".1f") + " req/s"],
                       ["p50 / p95 / p99", "%s / %s / %s ms" % (fmt(g["p50"]), fmt(g["p95"]), fmt(g["p99"]))],
                       ["app CPU per request (user+sys, all threads)", fmt(cal.get("cpuSecondsPerRequest", float("nan")) * 1000, ".2f") + " ms"],
                       ["idle CPU of an instance", fmt(cal.get("idleCpuCores", float("nan")), ".3f") + " cores"],
                       ["machine CPU busy during the run (without work at a positive nice, which yields to the run)", fmt(cal.get("machineCpuUtilization", float("nan")) * 100) + " %"],
                       ["app build measured", os.environ.get("APP_COMMIT", "n/a")],
                       ["load average before", cal.get("loadAverageBefore", "n/a")],
                       ["load average at the end", g["loadavg_end"]],
                       ["Gatling SLO assertions", "; ".join(g["slo"]) or "n/a"]]))

cap_rows = [["instances", "requests (KO)", "throughput req/s", "p50 ms", "p95 ms", "p99 ms", "errors %", "machine CPU", "load avg at end"]]
capacity_runs = []
for n in (1, 2, 3):
    d = os.path.join(work, "capacity-%d" % n)
    if not os.path.isdir(d):
        continue
    g = gatling(d)
    cpu = float(read(os.path.join(d, "machine-cpu.txt"), "nan") or "nan")
    err = 100.0 * g["ko"] / g["requests"] if g["requests"] else float("nan")
    cap_rows.append([n, "%d (%d)" % (g["requests"], g["ko"]), fmt(g["rps"], ".1f"), fmt(g["p50"]), fmt(g["p95"]),
                     fmt(g["p99"]), fmt(err, ".2f"), fmt(cpu * 100) + " %", g["loadavg_end"]])
    capacity_runs.append({"instances": n, "throughputRps": g["rps"], "p95Ms": g["p95"], "errorPercent": err,
                          "machineCpuUtilization": cpu})
if capacity_runs:
    with open(os.path.join(experiments, "capacity.md"), "w") as f:
        f.write("# Horizontal capacity: the same burst against 1, 2 and 3 instances\n\nCommand: `%s` (Gatling `burst4x` "
                "profile shortened to 20 s baseline, 60 s ramp to 4x, 60 s hold, 20 s ramp down, 10 s after; "
                "open workload, so the offered load is the same for every instance count).\nMachine: %s.\n\n"
                % (commands["capacity"], machine_note))
        f.write(table(cap_rows))
        f.write("\nWhy gains are sub-linear here: every instance, the database, Redis, HAProxy and Gatling itself share "
                "the same 2 cores, so a second or third JVM adds no CPU, only more threads, heaps and JIT work competing "
                "for it. What more instances buy on one machine is shorter queues per instance and resilience, not "
                "throughput; on Kubernetes each pod brings its own CPU request, which the capacity model accounts for.\n\n")
        for n in (1, 2, 3):
            f.write("![capacity-%d](capacity-%d.png)\n\n" % (n, n))

for name, title in (("failover", "Statelessness and failover: SIGKILL of one of 3 instances under load"),
                    ("rollout", "Zero-downtime rollout: each of 3 instances replaced in turn under load")):
    d = os.path.join(work, name)
    if not os.path.isdir(d):
        continue
    g = gatling(d)
    w = writes(d)
    summary[name] = (g, w)
    with open(os.path.join(experiments, name + ".md"), "w") as f:
        f.write("# %s\n\nCommand: `%s` (Gatling `baseline` profile, 3 instances behind HAProxy with readiness health "
                "checks every 1 s).\nMachine: %s.\n\n" % (title, commands[name], machine_note))
        rows = [["figure", "value"],
                ["requests (OK / KO)", "%d (%d / %d)" % (g["requests"], g["ok"], g["ko"])],
                ["failed requests", "%d (%.3f %%)" % (g["ko"], 100.0 * g["ko"] / g["requests"] if g["requests"] else 0)],
                ["p95 / p99 / max", "%s / %s / %s ms" % (fmt(g["p95"]), fmt(g["p99"]), fmt(g["max"]))],
                ["signed-in pages answered", g["journeys"].get("signedInPages", "n/a")],
                ["lost sessions (signed-in page came back signed out)", g["journeys"].get("lostSessions", "n/a")],
                ["acknowledged writes (create/edit/delete answered OK)", g["journeys"].get("acknowledgedWrites", "n/a")],
                ["notes checked against PostgreSQL", w.get("acknowledged_notes", "n/a")],
                ["acknowledged notes missing in the database", w.get("missing_in_db", "n/a")],
                ["acknowledged edits not in the database", w.get("stale_name_in_db", "n/a")],
                ["acknowledged deletes not applied", w.get("deleted_but_present", "n/a")],
                ["load average at the end", g["loadavg_end"]]]
        f.write(table(rows))
        if g["errors"]:
            f.write("\nErrors as Gatling reported them:\n\n" + table([["error", "count"]] + [[e.replace("|", "/"), c] for e, c in g["errors"]]))
        if name == "rollout":
            f.write("\nRollout log:\n\n```\n" + read(os.path.join(d, "rollout.log")) + "```\n")
        f.write("\n![%s](%s.png)\n" % (name, name))

if "calibrate" in summary:
    g, cal = summary["calibrate"]
    previous = json.loads(read(os.path.join(docs, "measurements.json"), "{}") or "{}")
    if not capacity_runs and previous.get("capacityRuns"):
        # a calibrate-only run: the burst table of the last capacity run stays (it is context, not a model input)
        capacity_runs = previous["capacityRuns"]
    measurements = {
        "source": "load-tests/harness/run-experiment.sh calibrate (1 instance, Gatling baseline profile through HAProxy)",
        "machine": "2 vCPUs of a shared VM (Gatling, HAProxy, PostgreSQL, Redis and the app on one host; CPU steal in the experiment tables)",
        "cpuSecondsPerRequest": cal["cpuSecondsPerRequest"],
        "idleCpuCores": cal["idleCpuCores"],
        "requestsPerJourney": g["requests"] / g["users"] if g["users"] else float("nan"),
        "baselineP95Ms": g["p95"],
        "baselineUtilization": cal["machineCpuUtilization"],
        "startToReadySeconds": statistics.median(starts) if starts else float("nan"),
        "startToReadySamples": starts,
        "startCpuSeconds": statistics.median(start_cpu) if start_cpu else 0.0,
        "startCpuSecondsSamples": start_cpu,
        "capacityRuns": capacity_runs,
    }
    if os.environ.get("APP_COMMIT"):
        measurements["appCommit"] = os.environ["APP_COMMIT"]
    # recorded by record-fast-start.py from notejam-app/benchmarks/startup.sh, not by this harness
    for key, value in previous.items():
        if key.startswith("fastStart"):
            measurements[key] = value
    if cal.get("loadAverageBefore"):
        measurements["loadAverageBefore"] = cal["loadAverageBefore"]
    with open(os.path.join(docs, "measurements.json"), "w") as f:
        json.dump(measurements, f, indent=2)
        f.write("\n")
print("summaries in", experiments)
