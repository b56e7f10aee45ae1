#!/usr/bin/env python3
"""A scripted outside agent for tests/outside_agent.rs.

Usage: scripted.py SCRIPT_JSON

SCRIPT_JSON is a list with one entry per turn; each entry is a list of raw lines. On a
turn the agent sends the entry's first line, and after each `rejected` reply the next one
(nothing more when the entry runs out). Two lines are special: `__SILENT__` sends nothing
(the referee's move timeout then ends the run) and `__EXIT__` ends the program. Past the
script's end, every turn sends `{"walk_out": true}`.
"""

import json
import sys
import time


def main():
    script = json.loads(sys.argv[1])
    turn = 0
    pending = []

    def emit():
        if not pending:
            return
        line = pending.pop(0)
        if line == "__SILENT__":
            time.sleep(30)
            return
        if line == "__EXIT__":
            sys.exit(0)
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    for raw in sys.stdin:
        kind = json.loads(raw).get("type")
        if kind == "turn":
            pending[:] = list(script[turn]) if turn < len(script) else ['{"walk_out": true}']
            turn += 1
            emit()
        elif kind == "rejected":
            emit()
        elif kind == "end":
            break


if __name__ == "__main__":
    main()
