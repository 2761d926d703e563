#!/usr/bin/python3
"""The probe's findings of issue 24, each reproduced as the issue states it and
held to the behaviour the issue asks for, one test a finding: escapes in the shell, CRLF
scripts, long lines, unset, the undo bound, outputs over the files a run reads,
did-you-mean bounds, names that collide, cost overflow, availability at its
limits, one validation for plan, the shell and diff, DNS limits of the SIP
domain, and simulate's intervals."""
import json
import os
import re
import shutil

import lptest

ROOT = lptest.ROOT
CASES = []


def case(f):
    CASES.append(f)
    return f


def run(args, stdin=b"", cwd=None, timeout=60):
    return lptest.run(*args, input=stdin, cwd=cwd or ROOT, timeout=timeout)


shown = lptest.shown


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
    with lptest.tmpdir() as tmp:
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
    with lptest.tmpdir() as tmp:
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
    with lptest.tmpdir() as tmp:
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


# ---- finding 8: prices bounded, totals exact ----

def price_list(tmp, price):
    path = os.path.join(tmp, "p.prices")
    with open(path, "w") as f:
        f.write("[price-list]\ncurrency = USD\n")
        for role in ("front-end", "back-end-sql", "edge", "standard-edition"):
            f.write("[role %s]\nhardware = %s\nlicence = %s\n" % (role, price, price))
    return path


@case
def prices_are_bounded():
    """A price over 100,000,000 is refused; at the maximum, 60 sites of
    1,000,000 users cost what their servers cost (it printed USD 0.96)."""
    with lptest.tmpdir() as tmp:
        huge = run(["plan", "--site", "HQ=1000", "--prices", price_list(tmp, "9007199254740991")])
        sites = []
        for i in range(60):
            sites += ["--site", "S%d=1000000" % i]
        p = run(["plan"] + sites + ["--prices", price_list(tmp, "100000000"), "--format", "json"])
    ok = (huge.returncode == 2 and b"expected a price from 0 to 100,000,000" in huge.stderr
          and p.returncode == 0)
    if ok:
        d = json.loads(p.stdout)
        counted = sum(r["count"] for s in d["sites"] for r in s["roles"]
                      if r["role"] in ("front-end", "back-end-sql", "edge", "standard-edition"))
        ok = d["totals"]["cost"] == counted * 2 * 100000000 and counted > 0
        return ok, "cost %s, %d priced servers" % (d["totals"]["cost"], counted)
    return ok, shown(huge) + shown(p)


# ---- finding 9: availability never below 0% ----

@case
def availability_never_below_zero():
    p = run(["plan", "--site", "HQ=1000", "--edition", "enterprise",
             "--set", "back-end-failures-per-year=365", "--set", "back-end-repair-time=90d",
             "--set", "front-end-failures-per-year=365", "--set", "front-end-repair-time=90d",
             "--format", "json"])
    t = run(["plan", "--site", "HQ=1000", "--edition", "enterprise",
             "--set", "back-end-failures-per-year=365", "--set", "back-end-repair-time=90d",
             "--set", "front-end-failures-per-year=365", "--set", "front-end-repair-time=90d"])
    if p.returncode not in (0, 3):
        return False, shown(p)
    d = json.loads(p.stdout)
    classes = [c for g in d["groups"] for c in g.get("availability", {}).values()
               if isinstance(c, dict)]
    ok = classes and all(0 <= c["availability_percent"] <= 100 and
                         c["downtime_minutes_per_year"] <= 527040 for c in classes)
    ok = ok and any(c.get("never_available") for c in classes)
    ok = ok and b"-9" not in t.stdout and b"never available" in t.stdout
    return ok, json.dumps(classes, indent=1)[:3000] + t.stdout.decode()[-3000:]


# ---- finding 10: one validation for plan, the shell and diff --with ----

@case
def one_validation():
    d = run(["diff", "examples/dr-standard.ini", "--with", "computer-name-max=3"])
    sh = run(["shell", "examples/dr-standard.ini"], b"set computer-name-max 3\n")
    with lptest.tmpdir() as tmp:
        saved = os.path.join(tmp, "s.ini")
        dup = run(["shell"], ('site add "C " 10\nsite add C 20\nsave %s\n' % saved).encode())
        back = run(["plan", saved]) if os.path.exists(saved) else None
    ok = (d.returncode == 2 and b"computer-name-max" in d.stderr and sh.returncode == 2
          and b"computer-name-max" in sh.stderr
          and dup.stderr.startswith(b"shell:1: [site C ] invalid site name: a site name does not "
                                    b"start or end with a space\n")
          and back is not None and back.returncode == 0)
    return ok, shown(d) + shown(sh) + shown(dup) + (shown(back) if back else "")


