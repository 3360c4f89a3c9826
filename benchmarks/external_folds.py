#!/usr/bin/env python3
"""The learned detectors on text other teams labelled, measured on halves they did not learn from.

Each external set (../shared/eval/external) is split in two halves (ids in sorted order, alternately). For each
half, a model is trained on the nine labelled worlds, every other external set whole, and the other half of this
set (`model train --extra ... --extra-spans ...`), then `classify` judges the half left out and it is scored:
abuse (davidson_abuse) and adverse_event (psytar_adr) by score_external.py's primary verdict, the synthetic PII set
(presidio_synth) by span recall per type as score.py counts it (a gold span is found when a finding overlaps at
least half of it). Counts are pooled over the two halves. `--worlds-only` trains on the worlds alone (no external
text), as the shipped model is trained, for comparison.

usage: python3 benchmarks/external_folds.py [--binary .build/release/threadguard] [--worlds-only]
"""
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVAL = os.path.join(ROOT, "..", "shared", "eval")
EXTERNAL = os.path.join(EVAL, "external")
BINARY_SETS = {"davidson_abuse": "abuse", "psytar_adr": "adverse_event"}
SPAN_FILE = os.path.join(EXTERNAL, "presidio_synth", "presidio_synth_v2.jsonl")


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def halves(rows):
    ids = sorted(str(r["id"]) for r in rows)
    side = {i: n % 2 for n, i in enumerate(ids)}
    return [[r for r in rows if side[str(r["id"])] == h] for h in (0, 1)]


def binary_half(work, name, half, rows, gold):
    """A folder holding one half of a binary set, in the layout --extra and score_external.py read."""
    folder = os.path.join(work, f"{name}_{half}")
    os.makedirs(folder, exist_ok=True)
    ids = {str(r["id"]) for r in rows}
    write(os.path.join(folder, f"{name}_{half}.jsonl"), rows)
    write(os.path.join(folder, "gold.jsonl"), [g for g in gold if str(g["id"]) in ids])
    return folder


def main(argv):
    binary = os.path.join(ROOT, ".build", "release", "threadguard")
    if "--binary" in argv:
        binary = argv[argv.index("--binary") + 1]
    worlds_only = "--worlds-only" in argv
    work = tempfile.mkdtemp(prefix="tg-external-folds-")
    worlds = [os.path.join(EVAL, "train"), os.path.join(EVAL, "dev.jsonl")]
    sets = {}
    for name, category in BINARY_SETS.items():
        texts = read(os.path.join(EXTERNAL, name, f"{name}.jsonl"))
        gold = read(os.path.join(EXTERNAL, name, "gold.jsonl"))
        parts = halves(texts)
        sets[name] = {"category": category, "whole": os.path.join(EXTERNAL, name),
                      "halves": [binary_half(work, name, h, parts[h], gold) for h in (0, 1)]}
    span_parts = halves(read(SPAN_FILE))
    span_halves = []
    for h in (0, 1):
        path = os.path.join(work, f"presidio_{h}.jsonl")
        write(path, span_parts[h])
        span_halves.append(path)

    def train(left_out, half):
        out = os.path.join(work, f"model-{left_out}-{half}")
        args = [binary, "model", "train", *worlds, "--out", out]
        if not worlds_only:
            for name, entry in sets.items():
                folder = entry["halves"][1 - half] if name == left_out else entry["whole"]
                args += ["--extra", f"{entry['category']}={folder}"]
            args += ["--extra-spans", span_halves[1 - half] if left_out == "presidio" else SPAN_FILE]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        return out

    def classify(model, path):
        result = subprocess.run([binary, "classify", path, "--model", model], check=True, capture_output=True, text=True)
        return {str(json.loads(line)["id"]): json.loads(line) for line in result.stdout.splitlines() if line.strip()}

    for name, entry in sets.items():
        counts = defaultdict(int)
        for h in (0, 1):
            model = train(name, h)
            folder = entry["halves"][h]
            pred = classify(model, os.path.join(folder, os.path.basename(folder) + ".jsonl"))
            for g in read(os.path.join(folder, "gold.jsonl")):
                said = entry["category"] in pred.get(str(g["id"]), {}).get("categories", [])
                counts["tp" if said and g["label"] else "fp" if said else "fn" if g["label"] else "tn"] += 1
        p = counts["tp"] / max(1, counts["tp"] + counts["fp"])
        r = counts["tp"] / max(1, counts["tp"] + counts["fn"])
        f1 = 2 * p * r / (p + r) if p + r else 0
        print(f"{name:16} {entry['category']:14} P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  ({counts['tp'] + counts['fn']} positive of {sum(counts.values())})")

    found, total = defaultdict(int), defaultdict(int)
    for h in (0, 1):
        model = train("presidio", h)
        pred = classify(model, span_halves[h])
        for row in span_parts[h]:
            findings = pred.get(str(row["id"]), {}).get("findings", [])
            for span in row["spans"]:
                length = span["end"] - span["start"]
                hit = any(min(span["end"], f["end"]) - max(span["start"], f["start"]) > 0
                          and 2 * (min(span["end"], f["end"]) - max(span["start"], f["start"])) >= length for f in findings)
                for key in ("all", span["type"]):
                    total[key] += 1
                    found[key] += hit
    print(f"presidio_synth   span recall {found['all'] / total['all']:.3f}  ("
          + ", ".join(f"{t} {found[t] / total[t]:.2f}" for t in sorted(total) if t != "all") + ")")


if __name__ == "__main__":
    main(sys.argv[1:])
