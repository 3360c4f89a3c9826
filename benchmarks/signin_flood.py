#!/usr/bin/env python3
"""The review page's queue while 16 threads guess passwords (release build).

  python3 benchmarks/signin_flood.py [--seconds 10] [--threads 16]

Starts `threadguard demo --serve`, signs in, then times GET /queue (p50, p95) with no load and during a flood of
wrong-password sign-ins from 16 threads. Sign-ins are checked by bcrypt off the event loops, one per core at a time,
and twenty failures from one address lock it out, so the flood should barely move the queue's times.
"""
import argparse, http.client, os, re, statistics, subprocess, sys, threading, time, urllib.parse

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = os.path.join(root, ".build/release/threadguard")


class Session:
    """Cookies kept by hand: the app's cookies are Secure, which a cookie jar will not send over plain loopback HTTP."""
    def __init__(self, base):
        self.base, self.cookies = base, {}

    def request(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        connection = http.client.HTTPConnection(urllib.parse.urlparse(self.base).netloc)
        connection.request("POST" if data else "GET", path, body=data, headers=dict(headers, **({"Content-Type": "application/x-www-form-urlencoded"} if data else {})))
        response = connection.getresponse()
        body = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";")[0]
        connection.close()
        return response.status, body


def sign_in(base, name, password):
    session = Session(base)
    _, page = session.request("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.decode()).group(1)
    status, _ = session.request("/login", urllib.parse.urlencode({"csrf": csrf, "name": name, "password": password}).encode())
    return session, status


def time_queue(session, base, seconds):
    times = []
    end = time.time() + seconds
    while time.time() < end:
        start = time.time()
        status, _ = session.request("/queue")
        assert status == 200, status
        times.append((time.time() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95)], len(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--threads", type=int, default=16)
    args = parser.parse_args()
    demo = subprocess.Popen([binary, "demo", "--serve"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = password = None
    for line in demo.stdout:
        m = re.search(r"review\s+(http://\S+)/login .* demo / (\S+)", line)
        if m:
            base, password = m.group(1), m.group(2)
            break
    try:
        session, _ = sign_in(base, "demo", password)
        p50, p95, n = time_queue(session, base, args.seconds)
        print(f"queue page, no load: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({n} requests)")
        stop = threading.Event()
        answers = {}
        def flood(k):
            while not stop.is_set():
                _, code = sign_in(base, f"guess{k}", "wrong-password-123")
                answers[code] = answers.get(code, 0) + 1
        workers = [threading.Thread(target=flood, args=(k,)) for k in range(args.threads)]
        for w in workers: w.start()
        p50, p95, n = time_queue(session, base, args.seconds)
        stop.set()
        for w in workers: w.join()
        print(f"queue page, {args.threads} threads guessing passwords: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({n} requests); "
              f"sign-in answers: {dict(sorted(answers.items()))}")
    finally:
        demo.kill()


if __name__ == "__main__":
    main()
