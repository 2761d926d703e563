#!/usr/bin/python3
"""Outputs as the operating system sees them: devices, FIFOs and symbolic links
are not replaced, modes are kept, inputs are never overwritten, signals leave
nothing behind, and the command-line conventions hold.

Devices are made with mknod in a temporary folder (the tests run as root in
CI); /dev/null itself is never a target. Each test gets a folder of its own."""
import os
import signal
import stat
import subprocess
import threading
import time

import lptest

ROOT = lptest.ROOT
LYNCPLAN = lptest.LYNCPLAN
EXAMPLE = os.path.join(ROOT, "examples", "dr-enterprise.ini")
PRICES = os.path.join(ROOT, "examples", "prices-example.prices")
SCENARIO = "[scenario]\nrto = 30m\n[site HQ]\nusers = 5000\n"

tests = []


def test(fn):
    tests.append(fn)
    return fn


def run(*args, cwd=None, stdin=None, input=None, stdout=subprocess.PIPE, pass_fds=()):
    return lptest.run(*args, cwd=cwd, stdin=stdin, input=input, stdout=stdout, pass_fds=pass_fds,
                      timeout=60)


def check(cond, what):
    if not cond:
        raise AssertionError(what)


def one_line(err, must_have):
    text = err.decode()
    check(text.count("\n") == 1, f"expected one line on stderr, got {text!r}")
    check(must_have in text, f"expected {must_have!r} in {text!r}")


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def read(path):
    with open(path) as f:
        return f.read()


def leftovers(d):
    return [n for n in os.listdir(d) if n.startswith(".")]


def mknod(path, minor):
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))


@test
def null_device_stays_a_device(d):
    null = os.path.join(d, "null")
    mknod(null, 3)
    for args in (["plan", "--site", "HQ=5000", "-o", null],
                 ["plan", "--site", "HQ=5000", "--xlsx", null, "-o", os.path.join(d, "r.txt")],
                 ["sweep", "--site", "HQ=5000", "--vary", "users=1..100/1", "-o", null],
                 ["sweep", "--site", "HQ=5000", "--vary", "users=1..100/1", "--format", "xlsx", "-o", null]):
        r = run(*args)
        check(r.returncode == 0, f"{args}: exit {r.returncode}: {r.stderr!r}")
        check(stat.S_ISCHR(os.stat(null).st_mode), f"{args}: the null device was replaced")
    check(not leftovers(d), f"temporary files left: {leftovers(d)}")


@test
def full_device_reports_the_failure(d):
    full = os.path.join(d, "full")
    mknod(full, 7)
    for args in (["plan", "--site", "HQ=5000", "-o", full],
                 ["sweep", "--site", "HQ=5000", "--vary", "users=1..20000/1", "-o", full],
                 ["plan", "--site", "HQ=5000", "--xlsx", full, "-o", os.path.join(d, "r.txt")]):
        r = run(*args)
        check(r.returncode == 1, f"{args}: exit {r.returncode}, expected 1")
        one_line(r.stderr, "No space left on device")
        check(stat.S_ISCHR(os.stat(full).st_mode), f"{args}: the device was replaced")
    # standard output on a full device: one line, exit 1, also for --help
    for args in (["plan", "--site", "HQ=5000"], ["plan", "--help"], ["--version"]):
        with open(full, "w") as out:
            r = run(*args, stdout=out)
        check(r.returncode == 1, f"{args} > full: exit {r.returncode}, expected 1")
        one_line(r.stderr, "cannot write to standard output: No space left on device")


@test
def fifo_is_written_through(d):
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    r = run("plan", "--site", "HQ=5000", "--format", "json", "-o", fifo)
    reader.join(30)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}")
    check(stat.S_ISFIFO(os.stat(fifo).st_mode), "the FIFO was replaced")
    check(got and got[0].lstrip().startswith("{"), "the reader got no plan")
    check(not leftovers(d), f"temporary files left: {leftovers(d)}")


