#!/usr/bin/env python3
"""A small outside agent for `dealzone simulate --agent PARTY="python3 concede.py"`.

It speaks the line-delimited JSON protocol of docs/agent-protocol.md: one JSON object per
line on stdin (start, turn, rejected, forfeited, end) and one per line on stdout (an offer,
an acceptance or a walk-out).

Tactic: time-dependent concession (GENIUS's linear agent). Its target utility falls from
its best to its reservation over the rounds. It accepts an offer on the table worth at
least its target; otherwise it offers the best state it has not yet seen refused whose
utility is at least its target (ranked once at the start, when the scenario has at most
200,000 states; past that it offers its best level on every issue). An offer the referee
refuses (one of its own red lines, its reservation, a precondition) is remembered and
never offered again.

Only the standard library; Python 3.8 or later.
"""

import itertools
import json
import sys

MAX_RANKED = 200_000


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def utility(start, state):
    u = start.get("utility")
    if u is None:
        return 0.0
    total = 0.0
    for issue in start["issues"]:
        i = issue["id"]
        w = u["weights"].get(i, 0.0)
        if w:
            total += w * u["values"][i][issue["levels"].index(state[i])]
    return min(1.0, total)


def ranked(start):
    """Every state, best for this party first (ties in enumeration order)."""
    issues = start["issues"]
    size = 1
    for issue in issues:
        size *= len(issue["levels"])
    if size > MAX_RANKED:
        best = {}
        for issue in issues:
            i = issue["id"]
            vals = (start.get("utility") or {}).get("values", {}).get(i)
            levels = issue["levels"]
            best[i] = levels[max(range(len(levels)), key=lambda k: vals[k])] if vals else levels[0]
        return [best]
    states = [
        dict(zip([x["id"] for x in issues], combo))
        for combo in itertools.product(*[x["levels"] for x in issues])
    ]
    states.sort(key=lambda s: -utility(start, s))
    return states


def main():
    start = None
    states = []
    refused = set()
    last_offer = None
    target = 1.0
    for line in sys.stdin:
        msg = json.loads(line)
        kind = msg.get("type")
        if kind == "start":
            start = msg
            states = ranked(start)
        elif kind == "turn":
            best = utility(start, states[0]) if states else 1.0
            floor = msg.get("reservation") or 0.0
            t = msg["round"] / max(1, msg["rounds"] - 1)
            target = best - (best - floor) * t
            table = msg.get("on_table")
            if (
                table
                and table["party"] != start["party"]
                and utility(start, table["offer"]) >= target - 1e-9
            ):
                send({"accept": True, "message": "target %.3f met" % target})
                last_offer = None
                continue
            last_offer = next_offer(start, states, refused, target)
            send({"offer": last_offer, "message": "target %.3f" % target})
        elif kind == "rejected":
            if last_offer is not None:
                refused.add(json.dumps(last_offer, sort_keys=True))
            last_offer = next_offer(start, states, refused, target)
            send({"offer": last_offer})
        elif kind == "end":
            break


def next_offer(start, states, refused, target):
    """The best state not refused yet; the lowest above the target when one exists."""
    choice = None
    for s in states:
        if json.dumps(s, sort_keys=True) in refused:
            continue
        if utility(start, s) < target - 1e-9:
            break
        choice = s
    if choice is None:
        choice = next(
            (s for s in states if json.dumps(s, sort_keys=True) not in refused), states[0]
        )
    return choice


if __name__ == "__main__":
    main()
