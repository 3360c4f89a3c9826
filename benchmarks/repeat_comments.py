#!/usr/bin/env python3
"""The gold comments repeated to N lines, ids made unique: the input of every throughput benchmark.

usage: benchmarks/repeat_comments.py N OUTPUT [GOLD (../shared/eval/dev.jsonl)]
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_GOLD = os.path.join(HERE, "..", "..", "shared", "eval", "dev.jsonl")


def repeat(gold_rows, n):
    out = []
    i = 0
    while len(out) < n:
        row = gold_rows[i % len(gold_rows)]
        out.append({"id": f"{row['id']}#{i // len(gold_rows)}", "text": row["text"], "context": row.get("context", [])})
        i += 1
    return out


def write(gold, n, path):
    rows = [json.loads(l) for l in open(gold, encoding="utf-8") if l.strip()]
    with open(path, "w", encoding="utf-8") as f:
        for row in repeat(rows, n):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip())
    write(sys.argv[3] if len(sys.argv) == 4 else DEFAULT_GOLD, int(sys.argv[1]), sys.argv[2])
