#!/usr/bin/env bash
# Shared by the harness scripts (sourced): stops the app instances whose pids are in APP_PID, politely first.

stop_instances() {
  for i in "${!APP_PID[@]}"; do kill "${APP_PID[$i]}" 2>/dev/null || true; done
  for i in "${!APP_PID[@]}"; do
    for _ in $(seq 1 60); do kill -0 "${APP_PID[$i]}" 2>/dev/null || break; sleep 0.5; done
    kill -9 "${APP_PID[$i]}" 2>/dev/null || true
  done
  APP_PID=()
}
