#!/usr/bin/env python3
"""Prints which of `completion`, `hover`, `codeAction` and `simulate` the server advertises in `initialize` (space separated).
The editor tests assert completion and hover only when the server advertises them."""
import json
import subprocess
import sys


def main():
    try:
        p = subprocess.Popen([sys.argv[1], "serve"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                           "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
        p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        p.stdin.flush()
        length = None
        while True:
            line = p.stdout.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        caps = json.loads(p.stdout.read(length)).get("result", {}).get("capabilities", {})
        names = [k for k, c in (("completion", "completionProvider"), ("hover", "hoverProvider"),
                                ("codeAction", "codeActionProvider")) if caps.get(c)]
        if "iam-policy-ls.simulate" in (caps.get("executeCommandProvider") or {}).get("commands", []):
            names.append("simulate")
        print(" ".join(names))
    except Exception as e:  # a fake server: advertises nothing
        print(f"caps.py: {e}", file=sys.stderr)
    finally:
        try:
            p.kill()
        except Exception:
            pass


main()
