#!/usr/bin/env bash
# Installs the Debian packages that Realtime Assistant's tests and optional features use.
# Idempotent: packages already present are skipped, and apt is not touched when nothing is missing.
# Usage: bash scripts/setup-system.sh        (as root, or with sudo available)
set -euo pipefail

packages=(
  # Offline speech recognition (engine, pocketsphinx backend)
  pocketsphinx-en-us
  libpocketsphinx3
  # Audio devices (cli capture/playback; tests use a PulseAudio null sink + pipe source)
  pulseaudio
  pulseaudio-utils
  alsa-utils
  libasound2-plugins
  sox
  # A real terminal for the CLI's tests, and ps (procps), which its helpers use to find a process's children
  tmux
  procps
  # PostgreSQL server binaries: the storage tests start a throwaway server (/usr/lib/postgresql/<ver>/bin)
  postgresql
)

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-system: all ${#packages[@]} Debian packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup-system: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup-system: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
