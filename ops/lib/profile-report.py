#!/usr/bin/env python3
"""Managed CPU by component from a dotnet-trace speedscope file (profile dotnet-sampled-thread-time).

The sampler marks each sample's leaf CPU_TIME (running managed code) or UNMANAGED_CODE_TIME / a wait frame; only
CPU_TIME intervals are counted, and each is attributed to every frame on its stack (inclusive), so the shares
overlap (a handler's share includes the database driver it calls). An async method's continuation runs without its
callers on the stack, so a frame's share counts only the samples taken while it was synchronously on the stack."""
import collections
import json
import sys

COMPONENTS = [
    ("Kestrel request processing (synchronous part)", "Kestrel"),
    ("JWT bearer validation", "JwtBearer"),
    ("the record-measurement handler, all of it", "RecordMeasurementCommandHandler"),
    ("  Marten FetchForWriting (stream version + cached aggregate)", "FetchForWriting"),
    ("    JasperFx aggregate write cache (RecentlyUsedCache)", "RecentlyUsedCache"),
    ("  Marten SaveChangesAsync (append, inline projection, outbox)", "SaveChangesAsync"),
    ("    the account projection step", "AccountProjection"),
    ("    the account summary (valuation of every measurement)", "AccountSummary.Of"),
    ("Npgsql (all database calls)", "Npgsql"),
    ("System.Text.Json", "System.Text.Json"),
    ("live pushes: account", "AccountChangedHandler"),
    ("live pushes: portfolio", "PortfolioChangedHandler"),
    ("Wolverine durable inbox/outbox agents", "Durab"),
    ("FluentValidation", "FluentValidation"),
    ("garbage collection (managed part)", "GC"),
]


def main(path: str) -> None:
    data = json.load(open(path))
    frames = [f["name"] for f in data["shared"]["frames"]]
    cpu = 0.0
    inclusive = collections.Counter()
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last and frames[stack[-1]] == "CPU_TIME":
                span = at - last
                cpu += span
                for name in {frames[i].split("(")[0] for i in stack[:-1]}:
                    inclusive[name] += span
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
            last = at
    if cpu == 0:
        print("no managed CPU samples in the trace")
        return
    print(f"managed CPU samples: {cpu / 1000:.1f} s (summed over threads)")
    print("| component | share of managed CPU (inclusive) |")
    print("|---|---:|")
    for label, needle in COMPONENTS:
        share = max((v for n, v in inclusive.items() if needle in n), default=0.0)
        print(f"| {label} | {100 * share / cpu:.1f} % |")


if __name__ == "__main__":
    main(sys.argv[1])