@test
def symlink_target_replaced_link_kept(d):
    os.mkdir(os.path.join(d, "real"))
    target = os.path.join(d, "real", "plan.txt")
    write(target, "old\n", 0o640)
    link = os.path.join(d, "plan.txt")
    os.symlink("real/plan.txt", link)
    r = run("plan", "--site", "HQ=5000", "-o", link)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}")
    check(os.path.islink(link), "the link is no longer a link")
    check(read(target).startswith("Lync Server 2013 plan"), "the link's target was not written")
    check(stat.S_IMODE(os.stat(target).st_mode) == 0o640, "the target lost its mode")
    # a dangling link: its target is created
    os.unlink(target)
    r = run("plan", "--site", "HQ=5000", "-o", link)
    check(r.returncode == 0 and os.path.islink(link) and os.path.isfile(target), "dangling link")


@test
def mode_is_kept(d):
    out = os.path.join(d, "priced.txt")
    write(out, "old\n", 0o600)
    book = os.path.join(d, "plan.xlsx")
    write(book, "old\n", 0o600)
    r = run("plan", EXAMPLE, "--prices", PRICES, "-o", out, "--xlsx", book)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}")
    for p in (out, book):
        check(stat.S_IMODE(os.stat(p).st_mode) == 0o600, f"{p}: mode became {oct(os.stat(p).st_mode)}")
    old = os.umask(0o027)
    try:
        fresh = os.path.join(d, "fresh.txt")
        r = run("plan", "--site", "HQ=5000", "-o", fresh)
        check(stat.S_IMODE(os.stat(fresh).st_mode) == 0o640, "a new file ignores the umask")
    finally:
        os.umask(old)


@test
def read_only_file_not_clobbered(d):
    out = os.path.join(d, "locked.txt")
    write(out, "keep\n", 0o444)
    for args in (["plan", "--site", "HQ=5000", "-o", out],
                 ["sweep", "--site", "HQ=5000", "--vary", "users=1..10/1", "-o", out]):
        r = run(*args)
        check(r.returncode == 1, f"{args}: exit {r.returncode}, expected 1")
        one_line(r.stderr, "read-only")
        check(read(out) == "keep\n", "the read-only file was replaced")


@test
def inputs_are_never_overwritten(d):
    sc = os.path.join(d, "s.ini")
    write(sc, SCENARIO)
    prices = os.path.join(d, "p.prices")
    write(prices, read(PRICES))
    cases = [
        (["sweep", sc, "--vary", "rto=15m,1h", "-o", sc], sc, "the scenario file"),
        (["plan", "--site", "HQ=5000", "--prices", prices, "-o", prices], prices, "the price list"),
        (["sweep", sc, "--prices", prices, "--vary", "rto=15m,1h", "-o", prices], prices, "the price list"),
        (["plan", sc, "--xlsx", prices, "--prices", prices], prices, "the price list"),
    ]
    for args, victim, what in cases:
        before = read(victim)
        r = run(*args)
        check(r.returncode == 2, f"{args}: exit {r.returncode}, expected 2")
        one_line(r.stderr, f"refusing to overwrite {what} being read")
        check(read(victim) == before, f"{args}: {victim} was changed")


@test
def outputs_checked_before_any_is_written(d):
    book = os.path.join(d, "ok.xlsx")
    write(book, "old workbook\n")
    r = run("plan", "--site", "HQ=5000", "--xlsx", book, "-o", os.path.join(d, "missing", "dir", "x"))
    check(r.returncode == 1, f"exit {r.returncode}, expected 1")
    one_line(r.stderr, "No such file or directory")
    check(read(book) == "old workbook\n", "the workbook was replaced before -o failed")
    same = os.path.join(d, "same")
    r = run("plan", "--site", "HQ=5000", "--xlsx", same, "-o", same)
    check(r.returncode == 2 and not os.path.exists(same), f"--xlsx X -o X: exit {r.returncode}")
    one_line(r.stderr, "--xlsx and -o both write")
    check(not leftovers(d), f"temporary files left: {leftovers(d)}")


def signal_sweep(d, sig, expected):
    out = os.path.join(d, "big.csv")
    write(out, "old\n")
    p = lptest.start("sweep", "--site", "HQ=5000", "--vary", "users=1..90000000/1",
                     "--threads", "1", "-q", "-o", out)
    deadline = time.time() + 20
    while time.time() < deadline:
        tmp = [n for n in leftovers(d) if n.startswith(".big.csv.")]
        if tmp and os.path.getsize(os.path.join(d, tmp[0])) > 0:
            break
        time.sleep(0.05)
    check(p.poll() is None, "the sweep ended before the signal")
    p.send_signal(sig)
    p.wait(20)
    check(p.returncode == expected, f"{sig}: exit {p.returncode}, expected {expected}")
    check(not leftovers(d), f"{sig}: temporary files left: {leftovers(d)}")
    check(read(out) == "old\n", f"{sig}: the old target was changed")


