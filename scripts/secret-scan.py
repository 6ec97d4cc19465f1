#!/usr/bin/env python3
"""The test suite's secret scan (run by scripts/test.sh after the tests).

Searches every file under SCAN_DIR (capture files of log lines, MCP messages and child-process output that the tests
appended there, and the SQLite platform databases, audit rows included, that the test hosts kept there) for the
sandbox bot token and for every webhook and interaction token the sandbox issued during the run (one a line in
TOKENS_FILE). Exits 1 naming each file and line where a secret appeared (the secret itself is never printed), 2 when
there is nothing to scan (the capture is broken), 0 otherwise.

usage: secret-scan.py SCAN_DIR TOKENS_FILE [--secret VALUE ...]
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SANDBOX_OPTIONS = os.path.join(ROOT, "src", "DiscordMcp.Sandbox", "SandboxOptions.cs")


def sandbox_bot_token():
    with open(SANDBOX_OPTIONS, encoding="utf-8") as f:
        match = re.search(r'DefaultBotToken\s*=\s*"([^"]+)"', f.read())
    if not match:
        sys.exit(f"secret scan: cannot find DefaultBotToken in {SANDBOX_OPTIONS}")
    return match.group(1)


def secrets(tokens_file, extra):
    found = [("the sandbox bot token", sandbox_bot_token())]
    if os.path.exists(tokens_file):
        with open(tokens_file, encoding="utf-8") as f:
            issued = sorted({line.strip() for line in f if line.strip()})
        found += [(f"sandbox-issued token #{i + 1} (line {i + 1} of the sorted tokens file)", t) for i, t in enumerate(issued)]
    found += [(f"secret given with --secret #{i + 1}", s) for i, s in enumerate(extra)]
    return [(name, value.encode("utf-8")) for name, value in found if len(value) >= 8]


def where(data, offset):
    """Line number and a short excerpt around offset, with the secret's region masked by the caller."""
    line = data.count(b"\n", 0, offset) + 1
    start = max(data.rfind(b"\n", 0, offset) + 1, offset - 80)
    return line, start


def main(argv):
    args = argv[1:]
    extra = []
    while "--secret" in args:
        i = args.index("--secret")
        extra.append(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    scan_dir, tokens_file = args
    wanted = secrets(tokens_file, extra)
    files = [os.path.join(d, n) for d, _, names in os.walk(scan_dir) for n in sorted(names)] if os.path.isdir(scan_dir) else []
    if not files:
        print(f"secret scan: FAILED: nothing to scan in {scan_dir} (no test recorded anything: is the capture wired?)")
        return 2
    findings = []
    for path in files:
        with open(path, "rb") as f:
            data = f.read()
        for name, secret in wanted:
            offset = data.find(secret)
            if offset < 0:
                continue
            count = data.count(secret)
            line, start = where(data, offset)
            excerpt = (data[start:offset] + b"[SECRET]" + data[offset + len(secret):offset + len(secret) + 60])
            excerpt = excerpt.split(b"\n")[0].decode("utf-8", "replace")
            findings.append(f"  {name} appears {count}x in {os.path.relpath(path, scan_dir)} (first at line {line}): {excerpt!r}")
    if findings:
        print(f"secret scan: FAILED: a secret reached logs, audit rows or tool output ({len(findings)} finding(s)):")
        print("\n".join(findings))
        return 1
    print(f"secret scan: {len(files)} file(s) under {scan_dir} searched for {len(wanted)} secret(s): none found")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
