"""Peak resident memory of the current process, for the benchmarks' child processes."""

from __future__ import annotations

import resource


def peak_rss_mb() -> float:
    """This process's own peak RSS in MiB.

    `ru_maxrss` carries over the parent's peak through fork and exec on Linux, so a
    child started by a benchmark that built large schemas would report the parent's
    figure; `VmHWM` belongs to the process's own address space.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