# ---- finding 13: the minor ones ----

@case
def ip_address_is_no_sip_domain():
    p = run(["plan", "--site", "HQ=100", "--sip-domain", "1.2.3.4"])
    return (p.returncode == 2 and b"got the IP address '1.2.3.4'" in p.stderr), shown(p)


@case
def derived_names_fit_dns_and_subjects():
    """A SIP domain valid on its own but too long for the names the plan puts
    under it is refused up front (it gave 262-character SRV names and
    66-character subjects), with the name it would make; the longest that
    fits plans, and every name of the plan then fits DNS."""
    long_dns = ".".join(["b" * 58] * 4) + ".com"            # 239 characters, valid alone
    long_cn = "c" * 50 + ".com"                              # pool names over 64 characters
    a = run(["plan", "--site", "HQ=100", "--sip-domain", long_dns])
    b = run(["plan", "--site", "HQ=100", "--sip-domain", long_cn, "--format", "json"])
    c = run(["plan", "--site", "HQ=100", "--sip-domain", "c" * 40 + ".com", "--format", "json"])
    names = []
    if c.returncode == 0:
        dns = json.loads(c.stdout)["dns"]["records"]
        names = [r["name"] for r in dns] + [r.get("target") or "" for r in dns]
    ok = (a.returncode == 2 and b"'_sipfederationtls._tcp." in a.stderr
          and b"(262 characters) is longer than DNS allows" in a.stderr
          and b.returncode == 2 and b"at most 64 characters in a subject's common name" in b.stderr
          and c.returncode == 0 and names and max(len(n) for n in names) <= 253
          and all(len(label) <= 63 for n in names for label in n.split(".")))
    return ok, shown(a) + shown(b) + shown(c)[:2000]


@case
def header_image_places_are_text():
    """A plan named with Excel's image places (&G, &[Picture]) writes its
    workbook, the name printed as typed in the page header (libxlsxwriter
    refused the header, exit 1, and under ASan read it after freeing it)."""
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "amp.ini")
        book = os.path.join(tmp, "amp.xlsx")
        with open(path, "w") as f:
            f.write("[scenario]\nname = A&[Picture]B&G\ncustomer = &G\n[site HQ]\nusers = 100\n")
        p = run(["plan", path, "--xlsx", book, "-o", os.path.join(tmp, "amp.txt")])
        header = ""
        if p.returncode == 0:
            openpyxl = lptest.need("openpyxl")
            ws = openpyxl.load_workbook(book).worksheets[0]
            header = (ws.oddHeader.left.text or "") + "|" + (ws.oddHeader.right.text or "")
    # '&&' is Excel's literal '&'; U+2060 (invisible) keeps libxlsxwriter off the places
    shown_text = header.replace("&&", "&").replace("\u2060", "")
    return (p.returncode == 0 and shown_text == "A&[Picture]B&G|Prepared for &G"), shown(p) + header


# ---- finding 6: large estates finish ----

@case
def site_lists_fit_a_cell():
    """The Summary's requirements name the sites each row holds for; 132 sites
    of 252-character names (33,000 characters of names, the length of a
    5,000-site estate's list) made one cell over Excel's 32,767 and the
    workbook failed after it was built (exit 1). The list names the first
    sites and says how many more; the JSON keeps every site; and a long
    site name's address records plan (their targets are words, not names)."""
    n = 132
    names = ["s%03d-" % i + "x" * 247 for i in range(n)]
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "long.ini")
        book = os.path.join(tmp, "long.xlsx")
        with open(path, "w") as f:
            f.write("[scenario]\nname = long names\n")
            for name in names:
                f.write("[site %s]\nusers = 100\ndr-site = none\n" % name)
        p = run(["plan", path, "--xlsx", book, "--format", "json"])
        cells = []
        if p.returncode == 0:
            openpyxl = lptest.need("openpyxl")
            ws = openpyxl.load_workbook(book)["Summary"]
            # the cell wraps: a line break inside a name joins, between words is a space
            text = [re.sub(r"(?<=[x-])\n(?=x)", "", c.value).replace("\n", " ")
                    for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
            cells = [t for t in text if t.startswith(names[0] + ", ")]  # lists, not a name
    sites = [s["name"] for s in json.loads(p.stdout)["sites"]] if p.returncode == 0 else []
    more = [c.rsplit(" and ", 1) for c in cells]
    ok = (p.returncode == 0 and sites == names and cells
          and all(len(c) <= 1100 for c in cells)
          and all(len(m) == 2 and m[1].endswith(" more") for m in more)
          and all(m[0].count(", ") + 1 + int(m[1].split()[0]) == n
                  for m in more))
    return ok, shown(p)[:600] + "\ncells: %r" % [c[-60:] for c in cells][:3]


# ---- finding 13: CJK names misalign text columns ----

def display_width(text):
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@case
def cjk_names_align_text_columns():
    """A site named in CJK (each character two terminal columns) lines up with
    a Latin one: the text's tables count columns, not characters (the users
    column of the Sites table sat four columns left of HQ's)."""
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "cjk.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write("[scenario]\nname = cjk\n[site \u6771\u4eac\u672c\u793e]\nusers = 5000\n"
                    "dr-site = none\n[site HQ]\nusers = 100\ndr-site = none\n")
        p = run(["plan", path])
    lines = p.stdout.decode().split("\n")
    rows = [l for l in lines if l.startswith("  \u6771\u4eac") and "users" in l][:1] + \
           [l for l in lines if l.startswith("  HQ ") and "users" in l][:1]
    ends = [display_width(l[:l.index(" users")]) for l in rows]
    return p.returncode == 0 and len(ends) == 2 and ends[0] == ends[1], shown(p)[:1500] + repr(ends)


