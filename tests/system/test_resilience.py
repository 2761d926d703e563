#!/usr/bin/python3
"""The design review of issue 5 for the seed scenarios, through the JSON
output: who acts, how long, in what order; the SLA budget's figures; and, for
every example, that the failure table and the requirement check are the same
numbers."""
import glob
import json
import os
import unittest

import lptest

ROOT = lptest.ROOT


def plan(*args):
    """The JSON plan of ARGS; a plan that misses a requirement (exit 3) is a plan."""
    return json.loads(lptest.run_ok("plan", "--format", "json", *args).stdout)


def failure(doc, label):
    """The failure row called LABEL at the plan's first site."""
    for row in doc["resilience"][0]["failures"]:
        if row["label"] == label:
            return row
    raise AssertionError(f"no failure row '{label}'")


def step_index(row, word):
    return next((i for i, s in enumerate(row["steps"]) if word in s["text"]), -1)


class Resilience(unittest.TestCase):
    def assert_row(self, doc, label, automatic, rto, meets):
        row = failure(doc, label)
        self.assertEqual(row["automatic"], automatic, label)
        self.assertAlmostEqual(row["rto_minutes"], rto, delta=1e-9, msg=label)
        self.assertEqual(row["meets"], meets, label)

    def test_enterprise_with_dr(self):
        doc = plan("--site", "HQ=5000", "--rto", "30m", "--dr-rto", "4h")
        site = failure(doc, "the whole site")
        self.assert_row(doc, "one Front End server", True, 0, True)
        self.assert_row(doc, "the primary Back End SQL server", True, 5, True)
        # a critical path (issue 23): response 30 + the Edge next hop 15 (the Central
        # Management Store's 5 alongside it; the pool failover waits for both) + pool
        # failover 30 (L13-RTO): sign-in, IM and presence, voice and conferencing are
        # back; the federation route, the imports and GeoDNS run alongside
        self.assert_row(doc, "the whole site", False, 75, True)
        # the Central Management Store fails over before the pools
        cms = step_index(site, "Invoke-CsManagementServerFailover")
        self.assertGreaterEqual(cms, 0)
        self.assertLess(cms, step_index(site, "Invoke-CsPoolFailover"))

    def test_standard_edition(self):
        doc = plan("--site", "HQ=5000", "--rto", "4h")
        effect = failure(doc, "one Standard Edition server")["effect"]
        # response 30 + Central Management Store 5 + Edge next hop 15 + pool failover
        # 30 + Response Group import 15
        self.assert_row(doc, "one Standard Edition server", False, 95, True)
        # the seed's drawbacks of Standard Edition
        for words in ("resiliency mode", "Response Group and Call Park", "PSTN conferencing",
                      "Exchange", "Edge next hop"):
            self.assertIn(words, effect)

    def assert_budget(self, sla, minutes, text):
        args = ("--site", "HQ=5000", "--sla", sla)
        allowed = plan(*args)["sla_budget"]["allowed_downtime"]
        self.assertAlmostEqual(allowed["year_minutes"], minutes, delta=1e-6)
        p = lptest.run("plan", *args, text=True)
        self.assertIn(text, p.stdout, lptest.shown(p))

    def test_sla_budget(self):
        self.assert_budget("99.9", 525.96, "allowed downtime a year     8h45m58s (525.96 minutes)")
        self.assert_budget("99.99", 52.596, "allowed downtime a year     52m36s (52.6 minutes)")

    def assert_critical_path(self, row):
        """A row timed as a critical path: its time is the latest return of a
        class of service in the dr-scope, no more than the sum of its steps."""
        latest = max((sv["back_minutes"] for sv in row["services"] if sv["in_dr_scope"]),
                     default=-1)
        self.assertAlmostEqual(row["rto_minutes"], latest, delta=1e-9, msg=row["label"])

    def assert_steps_add_up(self, row):
        """A row's time is its response time (manual rows) plus the minutes of
        its steps that restore service."""
        automatic = row["automatic"]
        self.assertEqual("response_minutes" in row, not automatic, row["label"])
        if "services" in row:
            self.assert_critical_path(row)
            return
        total = 0 if automatic else row["response_minutes"]
        total += sum(s["minutes"] for s in row["steps"] if s["restores_service"])
        self.assertAlmostEqual(row["rto_minutes"], total, delta=1e-9, msg=row["label"])

    def assert_agreement(self, doc, name):
        """For each group: the worst component row equals the rto/rpo
        requirement's achieved figure, and the site row the dr-rto/dr-rpo one."""
        ids = ["rto", "rpo", "dr-rto", "dr-rpo"]
        for group in doc["groups"]:
            worst = [0, 0, 0, 0]
            for site in doc["resilience"]:
                if site["site"] not in group["sites"]:
                    continue
                for row in site["failures"]:
                    at = 2 if row["scope"] == "site" else 0
                    self.assert_steps_add_up(row)
                    if row["scope"] in ("multiple", "planned"):
                        continue
                    worst[at] = max(worst[at], row["rto_minutes"])
                    worst[at + 1] = max(worst[at + 1], row["rpo_minutes"])
            for req in group["requirements"]:
                if req["id"] in ids:
                    self.assertAlmostEqual(req["achieved_minutes"], worst[ids.index(req["id"])],
                                           delta=1e-9, msg=f"{name}: {req['id']}")

    def test_table_agrees_with_checks(self):
        examples = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
        self.assertGreaterEqual(len(examples), 7)
        for path in examples:
            with self.subTest(example=os.path.basename(path)):
                self.assert_agreement(plan(path), os.path.basename(path))


if __name__ == "__main__":
    lptest.main()
