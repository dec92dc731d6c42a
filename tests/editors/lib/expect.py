#!/usr/bin/env python3
"""Prints the diagnostics the editor tests expect on the fixture, as `CODE@LINE` (0-based) joined
by commas.

The fixture has two mistakes: `"Effect": "allow"` (A009, invalid-effect, always expected) and the
misspelt action `ecs:DescribeCluster` (the real one is `ecs:DescribeClusters`). The unknown-action
rule is expected too as soon as the checker reports a `B` rule on that line; the check runs with
the same binary, so the editors must show what `iam-policy-ls check` finds there.
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
messages = {}
try:
    out = subprocess.run([server, "check", "--format", "json", policy],
                         capture_output=True, text=True, timeout=60).stdout
    for f in json.loads(out).get("files", []):
        for d in f.get("diagnostics", []):
            messages.setdefault(str(d.get("code")), d.get("message", ""))
            if str(d.get("code", "")).startswith("B") and d["range"]["start"]["line"] == action_line:
                expect.append(f"{d['code']}@{action_line}")
except Exception as e:  # a fake or broken server: the editors must still show A009
    print(f"expect.py: check failed ({e}); expecting A009 only", file=sys.stderr)
if text_of:
    # What a screen shows of that diagnostic: the start of its message (before any backquote).
    print(messages.get(text_of, text_of)[:24])
else:
    print(",".join(dict.fromkeys(expect)))
