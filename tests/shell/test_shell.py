#!/usr/bin/python3
"""Piped `lyncplan shell` sessions and `lyncplan diff` runs against their
transcripts, one test each. Each NAME.session starts with '# args: ...' (the
arguments after lyncplan, shell quoting); the rest is standard input.
NAME.expected is standard output and standard error as one stream (the shell
flushes its output before each message) and the exit status. @TMP@ stands for
a temporary folder. LP_UPDATE_GOLDEN=1 rewrites the transcripts.

Then: a session's `save` plans the same as the session (`show` against
`lyncplan plan` of the saved file)."""
import glob
import os
import re
import shlex
import shutil
import subprocess

import lptest

ROOT = lptest.ROOT
HERE = os.path.join(ROOT, "tests", "shell")
UPDATE = os.environ.get("LP_UPDATE_GOLDEN") == "1"


def run(args, stdin, tmp):
    p = lptest.run(*args, input=stdin.encode(), stderr=subprocess.STDOUT, timeout=20)
    return p.stdout.decode().replace(tmp, "@TMP@") + "exit: %d\n" % p.returncode


def transcript(path):
    with open(path) as f:
        first, rest = f.readline(), f.read()
    assert first.startswith("# args: "), path
    with lptest.tmpdir() as tmp:
        args = [a.replace("@TMP@", tmp) for a in shlex.split(first[len("# args: "):])]
        got = run(args, rest.replace("@TMP@", tmp), tmp)
    expected_path = path[:-len(".session")] + ".expected"
    if UPDATE:
        with open(expected_path, "w") as f:
            f.write(got)
        return True, ""
    with open(expected_path) as f:
        want = f.read()
    return got == want, "got:\n" + got


def save_plans_the_same():
    with lptest.tmpdir() as tmp:
        saved = os.path.join(tmp, "saved.ini")
        cmds = ("set dr-rto 8h\nsite set NYC users=40000\nsite add DUB 3000 dr-site=LAB\n"
                "set pool-failover-time 20m\nset name Litware, what if\nshow\nsave %s\n" % saved)
        p = lptest.run("shell", "examples/four-sites-dr.ini", input=cmds.encode(), timeout=20)
        if p.returncode != 0 or p.stderr:
            return False, p.stderr.decode()
        shown = p.stdout.decode()
        shown = shown[shown.index("Lync Server"):]
        plan = lptest.run("plan", saved, timeout=20)
        return plan.stdout.decode() == shown, "plan of the saved file:\n" + plan.stdout.decode()


def why_names_the_rules():
    """`why` picks the trace lines of a role's counts in the chosen design and of a
    design's verdicts (not pinned in a transcript: trace numbers and rule-file lines move
    whenever the rules do)."""
    p = lptest.run("shell", "examples/four-sites-dr.ini",
                   input=b"why front-end\nwhy enterprise-paired\n", timeout=20)
    lines = p.stdout.decode().splitlines()[1:]
    role = [l for l in lines if ": front-end = " in l]
    design = [l for l in lines if ": front-end = " not in l]
    ok = (p.returncode == 0 and len(role) == 4 and all("enterprise-paired, site " in l for l in role)
          and any("group NYC + CHI: chose enterprise-paired" in l for l in design)
          and any(l.split(". ", 1)[1].startswith("enterprise-paired: ") for l in design))
    return ok, p.stdout.decode() + p.stderr.decode()


def why_matches_ids_whole():
    """`why` takes a role or design id and matches it whole: a site whose name holds
    the word (A70 for A7) is not a rule that names it, so the shell says none does
    (it printed every group line of A70 before)."""
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "a70.ini")
        with open(path, "w") as f:
            f.write("[site A70]\nusers = 100\n")
        p = lptest.run("shell", path, input=b"why A7\nwhy standard-paired\n", timeout=20)
    out, err = p.stdout.decode(), p.stderr.decode()
    # the group's line once, for the design it chose, and no line for A7
    ok = ("no rule of the plan names 'A7'" in err and out.count("group A70: ") == 1
          and "group A70: chose standard-paired (" in out)
    return ok, out + err


