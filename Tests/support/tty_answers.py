#!/usr/bin/python3
"""Runs a program on a pseudo-terminal, as a person at a terminal would: waits for each prompt, then types the answer.
Prints everything the terminal showed to standard output and exits with the program's exit status.

usage: /usr/bin/python3 Tests/support/tty_answers.py PROMPT=ANSWER [PROMPT=ANSWER ...] -- PROGRAM [ARGS...]
"""
import os
import pty
import select
import sys
import time

split = sys.argv.index("--")
pairs = [arg.split("=", 1) for arg in sys.argv[1:split]]
command = sys.argv[split + 1:]

pid, fd = pty.fork()
if pid == 0:
    os.execv(command[0], command)

shown = b""
deadline = time.time() + 30


def read_some(timeout):
    global shown
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return None
    if not chunk:
        return None
    shown += chunk
    return True


position = 0
for prompt, answer in pairs:
    while shown.find(prompt.encode(), position) < 0 and time.time() < deadline:
        if read_some(0.2) is None:
            break
    found = shown.find(prompt.encode(), position)
    if found < 0:
        break
    position = found + len(prompt)
    time.sleep(0.1)  # the program turns echo off right after printing its prompt
    os.write(fd, answer.encode() + b"\n")
while time.time() < deadline and read_some(0.5) is not None:
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