@test
def nohup_keeps_sighup_ignored(d):
    out = os.path.join(d, "big.csv")
    p = lptest.start("sweep", "--site", "HQ=5000", "--vary", "users=1..90000000/1",
                     "--threads", "1", "-q", "-o", out,
                     preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN))
    time.sleep(0.5)
    p.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    alive = p.poll() is None
    p.kill()
    p.wait(20)
    check(alive, "an ignored SIGHUP ended the sweep (nohup would not work)")


@test
def sigint_cleans_up(d):
    signal_sweep(d, signal.SIGINT, 130)


@test
def sigterm_cleans_up(d):
    signal_sweep(d, signal.SIGTERM, 143)


@test
def sighup_cleans_up(d):
    signal_sweep(d, signal.SIGHUP, 129)


FAKE_DOT = """#!/bin/sh
# a dot that writes part of its output, then runs on (issue 24)
echo $$ > "$LP_TEST_DOT_PID"
for a in "$@"; do case "$a" in -o*) echo partial > "${a#-o}";; esac; done
exec sleep 30
"""


def signal_dot(d, sig, expected, option, target):
    """A signal while dot draws: dot is killed, no temporary file stays."""
    bindir, tmp = os.path.join(d, "bin"), os.path.join(d, "tmp")
    os.mkdir(bindir)
    os.mkdir(tmp)
    write(os.path.join(bindir, "dot"), FAKE_DOT, 0o755)
    pidfile = os.path.join(d, "dot.pid")
    env = {"PATH": bindir + ":" + os.environ["PATH"], "TMPDIR": tmp, "LP_TEST_DOT_PID": pidfile}
    out = os.path.join(d, target)
    p = lptest.start("plan", EXAMPLE, option, out, "-o", os.path.join(d, "r.txt"), env=env)
    deadline = time.time() + 20
    while time.time() < deadline and not (os.path.exists(pidfile) and read(pidfile).strip()):
        time.sleep(0.05)
    check(p.poll() is None, "lyncplan ended before dot ran")
    pid = int(read(pidfile))
    p.send_signal(sig)
    p.wait(20)
    check(p.returncode == expected, f"{sig}: exit {p.returncode}, expected {expected}")
    time.sleep(0.2)
    check(not os.path.exists(f"/proc/{pid}") or "State:\tZ" in read(f"/proc/{pid}/status"),
          f"{sig}: dot (pid {pid}) still runs after lyncplan ended")
    check(not leftovers(d), f"{sig}: temporary files left: {leftovers(d)}")
    check(os.listdir(tmp) == [], f"{sig}: temporary files left in TMPDIR: {os.listdir(tmp)}")
    check(not os.path.exists(out), f"{sig}: {target} was written")


@test
def sigterm_kills_dot_diagram(d):
    signal_dot(d, signal.SIGTERM, 143, "--diagram", "d.svg")


@test
def sigint_kills_dot_workbook(d):
    signal_dot(d, signal.SIGINT, 130, "--xlsx", "w.xlsx")


@test
def sighup_kills_dot_png(d):
    signal_dot(d, signal.SIGHUP, 129, "--diagram", "d.png")


def fake_dot_run(d, script, *args):
    bindir = os.path.join(d, "bin")
    os.makedirs(bindir, exist_ok=True)
    write(os.path.join(bindir, "dot"), script, 0o755)
    return lptest.run("plan", EXAMPLE, *args, env={"PATH": bindir + ":" + os.environ["PATH"]},
                      timeout=60)


