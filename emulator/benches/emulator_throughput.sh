#!/usr/bin/env bash
# Throughput and memory of the emulator next to a bare handler on the same
# stack, driven by wrk over loopback (see emulator/benches/emulator_throughput.rs).
# Installs wrk from the distribution's packages when it is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null; then
    if command -v apt-get >/dev/null; then
        echo "emulator_throughput: installing wrk" >&2
        sudo_if_needed=""
        [ "$(id -u)" = 0 ] || sudo_if_needed="sudo"
        $sudo_if_needed apt-get update -qq && $sudo_if_needed apt-get install -y -qq wrk
    else
        echo "emulator_throughput: wrk is needed (https://github.com/wg/wrk)" >&2
        exit 1
    fi
fi
exec cargo bench -p linkedin-invitations-emulator --bench emulator_throughput
