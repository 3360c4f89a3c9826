#!/usr/bin/python3
"""Local receivers for the alert tests: a real SMTP server (aiosmtpd) and an HTTP webhook receiver, both on
127.0.0.1 with ports the kernel picks. Prints "smtp PORT" and "http PORT" on standard output, then writes each
message it receives to OUTDIR: mail-N.eml (envelope and message) and hook-N.json (the request's headers and body).
Runs until standard input closes (the test ends it by closing the pipe or killing it).

usage: /usr/bin/python3 Tests/support/alert_receivers.py OUTDIR
"""
import asyncio
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.smtp import SMTP

OUT = sys.argv[1]
counter = {"mail": 0, "hook": 0}
lock = threading.Lock()


def next_path(kind, suffix):
    with lock:
        counter[kind] += 1
        return os.path.join(OUT, f"{kind}-{counter[kind]}.{suffix}")


class MailHandler:
    async def handle_DATA(self, server, session, envelope):
        path = next_path("mail", "eml")
        with open(path + ".tmp", "wb") as f:
            f.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
            f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content)
        os.rename(path + ".tmp", path)
        return "250 Message accepted for delivery"


class HookHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length).decode("utf-8", "replace")
        path = next_path("hook", "json")
        with open(path + ".tmp", "w") as f:
            json.dump({"path": self.path, "headers": dict(self.headers), "body": body}, f)
        os.rename(path + ".tmp", path)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


async def main():
    loop = asyncio.get_running_loop()
    smtp = await loop.create_server(lambda: SMTP(MailHandler()), host="127.0.0.1", port=0)
    http = ThreadingHTTPServer(("127.0.0.1", 0), HookHandler)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    print(f"smtp {smtp.sockets[0].getsockname()[1]}", flush=True)
    print(f"http {http.server_address[1]}", flush=True)
    # Until the test closes standard input.
    await loop.run_in_executor(None, sys.stdin.read)
    http.shutdown()
    smtp.close()


asyncio.run(main())
