#!/usr/bin/python3
"""lyncplan sweep, checked against lyncplan plan: sampled rows equal the plan of
the same inputs, shards concatenate to the full sweep, and breakpoints agree
with the rows they summarise. Environment (set by meson): LYNCPLAN,
LP_SOURCE_ROOT."""
import csv
import io
import json
import os
import random
import re
import unittest

import lptest

ROOT = lptest.ROOT
BASE = ["--site", "HQ=5000", "--site", "LON=2000"]
VARY = ["--vary", "users@HQ=0..60000/2500", "--vary", "rto=0m,15m,1h,4h",
        "--vary", "dr-rto=none,4h", "--vary", "edition=auto,standard"]


def lyncplan(*args):
    return lptest.run_ok(*args, text=True).stdout


def rows(*extra):
    return list(csv.DictReader(io.StringIO(lyncplan("sweep", *BASE, *VARY, "--quiet", *extra))))


class PerSite(unittest.TestCase):
    """--per-site: each site's design and servers, and breakpoints where one
    site's design changes though the totals' design (mixed) does not."""
    ABC = ["--site", "A=30000", "--site", "B=500", "--site", "C=1000",
           "--vary", "users@C=1000..20000/1000", "--quiet"]

    def test_rows_carry_each_site(self):
        got = list(csv.DictReader(io.StringIO(lyncplan("sweep", *self.ABC, "--per-site"))))
        self.assertEqual(len(got), 20)
        for r in got:
            # no DR: the sites' servers are the total's
            self.assertEqual(sum(int(r[f"servers@{s}"]) for s in "ABC"), int(r["servers"]), r)
            self.assertEqual(r["design"], "mixed")
        one = json.loads(lyncplan("plan", "--site", "A=30000", "--site", "B=500", "--site",
                                  "C=" + got[-1]["users@C"], "--format", "json"))
        self.assertEqual(got[-1]["design@C"], [g for g in one["groups"] if g["sites"] == ["C"]][0]["design"])
        self.assertNotEqual(got[0]["design@C"], got[-1]["design@C"])

    def test_breakpoints_per_site(self):
        total = lyncplan("sweep", *self.ABC, "--breakpoints=design").splitlines()
        per_site = lyncplan("sweep", *self.ABC, "--breakpoints=design", "--per-site").splitlines()
        self.assertEqual(len(total), 1, total)
        self.assertEqual(len(per_site), 2, per_site)
        first, last = (re.search(r"C (\S+) \d+$", l).group(1) for l in per_site)
        self.assertNotEqual(first, last)