# ---- finding 7: names that collide ----

@case
def generated_names_are_unique():
    """A site named B-C beside the backup pool the engine adds at B for C: the
    pool is B-C-2, and the JSON has five sites of five names (it had two B-C)."""
    scenario = ("[scenario]\ndr-rto = 4h\n[site A]\nusers = 6000\ndr-site = B\n"
                "[site B]\nusers = 6000\ndr-site = A\n[site C]\nusers = 3000\ndr-site = B\n"
                "[site B-C]\nusers = 100\ndr-site = none\n")
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "collide.ini")
        with open(path, "w") as f:
            f.write(scenario)
        p = run(["plan", path, "--format", "json"])
    names = [s["name"] for s in json.loads(p.stdout)["sites"]] if p.returncode == 0 else []
    return names == ["A", "B", "C", "B-C", "B-C-2"], shown(p)[:1500]


@case
def diff_matches_groups_by_identity():
    """A lone site named 'A + B' beside the pair of A and B: diff matches groups
    by their sites, not by the label they share, so pairing A with B is one
    new group and the lone site's group does not change."""
    scenario = ("[scenario]\ndr-rto = 4h\n[site A + B]\nusers = 1000\ndr-site = none\n"
                "[site A]\nusers = 6000\ndr-site = none\n[site B]\nusers = 6000\n"
                "dr-site = none\n")
    with lptest.tmpdir() as tmp:
        path = os.path.join(tmp, "groups.ini")
        with open(path, "w") as f:
            f.write(scenario)
        p = run(["diff", path, "--with", "dr-site@A=B", "--with", "dr-site@B=A", "--format",
                 "json"])
    changes = json.loads(p.stdout)["changes"] if p.returncode in (0, 1) and p.stdout else []
    pair = [c for c in changes if c["path"].startswith("groups/A + B")]
    return pair == [{"path": "groups/A + B", "old": None, "new": "standard-paired"}], shown(p)


@case
def simulate_intervals_are_finite():
    """No 'inf standard errors apart' (every simulated year the same) and no
    negative interval bound (downtime is 0 at the least)."""
    # a seed whose two years come out the same (no standard error to divide by)
    a = run(["simulate", "--site", "HQ=100", "--years", "2", "--seed", "4", "--edition",
             "enterprise"])
    b = run(["simulate", "--site", "HQ=100", "--years", "2", "--seed", "1", "--format", "json"])
    text = a.stdout.decode()
    ok = a.returncode == 0 and "inf" not in text and "minutes apart" in text
    lows = [float(x) for x in __import__("re").findall(r'"ci95_low": (-?[0-9.e+-]+)', b.stdout.decode())]
    ok = ok and b.returncode == 0 and lows and min(lows) >= 0
    return ok, text + b.stdout.decode()


@case
def cross_product_diff_lists_removed_roles():
    """sfb2019 has no Persistent Chat role: its servers are listed as gone."""
    p = run(["diff", "examples/dr-enterprise-pchat.ini", "--with", "product=sfb2019"])
    return p.returncode == 1 and b"HQ: persistent-chat 2 -> 0\n" in p.stdout, shown(p)


Findings = lptest.cases(CASES, "Findings")

if __name__ == "__main__":
    lptest.main()
