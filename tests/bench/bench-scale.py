#!/usr/bin/env python3
"""bench-scale.py SHAPE: does lyncplan scale linearly in SHAPE?

Plans an estate of N and of 10 N (tests/bench/gen-estate.py: sites, branches
on one home, spokes on one hub, SIP domains), each once, and measures the
child's CPU time (user + system, from wait4's rusage: steadier than the wall
clock on a shared machine) and its peak resident memory (ru_maxrss). The
check tbxml writes the Topology Builder document of 400 and 4,000 sites
paired two by two (every service's dependencies and backup registrar are
looked up among thousands of pools: issue 26). Fails
(exit 1) when 10 times the size costs more than 15 times the time or the
memory (issue 24: every stage linear, or n log n), and for sites when 10,000
plain sites take 300 MB or more to plan to JSON.

Run with: meson test -C build --benchmark scale-sites --verbose (or
scale-branches, scale-spokes, scale-domains, scale-tbxml)."""
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LYNCPLAN = os.environ.get("LYNCPLAN", "lyncplan")
MAX_RATIO = 15.0

# check: (gen-estate.py's shape, N, the command's arguments after the scenario,
#         peak memory limit at 10 N in MB or None)
SHAPES = {
    "sites": ("sites", 1000, ["--format", "json"], 300),
    "branches": ("branches", 1000, ["--format", "csv", "--table", "bom"], None),
    "spokes": ("spokes", 1000, ["--format", "csv", "--table", "bom"], None),
    # certificate-names-max raised so that 10,000 domains are planned, not refused
    "domains": ("domains", 1000, ["--format", "json", "--set", "certificate-names-max=1000000"],
                None),
    # 4,000 sites: before the dependency lookup was a hash, 10 times the sites cost 29 times
    # the time (0.41 s and 11.8 s)
    "tbxml": ("paired", 400, ["--format", "tbxml"], None),
}


def measure(shape, gen, n, args, folder):
    """Plans the estate of N once; returns (CPU seconds, peak MB) of the child,
    read from wait4 (why this is not tests/system/lptest.py's run())."""
    scenario = os.path.join(folder, f"{shape}-{n}.ini")
    with open(scenario, "w") as f:
        f.write(subprocess.run([sys.executable, os.path.join(HERE, "gen-estate.py"), gen, str(n)],
                               check=True, capture_output=True, text=True).stdout)
    argv = [LYNCPLAN, "plan", scenario, "-o", os.path.join(folder, "out")] + args
    t0 = time.monotonic()
    proc = subprocess.Popen(argv, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{shape} {n}: lyncplan exited {code}: {err.strip()}")
    cpu = usage.ru_utime + usage.ru_stime
    mb = usage.ru_maxrss / 1024
    print(f"{shape:9} {n:6}: {cpu:8.2f} s CPU ({wall:.2f} s wall), {mb:7.1f} MB peak", flush=True)
    return cpu, mb


def main():
    shape = sys.argv[1] if len(sys.argv) == 2 else ""
    if shape not in SHAPES:
        sys.exit("usage: bench-scale.py " + "|".join(SHAPES))
    gen, n, args, mb_limit = SHAPES[shape]
    with tempfile.TemporaryDirectory() as folder:
        small = measure(shape, gen, n, args, folder)
        large = measure(shape, gen, 10 * n, args, folder)
    time_ratio = large[0] / max(small[0], 0.01)
    mem_ratio = large[1] / small[1]
    print(f"{shape}: 10 times the size, {time_ratio:.1f} times the time, "
          f"{mem_ratio:.1f} times the memory (at most {MAX_RATIO:.0f} each)")
    failed = []
    if time_ratio > MAX_RATIO:
        failed.append(f"time grew {time_ratio:.1f} times")
    if mem_ratio > MAX_RATIO:
        failed.append(f"memory grew {mem_ratio:.1f} times")
    if mb_limit is not None and large[1] >= mb_limit:
        failed.append(f"{10 * n} {shape} took {large[1]:.0f} MB, the limit is {mb_limit} MB")
    if failed:
        print(f"FAIL {shape}: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