def why_shows_the_arithmetic():
    """`why front-end` follows the chosen design's count down to the user count:
    the formulas it read at the site, each with its values, and no line of a
    design not chosen."""
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "hq.ini")
        with open(path, "w") as f:
            f.write("[site HQ]\nusers = 19000\n")
        p = lptest.run("shell", path, input=b"why front-end\n", timeout=20)
    out = p.stdout.decode()
    lines = [l.split(". ", 1)[1] for l in out.splitlines()[1:]]
    ok = (p.returncode == 0 and out.startswith("Design: enterprise-pool,")
          and all(l.startswith("enterprise-pool, site HQ: ") for l in lines)
          and any(": pool-users = users / max(1, pools) = 19000 (users 19000, pools 1)" in l
                  for l in lines)
          and any(": front-ends-needed = ceil(pool-users / users-per-front-end)" in l for l in lines)
          and any(": front-end = pools * front-ends-per-pool = 4" in l for l in lines))
    return ok, out + p.stderr.decode()


def prompt_counts_the_misses():
    """A plan that misses says how many requirements, in plain words."""
    p = lptest.run("shell", "examples/unachievable.ini", input=b"", timeout=20)
    first = p.stdout.decode().splitlines()[0]
    ok = re.search(r", misses \d+ requirements?$", first) is not None and "not every" not in first
    return ok, p.stdout.decode() + p.stderr.decode()


def another_rule_set():
    """`diff --with product=ID` and the shell's `product`: a copy of lync2013 under
    another id (a rule folder of its own) plans the same, so the difference is the
    product alone, and a change after the switch compares site by site."""
    with lptest.tmpdir() as tmp:
        os.mkdir(os.path.join(tmp, "rules"))
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(tmp, "templates"))
        with open(os.path.join(ROOT, "rules", "lync2013.rules")) as f:
            text = f.read()
        for name, rule_id in (("lync2013", "lync2013"), ("copy2013", "copy2013")):
            with open(os.path.join(tmp, "rules", name + ".rules"), "w") as f:
                f.write(text.replace("\nid = lync2013\n", "\nid = %s\n" % rule_id, 1))
        rules = os.path.join(tmp, "rules")
        d = lptest.run("diff", "examples/four-sites-dr.ini", "--rules-dir", rules, "--with",
                       "product=copy2013", timeout=20)
        sh = lptest.run("shell", "--rules-dir", rules, "examples/four-sites-dr.ini",
                        input=b"product copy2013\nsite set NYC users=40000\nundo\nundo\n",
                        timeout=20)
    want = ("Design: enterprise-paired, 52 servers, 8 appliances\n"
            "Product: lync2013 -> copy2013\n"
            "Input users@NYC: 20000 -> 40000\n"
            "Servers: 52 -> 58\nNYC: Front End server 5 -> 8\nCHI: Front End server 5 -> 8\n"
            "Input users@NYC: 40000 -> 20000\n"
            "Servers: 58 -> 52\nNYC: Front End server 8 -> 5\nCHI: Front End server 8 -> 5\n"
            "Product: copy2013 -> lync2013\n")
    ok = (d.returncode == 1 and d.stdout == b"Product: lync2013 -> copy2013\n"
          and sh.stdout.decode() == want and sh.returncode == 0)
    return ok, d.stdout.decode() + d.stderr.decode() + sh.stdout.decode() + sh.stderr.decode()


def diff_cannot_write():
    """A diff that cannot write its output is trouble (2), not a difference (1)."""
    with open("/dev/full", "w") as full:
        p = lptest.run("diff", "examples/dr-standard.ini", "examples/dr-enterprise.ini",
                       stdout=full, timeout=20)
    return (p.returncode == 2 and p.stderr == b"lyncplan: cannot write to standard output: "
            b"No space left on device\n"), p.stderr.decode() + " exit %d" % p.returncode


def cases():
    found = [(os.path.basename(p)[:-len(".session")], lambda p=p: transcript(p))
             for p in sorted(glob.glob(os.path.join(HERE, "*.session")))]
    found.append(("save plans the same", save_plans_the_same))
    found.append(("why names the rules", why_names_the_rules))
    found.append(("why shows the arithmetic", why_shows_the_arithmetic))
    found.append(("why matches ids whole", why_matches_ids_whole))
    found.append(("the first line counts the misses", prompt_counts_the_misses))
    found.append(("another rule set", another_rule_set))
    found.append(("diff cannot write", diff_cannot_write))
    return found


Shell = lptest.cases(cases(), "Shell")

if __name__ == "__main__":
    lptest.main()
