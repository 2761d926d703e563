#!/usr/bin/python3
"""Plans an architect signs (issue 23), asserted on the JSON plan and the text
report against Microsoft's figures the rule files cite. Environment (set by
meson): LYNCPLAN, LP_SOURCE_ROOT."""
import glob
import json
import os
import subprocess
import unittest

LYNCPLAN = os.environ["LYNCPLAN"]
ROOT = os.environ["LP_SOURCE_ROOT"]
PRODUCTS = ("lync2013", "sfb2015", "sfb2019", "sfbse")
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
# Microsoft's Standard Edition figures (L13-CAP, SFB19-CAP): "Each server in the
# pair can host up to 2,500 users, and if one server fails the remaining server
# can support 5,000 users in a failover scenario"
SE_NORMAL = 2500


def run(*args):
    p = subprocess.run([LYNCPLAN, *args], capture_output=True, text=True, cwd=ROOT)
    if p.returncode not in (0, 3):
        raise AssertionError(f"lyncplan {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p


def plan(*args):
    return json.loads(run("plan", "--format", "json", *args).stdout)


def site(doc, name):
    return next(s for s in doc["sites"] if s["name"] == name)


def roles(doc, name):
    return {r["role"]: r["count"] for r in site(doc, name)["roles"]}


class StandardEditionLoad(unittest.TestCase):
    """At most 2,500 users a Standard Edition server in normal running."""

    def assert_site_load(self, doc, what):
        for s in doc["sites"]:
            n = {r["role"]: r["count"] for r in s["roles"]}.get("standard-edition", 0)
            if n and s["kind"] != "branch":
                self.assertLessEqual(s["users"] / n, SE_NORMAL, f"{what}: site {s['name']}")

    def test_hq_4000_with_dr_builds_two_and_two(self):
        doc = plan("--site", "HQ=4000", "--rto", "4h", "--dr-rto", "4h")
        self.assertEqual(site(doc, "HQ")["design"], "standard-paired")
        self.assertEqual(roles(doc, "HQ")["standard-edition"], 2)
        self.assertEqual(roles(doc, "HQ-DR")["standard-edition"], 2)

    def test_seed_figure_with_set(self):
        doc = plan("--site", "HQ=6000", "--rto", "4h", "--dr-rto", "4h", "--set",
                   "se-users-per-server=3000")
        self.assertEqual(roles(doc, "HQ")["standard-edition"], 2)
        notes = " ".join(site(doc, "HQ")["notes"])
        self.assertIn("3,000 users a server", notes)
        default = " ".join(site(plan("--site", "HQ=4000", "--rto", "4h", "--dr-rto", "4h"),
                                "HQ")["notes"])
        self.assertIn("as Microsoft sizes them", default)

    def test_every_example_under_every_product(self):
        for ex in EXAMPLES:
            for product in PRODUCTS:
                with self.subTest(example=os.path.basename(ex), product=product):
                    self.assert_site_load(plan(ex, "--product", product), ex)

    def test_sweep_of_users(self):
        for product in PRODUCTS:
            for extra in ((), ("--dr-rto", "4h")):
                for rto in ("4h", "24h"):
                    p = run("sweep", "--product", product, "--site", "HQ=100", "--edition",
                            "standard", "--rto", rto, *extra, "--vary", "users=100..16000/700",
                            "--format", "jsonl")
                    for line in p.stdout.splitlines():
                        row = json.loads(line)
                        users = int(row["inputs"][0]["value"])
                        n = {r["role"]: r["count"] for r in row["roles"]}.get("standard-edition", 0)
                        # with DR the warm site has as many servers as HQ
                        here = n // 2 if extra else n
                        with self.subTest(product=product, users=users, dr=bool(extra), rto=rto):
                            self.assertGreater(here, 0)
                            self.assertLessEqual(users / here, SE_NORMAL)


if __name__ == "__main__":
    unittest.main()
