#!/usr/bin/env python3
"""Turns one dependency-failover run (load-tests/target/dependency-failover/<name>) into
docs/failover-experiments/<name>.md: failed requests, how long the error window lasted, lost sessions and lost
acknowledged writes, with the failover's timeline. Standard library only.
  summarise-failover.py <run dir> <docs dir> <name>"""
import csv
import json
import os
import re
import sys

run, docs, name = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(docs, exist_ok=True)


def read(path, default=""):
    try:
        with open(os.path.join(run, path)) as f:
            return f.read()
    except OSError:
        return default


settings = read("settings.txt").split("\n")[0].split()
redis_timeout = next((w.split("=")[1] for w in settings if w.startswith("redis-timeout=")), "?")
instances = next((w.split("=")[1] for w in settings if w.startswith("instances=")), "?")
experiment, mode, variant = settings[0], settings[1], settings[2]
events = [(float(r["epoch"]), r["event"]) for r in csv.DictReader(open(os.path.join(run, "events.csv")))]
lost_at = next(t for t, e in events if e.startswith("primary lost"))

# Gatling's Global Information block and its error list
out = read("gatling.out")
block = out.split("Global Information")[-1].split("Response Time Distribution")[0] if "Global Information" in out else ""
figures = {}
for line in block.splitlines():
    cells = [c.strip().replace(",", "") for c in line.split("|")]
    if len(cells) >= 4 and cells[0].startswith(">"):
        figures[cells[0][1:].strip()] = cells[1:4]


def figure(key, col=0):
    for label, cells in figures.items():
        if label == key or label.startswith(key + " ("):
            try:
                return float(cells[col])
            except ValueError:
                return 0.0
    return float("nan")


errors = []
if "---- Errors" in out:
    for line in out.split("---- Errors")[-1].split("=====")[0].splitlines():
        m = re.match(r"> (.*?)\s+(\d+) \(\s*([\d.]+)%\)", line)
        if m:
            errors.append((m.group(1).strip(), int(m.group(2))))
journeys = json.loads(read("journeys.json", "{}") or "{}")
writes = dict(l.split("|") for l in read("writes-check.txt").split() if "|" in l)

# the balancer's counters, per second: answers with 5xx and the app servers' states
per_second = {}
states = {}
for r in csv.DictReader(open(os.path.join(run, "samples.csv"))):
    t = int(r["epoch"])
    if r["proxy"] == "notejam" and r["server"] == "FRONTEND":
        per_second[t] = (int(r["requests"] or 0), int(r["http_5xx"] or 0))
    else:
        states.setdefault(t, {})[f'{r["proxy"]}/{r["server"]}'] = r["status"]
seconds = sorted(per_second)
deltas = []
for a, b in zip(seconds, seconds[1:]):
    deltas.append((b, per_second[b][0] - per_second[a][0], per_second[b][1] - per_second[a][1]))
failing = [t for t, _, e in deltas if e > 0 and t >= lost_at - 1]
window = (failing[-1] - failing[0] + 1) if failing else 0
first_fail = (failing[0] - lost_at) if failing else float("nan")
last_fail = (failing[-1] - lost_at) if failing else float("nan")
total_5xx = sum(e for t, _, e in deltas if t >= lost_at - 1)

# state changes of every server, relative to the loss
changes = []
previous = {}
for t in sorted(states):
    for server, status in sorted(states[t].items()):
        if previous.get(server) != status:
            if server in previous:
                changes.append((t - lost_at, server, previous[server], status))
            previous[server] = status

sessions = json.loads(read("sessions/after.json", "{}") or "{}")


def fmt(x, spec=".0f"):
    return "n/a" if x != x else format(x, spec)


what = {
    "postgres": "PostgreSQL primary and synchronous streaming standby behind a moving endpoint (HAProxy TCP)",
    "redis": "Redis primary and replica with three Sentinels behind an endpoint that follows the primary (HAProxy TCP, role:master check)",
}[experiment]
how = {"kill": "SIGKILL of every process of the primary (a node dies: connections are reset)",
       "freeze": "SIGSTOP of every process of the primary (a zone is cut off: connections stay open, nothing answers)"}[mode]
env = " ".join(read("settings.txt").split("\n")[1:]).strip()
# the exact command the harness recorded; runs from before it recorded one get their settings spelt out below
command = read("command.txt").strip() or f"{'SETTINGS=defaults ' if variant == 'defaults' else ''}MODE={mode} load-tests/harness/dependency-failover.sh {experiment}"