@test
def dot_failures_say_why(d):
    """dot's exit status and first line, a signal, its memory bound (issue 24)."""
    out = os.path.join(d, "d.svg")
    r = fake_dot_run(d, "#!/bin/sh\necho 'Error: syntax error in line 3' >&2\nexit 1\n",
                     "--diagram", out)
    check(r.returncode == 1, f"exit {r.returncode}")
    one_line(r.stderr, "Graphviz's dot failed with exit status 1: Error: syntax error in line 3")
    r = fake_dot_run(d, "#!/bin/sh\nkill -SEGV $$\n", "--diagram", out)
    one_line(r.stderr, "Graphviz's dot was ended by signal 11 (Segmentation fault); "
                       "it may use at most 1024 MB of memory")
    r = fake_dot_run(d, "#!/bin/sh\nulimit -v >&2\nexit 2\n", "--diagram", out)
    one_line(r.stderr, "Graphviz's dot failed with exit status 2: 1048576")
    r = fake_dot_run(d, "#!/bin/sh\ncat >/dev/null\n", "--diagram", out)
    one_line(r.stderr, "cannot write " + out + ": Graphviz's dot wrote nothing")
    check(not os.path.exists(out) and not leftovers(d), "a failed diagram left a file")
    r = fake_dot_run(d, "#!/bin/sh\necho 'Error: out of memory' >&2\nexit 1\n",
                     "--xlsx", os.path.join(d, "w.xlsx"), "-o", os.path.join(d, "r.txt"))
    check(r.returncode == 0, f"--xlsx without a diagram: exit {r.returncode}")
    one_line(r.stderr, "the workbook has no diagram: cannot write the workbook's diagram: "
                       "Graphviz's dot failed with exit status 1: Error: out of memory")


@test
def simulate_default_years_fit_the_bound(d):
    """Without --years, a plan too large for 100,000 years is simulated for
    the years that fit, and says so (issue 24: 1,000 sites took 200 s)."""
    ini = os.path.join(d, "many.ini")
    write(ini, "".join(f"[site S{i}]\nusers = 1000\ndr-site = none\n" for i in range(200)))
    # 200 groups of about 27,560 events a year: 36,284 years within 1,000,000,000 events,
    # said before the simulation starts (which takes seconds: it is not waited for)
    p = lptest.start("simulate", ini, "--set", "standard-edition-failures-per-year=36", "-o",
                     os.path.join(d, "sim.txt"))
    line = p.stderr.readline().decode()
    p.terminate()
    p.wait(20)
    p.stderr.close()
    check(line == "lyncplan: simulating 36,284 years, not 100,000: 200 groups give about 27,560 "
                  "events a year and a simulation takes at most 1,000,000,000\n", f"stderr {line!r}")
    check(not os.path.exists(os.path.join(d, "sim.txt")) and not leftovers(d), "a file was left")


@test
def workbook_cell_too_long_refused_first(d):
    """A cell over Excel's 32,767 characters is refused before anything is
    written (issue 24: 5,000 paired sites failed after 157 s)."""
    ini = os.path.join(d, "many.ini")
    domains = ", ".join(f"domain{i}.example.com" for i in range(1500))
    write(ini, f"[scenario]\nsip-domain = {domains}\n[site HQ]\nusers = 1000\n")
    book, report = os.path.join(d, "w.xlsx"), os.path.join(d, "r.txt")
    r = run("plan", ini, "--set", "certificate-names-max=100000", "--xlsx", book, "-o", report)
    check(r.returncode == 2, f"exit {r.returncode}: {r.stderr!r}")
    one_line(r.stderr, "--xlsx: the Certificates sheet's subject alternative names of "
                       "se01-hq.domain0.example.com would take 198,211 characters")
    one_line(r.stderr, "characters, over the 32,767 a cell holds in Excel")
    check(not os.path.exists(book) and not os.path.exists(report) and not leftovers(d),
          "a refused workbook left a file")


@test
def scenario_from_stdin_and_pipes(d):
    want = run("plan", "--site", "HQ=5000", "--rto", "30m").stdout
    r = run("plan", "-", input=SCENARIO.encode())
    check(r.returncode == 0 and r.stdout == want, f"plan -: exit {r.returncode}: {r.stderr!r}")
    r = run("plan", "-", input=b"\xef\xbb\xbf" + SCENARIO.encode())
    check(r.returncode == 0 and r.stdout == want, f"a byte-order mark: exit {r.returncode}: {r.stderr!r}")
    r = run("sweep", "-", "--vary", "users=1..40000/1", "--threads", "2", input=SCENARIO.encode())
    check(r.returncode == 0 and r.stdout.count(b"\n") == 40001, f"sweep -: {r.stderr!r}")
    r = run("plan", "-", input=b"[scenario]\nrtoo = 1h\n")
    check(r.returncode == 2, "a bad scenario on stdin")
    one_line(r.stderr, "stdin:2: [scenario] rtoo: unknown key")
    rfd, wfd = os.pipe()
    os.write(wfd, SCENARIO.encode())
    os.close(wfd)
    r = run("plan", f"/dev/fd/{rfd}", pass_fds=(rfd,))
    os.close(rfd)
    check(r.returncode == 0 and r.stdout == want, f"plan <(pipe): exit {r.returncode}: {r.stderr!r}")


