"""What every benchmark records beside its figures: the machine, and how busy it was.

The machine is shared (other people's tests run on the same CPUs), so each figure is reported
with the load average and the share of the CPUs that was busy over the phase it belongs to.
"""

from __future__ import annotations

import os
import platform
import time
from datetime import UTC, datetime


def machine_info() -> dict:
    info = {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    try:
        for line in open("/proc/cpuinfo"):  # noqa: SIM115
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["memory_gb"] = round(
            int(open("/proc/meminfo").readline().split()[1]) / 1024 / 1024,
            1,  # noqa: SIM115
        )
    except OSError:
        pass
    return info


def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle, sum(fields)


class Load:
    """Marks phases; reports each phase's load average and busy share of the machine's CPUs."""

    def __init__(self) -> None:
        self.marks: list[tuple[str, float, tuple[float, float], float]] = []

    def mark(self, name: str) -> None:
        self.marks.append((name, time.monotonic(), cpu_times(), os.getloadavg()[0]))

    def report(self) -> dict:
        out = {}
        for (name, _t0, (b0, a0), load0), (_n, _t1, (b1, a1), _l1) in zip(
            self.marks, self.marks[1:], strict=False
        ):
            out[name] = {
                "loadavg_1m_at_start": round(load0, 2),
                "cpus_busy": round((b1 - b0) / (a1 - a0) * (os.cpu_count() or 1), 2)
                if a1 > a0
                else None,
            }
        return out