rows = [
    ("requests (OK / KO, Gatling)", f"{fmt(figure('request count'))} ({fmt(figure('request count', 1))} / {fmt(figure('request count', 2))})"),
    ("failed requests", f"{fmt(figure('request count', 2))} ({fmt(100 * figure('request count', 2) / figure('request count'), '.2f')} %)"),
    ("5xx answers at the balancer after the loss", str(total_5xx)),
    ("error window (first to last second with a 5xx)", f"{window} s, from +{fmt(first_fail)} s to +{fmt(last_fail)} s after the loss"),
    ("p95 / max response time (whole run)", f"{fmt(figure('response time 95th percentile'))} / {fmt(figure('max response time'))} ms"),
    ("signed-in pages answered", str(journeys.get("signedInPages", "n/a"))),
    ("lost sessions in the journeys (a signed-in page came back signed out)", str(journeys.get("lostSessions", "n/a"))),
]
if sessions:
    rows.append(("sessions signed in 15 s before the loss, still signed in after it",
                 f"{sessions['stillSignedIn']} of {sessions['signedInBefore']} (signed out: {sessions['signedOut']}, other answers: {sessions['otherAnswers'] or 'none'})"))
rows += [
    ("acknowledged writes (create/edit/delete answered OK)", str(journeys.get("acknowledgedWrites", "n/a"))),
    ("notes checked against the database serving after the failover", writes.get("acknowledged_notes", "n/a")),
    ("acknowledged notes missing", writes.get("missing_in_db", "n/a")),
    ("acknowledged edits not there", writes.get("stale_name_in_db", "n/a")),
    ("acknowledged deletes not applied", writes.get("deleted_but_present", "n/a")),
    ("load average before the run / at its end", f"{read('loadavg-start.txt').strip() or 'n/a'} / {read('loadavg-end.txt').strip()}"),
]

md = [f"# Failover: {experiment}, {mode}, {variant} settings", "",
      f"Command: `{command}`, run as root under `flock /tmp/bench.lock nice -n -20` "
      f"(settings: {read('settings.txt').split(chr(10))[0]}).",
      f"Set-up: {what}; {instances} app instance(s) behind an HTTP balancer (HAProxy, readiness checks every second) under the "
      "Gatling `baseline` journeys at 1 journey/s. Failure: " + how + ".",
      f"App settings: {'the timeouts of the chart (`config.timeouts`)' if variant == 'tuned' else 'pool and driver defaults: `' + env + '`'}"
      f", except Redis's command and connect timeouts ({redis_timeout}; the chart's 2 s missed the first handshake of JVMs "
      "starting on this busy machine; a killed node resets its connections, so they play no part in MODE=kill).",
      "Machine: 2 vCPUs of a shared VM, busy with other builds (load average below); the figures are this run's.", "",
      "| figure | value |", "|---|---|"]
md += [f"| {k} | {v} |" for k, v in rows]
md += ["", "Timeline (seconds after the primary was lost):", "", "| + s | event |", "|---|---|"]
timeline = [(t - lost_at, e) for t, e in events if e != "simulation started"]
timeline += [(d, f"{server}: {a} -> {b}") for d, server, a, b in changes]
for d, e in sorted(timeline):
    md.append(f"| {d:+.1f} | {e} |")
if errors:
    md += ["", "Gatling's errors:", ""] + [f"- {e} ({n})" for e, n in errors]
md += ["", "5xx answers per second at the balancer, from 5 s before the loss to the last one:", "", "```"]
line = []
for t, _, e in deltas:
    if t >= lost_at - 5 and (not failing or t <= failing[-1] + 2):
        line.append(f"{t - int(lost_at):+d}:{e}")
md += [" ".join(line), "```", ""]
open(os.path.join(docs, name + ".md"), "w").write("\n".join(md))
summary = {"name": name, "requests": figure("request count"), "failed": figure("request count", 2),
           "windowSeconds": window, "firstFailAfter": first_fail, "lastFailAfter": last_fail,
           "lostSessions": journeys.get("lostSessions"), "sessions": sessions,
           "missingWrites": writes.get("missing_in_db"), "events": timeline}
json.dump(summary, open(os.path.join(docs, name + ".json"), "w"), indent=1, default=str)
print(json.dumps(summary, default=str)[:800])