@test
def switches_take_no_and_false(d):
    sc = os.path.join(d, "pchat.ini")
    write(sc, "[scenario]\npersistent-chat = true\n[site HQ]\nusers = 5000\n")
    def pchat(*flags):
        r = run("plan", sc, *flags)
        check(r.returncode == 0, f"{flags}: exit {r.returncode}: {r.stderr!r}")
        return [l.split()[1] for l in r.stdout.decode().splitlines() if l.startswith("  persistent-chat ")][0]
    check(pchat() == "yes", "the file's true")
    check(pchat("--persistent-chat=false") == "no", "--persistent-chat=false turned it on")
    check(pchat("--no-persistent-chat") == "no", "--no-persistent-chat")
    check(pchat("--persistent-chat=no", "--persistent-chat") == "yes", "the last flag wins")
    r = run("plan", sc, "--explain=false")
    check(b"Rule trace" not in r.stdout and r.returncode == 0, "--explain=false explained")


@test
def libxlsxwriter_keeps_quiet(d):
    # an empty shard once made libxlsxwriter print "[WARNING]" before lyncplan's own line
    r = run("sweep", "--site", "HQ=5000", "--vary", "users=1..3/1", "--shard", "1/8", "--format", "xlsx",
            "-o", os.path.join(d, "empty.xlsx"))
    check(b"[WARNING]" not in r.stderr and b"[ERROR]" not in r.stderr, f"libxlsxwriter spoke: {r.stderr!r}")
    check(r.stderr.count(b"\n") <= 1, f"more than one line: {r.stderr!r}")


@test
def dates_print_with_four_digit_years(d):
    import zipfile
    book = os.path.join(d, "plan.xlsx")
    r = run("plan", "--site", "HQ=5000", "--date", "1980-01-01", "--xlsx", book, "-o", os.path.join(d, "p.txt"))
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr!r}")
    core = zipfile.ZipFile(book).read("docProps/core.xml").decode()
    check("1980-01-01T00:00:00Z" in core, f"core.xml dates: {core}")


@test
def outputs_reach_the_disk_before_the_rename(d):
    for args in (["plan", "--site", "HQ=5000"],
                 ["sweep", "--site", "HQ=5000", "--vary", "users=1..100/1"],
                 ["sweep", "--site", "HQ=5000", "--vary", "users=1..100/1", "--format", "xlsx"]):
        out = os.path.join(d, "out")
        trace = os.path.join(d, "trace")
        # LeakSanitizer cannot run under ptrace: in a sanitizer build leaks are checked elsewhere
        env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0")
        r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=fsync,rename", "-o", trace, LYNCPLAN,
                            *args, "-o", out], capture_output=True, timeout=60, env=env)
        check(r.returncode == 0, f"{args}: exit {r.returncode}: {r.stderr!r}")
        calls = [l.split(None, 1)[1].split("(")[0] for l in read(trace).splitlines()
                 if "fsync(" in l or "rename(" in l]
        check("fsync" in calls and calls.index("fsync") < calls.index("rename"),
              f"{args}: no fsync before the rename: {calls}")


@test
def help_and_version(d):
    r = run("help", "plan")
    check(r.returncode == 0 and b"lyncplan plan [OPTION" in r.stdout, "help plan")
    check(r.stdout == run("plan", "--help").stdout, "help plan differs from plan --help")
    r = run("help", "bogus")
    check(r.returncode == 2, "help bogus")
    r = run("-V")
    check(r.returncode == 0 and r.stdout.startswith(b"lyncplan "), "-V")


Outputs = lptest.cases(tests, "Outputs", tmp=True)

if __name__ == "__main__":
    lptest.main()
