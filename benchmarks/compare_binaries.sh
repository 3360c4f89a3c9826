#!/bin/bash
# Compares the CPU time of two threadguard binaries on the full default pack, run at the same time on cores 0
# and 1 (swapping cores each round), so both see the same moment of a machine whose speed swings.
# usage: benchmarks/compare_binaries.sh OLD_BINARY NEW_BINARY [ROUNDS (6)] [INPUT (dev.jsonl repeated to 100,000)]
set -euo pipefail
old=$1; new=$2; rounds=${3:-6}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/tg-compare-XXXXXX)
trap 'rm -rf "$work"' EXIT
input=${4:-$work/input.jsonl}
if [ ! -f "$input" ]; then
  python3 "$root/benchmarks/repeat_comments.py" 100000 "$input"
fi
ratios=()
for round in $(seq "$rounds"); do
  a=0; b=1; if [ $((round % 2)) = 0 ]; then a=1; b=0; fi
  /usr/bin/time -f "%U %S" -o "$work/old.t" taskset -c $a "$old" classify --policies "$root/Policies" "$input" > /dev/null &
  /usr/bin/time -f "%U %S" -o "$work/new.t" taskset -c $b "$new" classify --policies "$root/Policies" "$input" > /dev/null &
  wait
  t_old=$(awk '{print $1 + $2}' "$work/old.t"); t_new=$(awk '{print $1 + $2}' "$work/new.t")
  ratio=$(python3 -c "print(round($t_new / $t_old, 3))")
  ratios+=("$ratio")
  echo "round $round: old ${t_old}s, new ${t_new}s CPU, new/old $ratio"
done
python3 -c "import statistics, sys; r = [float(x) for x in sys.argv[1:]]; print(f'median new/old CPU time: {statistics.median(r):.3f} over {len(r)} rounds')" "${ratios[@]}"
