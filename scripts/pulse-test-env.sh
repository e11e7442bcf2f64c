#!/usr/bin/env bash
# An isolated PulseAudio for audio tests: a null sink `spk` (its monitor `spk.monitor` hears
# everything played) and a pipe source `mic` fed through the fifo `<dir>/mic.fifo`, set as the
# default source. ALSA `default` reaches it through libasound2-plugins (pulse plugin).
#
# Usage:
#   bash scripts/pulse-test-env.sh start [dir]   start (or reuse) the daemon; prints the env to export
#   bash scripts/pulse-test-env.sh env [dir]     print the env only (exit 1 when not running)
#   bash scripts/pulse-test-env.sh stop [dir]    stop the daemon and remove its state
# `dir` defaults to $PULSE_TEST_DIR or /tmp/realtime-assistant-pulse. Start is idempotent; give
# each concurrent test run its own dir. Output lines are `export NAME=value` (eval-able):
# XDG_RUNTIME_DIR, PULSE_SERVER, PULSE_TEST_MIC_FIFO.
set -euo pipefail

cmd="${1:-start}"
dir="${2:-${PULSE_TEST_DIR:-/tmp/realtime-assistant-pulse}}"
xdg="$dir/xdg"
fifo="$dir/mic.fifo"
socket="$xdg/pulse/native"

export XDG_RUNTIME_DIR="$xdg"
export PULSE_SERVER="unix:$socket"
# Keep the daemon away from the user's own PulseAudio config, cookie and state.
export HOME="$dir/home"

print_env() {
  echo "export XDG_RUNTIME_DIR=$xdg"
  echo "export PULSE_SERVER=unix:$socket"
  echo "export PULSE_TEST_MIC_FIFO=$fifo"
}

running() {
  [ -S "$socket" ] && pactl info >/dev/null 2>&1
}

daemon_pid() {
  cat "$xdg/pulse/pid" 2>/dev/null || true
}

case "$cmd" in
  start)
    if running; then
      print_env
      exit 0
    fi
    for tool in pulseaudio pactl; do
      command -v "$tool" >/dev/null 2>&1 || {
        echo "pulse-test-env: $tool not found (run: bash scripts/setup-system.sh)" >&2
        exit 1
      }
    done
    mkdir -p "$dir" "$HOME"
    mkdir -p -m700 "$xdg"
    # A stale daemon (socket gone or unresponsive) is killed; module-pipe-source refuses an
    # existing fifo ("mkfifo … File exists"), so it is removed first.
    pid="$(daemon_pid)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
    rm -f "$fifo" "$xdg/pulse/pid"
    pulseaudio -D --exit-idle-time=-1 -n --log-target=file:"$dir/pulseaudio.log" \
      --load=module-native-protocol-unix \
      --load="module-null-sink sink_name=spk rate=24000 channels=1" \
      --load="module-pipe-source source_name=mic file=$fifo format=s16le rate=16000 channels=1" \
      --load=module-always-sink 2>>"$dir/pulseaudio.log"
    for _ in $(seq 1 100); do
      running && break
      sleep 0.05
    done
    if ! running; then
      echo "pulse-test-env: PulseAudio did not start; see $dir/pulseaudio.log" >&2
      tail -n 20 "$dir/pulseaudio.log" >&2 || true
      exit 1
    fi
    pactl set-default-sink spk >/dev/null
    pactl set-default-source mic >/dev/null
    print_env
    ;;
  env)
    running || exit 1
    print_env
    ;;
  stop)
    pid="$(daemon_pid)"
    if running; then pactl exit >/dev/null 2>&1 || true; fi
    if [ -n "$pid" ]; then
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
      done
      kill -9 "$pid" 2>/dev/null || true
    fi
    # Only what start created, never the dir's other contents.
    rm -rf "$xdg" "$HOME" "$fifo" "$dir/pulseaudio.log"
    rmdir "$dir" 2>/dev/null || true
    ;;
  *)
    echo "usage: $0 start|env|stop [dir]" >&2
    exit 2
    ;;
esac
