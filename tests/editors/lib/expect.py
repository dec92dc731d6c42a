#!/usr/bin/env python3
"""Prints the diagnostics the editor tests expect on the fixture, as `CODE@LINE` (0-based) joined
by commas.

The fixture has two mistakes: `"Effect": "allow"` (A009, invalid-effect) and the misspelt action
`ecs:DescribeCluster` (the real one is `ecs:DescribeClusters`: B002, unknown-action). Both are
always expected; should the unknown-action rule get another `B` code, the code that
`iam-policy-ls check` reports on that line is expected instead.
"""
import json
import subprocess
import sys

server, policy = sys.argv[1], sys.argv[2]
text_of = sys.argv[3] if len(sys.argv) > 3 else None  # `CODE`: print the start of its message
lines = open(policy, encoding="utf-8").read().split("\n")
effect_line = next(i for i, l in enumerate(lines) if '"Effect"' in l)
action_line = next(i for i, l in enumerate(lines) if "ecs:DescribeCluster" in l)
expect = [f"A009@{effect_line}"]
action_code = "B002"
messages = {}
try:
    out = subprocess.run([server, "check", "--format", "json", policy],
                         capture_output=True, text=True, timeout=60).stdout
    for f in json.loads(out).get("files", []):
        for d in f.get("diagnostics", []):
            messages.setdefault(str(d.get("code")), d.get("message", ""))
            if str(d.get("code", "")).startswith("B") and d["range"]["start"]["line"] == action_line:
                action_code = d["code"]
except Exception as e:  # a fake or broken server: expect the usual codes
    print(f"expect.py: check failed ({e})", file=sys.stderr)
expect.append(f"{action_code}@{action_line}")
if text_of:
    # What a screen shows of that diagnostic: the start of its message (before any backquote).
    print(messages.get(text_of, text_of)[:24])
else:
    print(",".join(dict.fromkeys(expect)))