class Sweep(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.rows = rows()

    def test_input_columns_do_not_clash(self):
        header = lyncplan("sweep", *BASE, *VARY, "--quiet").splitlines()[0].split(",")
        self.assertEqual(len(header), len(set(header)))
        self.assertEqual(header[:4], ["users@HQ", "rto", "dr-rto", "input:edition"])

    def test_size_and_order(self):
        self.assertEqual(len(self.rows), 25 * 4 * 2 * 2)
        # the first --vary changes fastest
        self.assertEqual([r["users@HQ"] for r in self.rows[:3]], ["0", "2500", "5000"])
        self.assertEqual(self.rows[25]["rto"], "15m")

    def test_sampled_rows_equal_plan(self):
        roles = [k for k in self.rows[0] if k not in ("users@HQ", "rto", "dr-rto", "input:edition",
                                                       "design", "edition", "feasible", "servers",
                                                       "appliances", "missed")]
        for row in random.Random(4).sample(self.rows, 25):
            args = ["plan", "--format", "json", "--site", f"HQ={row['users@HQ']}", "--site", "LON=2000",
                    "--rto", row["rto"], "--edition", row["input:edition"]]
            if row["dr-rto"] != "none":
                args += ["--dr-rto", row["dr-rto"]]
            plan = json.loads(lyncplan(*args))
            self.assertEqual(row["design"], plan["design"], row)
            self.assertEqual(row["feasible"], "true" if plan["feasible"] else "false", row)
            self.assertEqual(int(row["servers"]), plan["totals"]["servers"], row)
            self.assertEqual(int(row["appliances"]), plan["totals"]["appliances"], row)
            totals = {}
            for site in plan["sites"]:
                for r in site["roles"]:
                    totals[r["role"]] = totals.get(r["role"], 0) + r["count"]
            self.assertEqual({r: int(row[r]) for r in roles if int(row[r])}, totals, row)
            missed = sorted({m for g in plan["groups"] for m in
                             (q["id"] for q in g["requirements"] if not q["met"])})
            self.assertEqual(sorted(filter(None, row["missed"].split(";"))), missed, row)

    def test_shards_concatenate_to_the_sweep(self):
        for n in (1, 3, 7):
            joined = []
            for k in range(1, n + 1):
                joined += rows("--shard", f"{k}/{n}")
            self.assertEqual(joined, self.rows, f"{n} shards")

    def test_breakpoints_agree_with_rows(self):
        out = lyncplan("sweep", *BASE, *VARY, "--breakpoints", "--format", "jsonl")
        ranges = [json.loads(line) for line in out.splitlines()]
        covered = 0
        users = [r["users@HQ"] for r in self.rows[:25]]
        for rng in ranges:
            lo, hi = users.index(rng["from"]), users.index(rng["to"])
            inside = [r for r in self.rows
                      if all(r["input:" + i["key"] if i["key"] == "edition" else i["key"]] == i["value"]
                             for i in rng["inputs"])
                      and lo <= users.index(r["users@HQ"]) <= hi]
            self.assertEqual(len(inside), hi - lo + 1, rng)
            for r in inside:
                self.assertEqual((r["design"], int(r["servers"]), int(r["appliances"])),
                                 (rng["design"], rng["servers"], rng["appliances"]), rng)
            covered += len(inside)
        self.assertEqual(covered, len(self.rows))
        # neighbouring ranges of one combination differ, or they would be one
        for a, b in zip(ranges, ranges[1:]):
            if a["inputs"] == b["inputs"]:
                self.assertNotEqual((a["design"], a["servers"], a["appliances"], a["missed"]),
                                    (b["design"], b["servers"], b["appliances"], b["missed"]))

    def test_breakpoints_on_the_design(self):
        # issue 15: 'at how many users does the design change?' on a users sweep
        users = ["sweep", "--site", "HQ=5000", "--vary", "users=1000..100000/1000", "--quiet"]
        self.assertEqual(lyncplan(*users, "--breakpoints=design"),
                         "users 1000..15000: standard-paired (standard), 6..10 servers, 0 appliances, "
                         "meets every requirement\n"
                         "users 16000..100000: enterprise-pool (enterprise), 13..31 servers, "
                         "2 appliances, meets every requirement\n")
        self.assertEqual(lyncplan(*users, "--breakpoints=edition"), lyncplan(*users, "--breakpoints=design"))
        # the bare flag is --breakpoints=servers: a run per count
        bare = lyncplan(*users, "--breakpoints")
        self.assertEqual(bare, lyncplan(*users, "--breakpoints=servers"))
        self.assertGreater(len(bare.splitlines()), 10)

    def test_breakpoints_on_the_edition_apart_from_the_design(self):
        # DR: standard-paired, then enterprise-paired; with the edition axis
        # forced, one run per edition value
        out = lyncplan("sweep", "--site", "HQ=5000", "--dr-rto", "4h", "--vary", "users=1000..40000/1000",
                       "--vary", "rto=30m,4h", "--breakpoints=edition", "--quiet")
        lines = out.splitlines()
        self.assertTrue(all(re.match(r"users \d+\.\.\d+ \[rto=(30m|4h)\]: \S+ \((standard|enterprise)\)", l)
                            for l in lines), lines)
        for a, b in zip(lines, lines[1:]):
            if a.split("]")[0].split("[")[1] == b.split("]")[0].split("[")[1]:
                self.assertNotEqual(re.search(r"\((\w+)\),", a).group(1), re.search(r"\((\w+)\),", b).group(1))

    def test_text_breakpoints_show_cost_when_priced(self):
        prices = os.path.join(ROOT, "examples", "prices-example.prices")
        users = ["sweep", "--site", "HQ=5000", "--vary", "users=1000..100000/1000", "--quiet",
                 "--prices", prices]
        self.assertEqual(lyncplan(*users, "--breakpoints=design").splitlines()[0],
                         "users 1000..15000: standard-paired (standard), 6..10 servers, 0 appliances, "
                         "USD 54,600.00..98,600.00, meets every requirement")
        self.assertEqual(lyncplan(*users, "--breakpoints").splitlines()[0],
                         "users 1000..5000: standard-paired (standard), 6 servers, 0 appliances, "
                         "USD 54,600.00, meets every requirement")
        first = list(csv.DictReader(io.StringIO(lyncplan(*users, "--breakpoints=design", "--format", "csv"))))[0]
        self.assertEqual((first["servers"], first["servers_max"], first["cost"], first["cost_max"]),
                         ("6", "10", "54600", "98600"))
        runs = [json.loads(l) for l in lyncplan(*users, "--breakpoints=design", "--format", "jsonl").splitlines()]
        self.assertEqual([(r["servers"], r["servers_max"], r["cost"], r["cost_max"]) for r in runs],
                         [(6, 10, 54600, 98600), (13, 31, 150701, 369702)])

    def test_xlsx_sweep_headers_and_charts(self):
        # issue 15: two columns headed edition, truncated headers, a chart of
        # servers only: the varied edition is input:edition, every column is
        # as wide as its header, and a priced sweep charts the cost too
        import zipfile
        openpyxl = lptest.need("openpyxl")
        prices = os.path.join(ROOT, "examples", "prices-example.prices")
        with lptest.tmpdir() as tmp:
            path = os.path.join(tmp, "sweep.xlsx")
            lyncplan("sweep", "--site", "HQ=5000", "--vary", "users=1000..30000/1000", "--vary",
                     "edition=auto,standard", "--prices", prices, "--format", "xlsx", "-o", path, "--quiet")
            wb = openpyxl.load_workbook(path)
            self.assertEqual(wb.sheetnames, ["Sweep", "Chart", "Cost chart"])
            ws = wb["Sweep"]
            header = [c.value for c in ws[1]]
            self.assertEqual(header[:4], ["users", "input:edition", "design", "edition"])
            self.assertEqual(len(header), len(set(header)))
            self.assertIn("cost (USD)", header)
            for i, name in enumerate(header, 1):
                width = ws.column_dimensions[openpyxl.utils.get_column_letter(i)].width
                self.assertGreaterEqual(width, len(name), name)
            with zipfile.ZipFile(path) as z:
                charts = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/")]
            self.assertEqual(len(charts), 2)
            for chart, y in zip(charts, ("servers", "cost (USD)")):
                self.assertIn(f"<a:t>{y}</a:t>", chart)
                self.assertIn("<a:t>users</a:t>", chart)
                self.assertEqual(chart.count("<c:ser>"), 2)

    def test_xlsx_sweep_of_100000_rows(self):
        import zipfile
        openpyxl = lptest.need("openpyxl")
        args = ["--site", "HQ=5000", "--vary", "users=1..50000/1", "--vary", "rto=30m,4h", "--quiet"]
        with lptest.tmpdir() as tmp:
            path = os.path.join(tmp, "sweep.xlsx")
            lyncplan("sweep", *args, "--format", "xlsx", "-o", path)
            expected = list(csv.DictReader(io.StringIO(lyncplan("sweep", *args))))
            wb = openpyxl.load_workbook(path, read_only=True)
            self.assertEqual(wb.sheetnames, ["Sweep", "Chart"])
            sheet = wb["Sweep"].iter_rows(values_only=True)
            header = next(sheet)
            self.assertEqual(header[:3], ("users", "rto (minutes)", "design"))
            n = 0
            for got, want in zip(sheet, expected):
                if n % 997 == 0:
                    self.assertEqual(str(got[0]), want["users"])
                    self.assertEqual((got[2], got[5], got[6]),
                                     (want["design"], int(want["servers"]), int(want["appliances"])))
                n += 1
            self.assertEqual(n, 100000)
            with zipfile.ZipFile(path) as z:
                chart = z.read("xl/charts/chart1.xml").decode()
            self.assertEqual(chart.count("<c:ser>"), 2)

    def test_xlsx_shards_without_a_whole_series(self):
        # an empty shard, and one that cuts its only series, are valid
        # workbooks of the shard's rows with no Chart sheet (a chart needs a
        # series); a shard holding a whole series keeps its chart
        openpyxl = lptest.need("openpyxl")
        cases = [("users=1..3/1", "1/8", 0, ["Sweep"]), ("users=1..100/1", "1/8", 12, ["Sweep"]),
                 ("users=1..3/1", "1/1", 3, ["Sweep", "Chart"])]
        with lptest.tmpdir() as tmp:
            path = os.path.join(tmp, "shard.xlsx")
            for vary, shard, n, sheets in cases:
                args = ["sweep", "--site", "HQ=5000", "--vary", vary, "--shard", shard, "--quiet"]
                lyncplan(*args, "--format", "xlsx", "-o", path)
                csv_rows = list(csv.DictReader(io.StringIO(lyncplan(*args))))
                wb = openpyxl.load_workbook(path)
                self.assertEqual(wb.sheetnames, sheets, (vary, shard))
                got = list(wb["Sweep"].iter_rows(values_only=True))
                self.assertEqual(got[0][:2], ("users", "design"))
                self.assertEqual(len(got) - 1, n, (vary, shard))
                self.assertEqual([str(r[0]) for r in got[1:]], [r["users"] for r in csv_rows])

    def test_varied_constants_are_not_folded(self):
        # the engine folds formulas whose inputs a sweep does not vary: one that
        # varies a rule constant, Persistent Chat and the SLA must still match plan
        vary = ["--vary", "pool-failover-time=10m,30m,2h", "--vary", "persistent-chat=false,true",
                "--vary", "sla=99.9,99.999", "--vary", "dr-rto=1h,none"]
        got = list(csv.DictReader(io.StringIO(lyncplan("sweep", "--site", "HQ=5000", *vary, "--quiet"))))
        self.assertEqual(len(got), 24)
        for row in got:
            args = ["plan", "--format", "json", "--site", "HQ=5000", "--set",
                    f"pool-failover-time={row['pool-failover-time']}", "--sla", row["sla"].rstrip("%")]
            if row["input:persistent-chat"] == "true":
                args.append("--persistent-chat")
            if row["dr-rto"] != "none":
                args += ["--dr-rto", row["dr-rto"]]
            plan = json.loads(lyncplan(*args))
            self.assertEqual((row["design"], int(row["servers"]), row["feasible"]),
                             (plan["design"], plan["totals"]["servers"],
                              "true" if plan["feasible"] else "false"), row)
            missed = sorted({q["id"] for g in plan["groups"] for q in g["requirements"] if not q["met"]})
            self.assertEqual(sorted(filter(None, row["missed"].split(";"))), missed, row)

    def test_output_file_is_the_same_as_standard_output(self):
        path = os.path.join(ROOT, "build-sweep-test.csv")
        try:
            lyncplan("sweep", *BASE, *VARY, "--quiet", "-o", path)
            with open(path) as f:
                self.assertEqual(list(csv.DictReader(f)), self.rows)
        finally:
            if os.path.exists(path):
                os.unlink(path)


if __name__ == "__main__":
    lptest.main()
