#!/bin/bash
# Compares threadguard builds by running them in turns on core 0, ROUNDS times each, on the full default pack,
# and prints each build's minimum, lower quartile and median CPU time. This machine alternates between a fast and
# a slow phase (about 1.6x apart, from contention for memory it shares); runs in turns see the same phases, and
# the minimum and lower quartile show the fast phase, where differences of a few percent can be seen.
# usage: benchmarks/round_robin.sh ROUNDS BINARY... (INPUT: the dev comments repeated to 12,000, or $INPUT)
set -euo pipefail
rounds=$1; shift
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tg-round-robin-XXXXXX)
trap 'rm -rf "$work"' EXIT
input=${INPUT:-$work/input.jsonl}
if [ ! -f "$input" ]; then
  python3 "$root/benchmarks/repeat_comments.py" 12000 "$input"
fi
for round in $(seq "$rounds"); do
  for n in $(seq $#); do
    binary=${!n}
    /usr/bin/time -f "$n %U %S" -a -o "$work/times" taskset -c 0 "$binary" classify --policies "$root/Policies" "$input" > /dev/null
  done
done
python3 - "$work/times" "$@" <<'PY'
import statistics, sys
times = {}
for line in open(sys.argv[1]):
    n, user, system = line.split()
    times.setdefault(int(n), []).append(float(user) + float(system))
for n, binary in enumerate(sys.argv[2:], start=1):
    runs = sorted(times[n])
    print(f"{binary}: min {runs[0]:.3f} s, lower quartile {runs[len(runs) // 4]:.3f} s, median {statistics.median(runs):.3f} s CPU ({len(runs)} runs)")
PY
