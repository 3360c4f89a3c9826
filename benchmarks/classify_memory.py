#!/usr/bin/env python3
"""Peak memory and time of `threadguard classify` on streamed and oversized input (release build, one core).

  python3 benchmarks/classify_memory.py [--comments 1000000] [--huge 1,4,50]

1. The labelled comments repeated to N lines are written to classify's standard input as it reads (never a file),
   to show that classify streams: its peak RSS must not grow with the input.
2. One comment of each size in MB (the labelled texts joined and repeated) to show that a huge comment costs
   time and memory in proportion to its size: it is judged on its first 65,536 characters.
"""
import argparse, json, os, subprocess, sys, threading, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, ".build/release/threadguard")
gold = os.path.join(root, "../shared/eval/dev.jsonl")


def run(feed):
    """Runs classify on core 0 with `feed(stdin)` writing its input; returns (seconds, peak RSS in MB, output lines)."""
    started = time.time()
    report = "/tmp/tg-classify-memory.time"
    process = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", report, "taskset", "-c", "0", binary, "classify",
                                "--policies", os.path.join(root, "Policies")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    lines = [0]
    def drain():
        for _ in process.stdout: lines[0] += 1
    reader = threading.Thread(target=drain)
    reader.start()
    feed(process.stdin)
    process.stdin.close()
    process.wait()
    reader.join()
    peak = int(open(report).read().split()[-1])
    return time.time() - started, peak / 1024, lines[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--huge", default="1,4,50")
    args = parser.parse_args()
    if not os.path.exists(binary):
        sys.exit("build first: swift build -c release")
    rows = open(gold, encoding="utf-8").read().splitlines()

    def stream(out):
        block = []
        for k in range(args.comments):
            block.append(rows[k % len(rows)])
            if len(block) == 2000:
                out.write(("\n".join(block) + "\n").encode())
                block = []
        if block: out.write(("\n".join(block) + "\n").encode())

    seconds, peak, lines = run(stream)
    print(f"{args.comments:,} comments through stdin: {seconds:.1f} s, {args.comments / seconds:,.0f} comments/s, peak RSS {peak:.0f} MB ({lines:,} verdicts)")
    joined = " ".join(json.loads(row)["text"] for row in rows)
    for megabytes in [int(m) for m in args.huge.split(",") if m]:
        size = megabytes * 1_000_000
        text = (joined + " ") * (size // (len(joined) + 1) + 1)
        line = (json.dumps({"id": "huge", "text": text[:size]}) + "\n").encode()
        seconds, peak, _ = run(lambda out: out.write(line))
        print(f"one comment of {megabytes} MB: {seconds:.2f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
