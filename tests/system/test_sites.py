#!/usr/bin/python3
"""The site model (issue 12): central and branch sites, Edge and Office Web Apps
where they are, dr-site = none, hub-and-spoke backup pools and a site's own
requirements, asserted on the JSON plan. Environment (set by meson): LYNCPLAN,
LP_SOURCE_ROOT."""
import json
import unittest

import lptest

ROOT = lptest.ROOT


def plan(*args):
    return json.loads(lptest.run_ok("plan", "--format", "json", *args, text=True).stdout)


def site(doc, name):
    return next(s for s in doc["sites"] if s["name"] == name)


def roles(doc, name):
    return {r["role"]: r["count"] for r in site(doc, name)["roles"]}


def group(doc, *sites):
    return next(g for g in doc["groups"] if g["sites"] == list(sites))


def check(g, check_id):
    return next(r for r in g["requirements"] if r["id"] == check_id)


class Engagement(unittest.TestCase):
    """London and Amsterdam back each other up; Dublin has no DR and no invented site."""

    def test_dublin_planned_on_its_own(self):
        doc = plan("examples/engagement-dublin.ini")
        self.assertEqual([s["name"] for s in doc["sites"]], ["London", "Amsterdam", "Dublin"])
        self.assertEqual(site(doc, "London")["dr_site"], "Amsterdam")
        d = site(doc, "Dublin")
        self.assertIsNone(d["dr_site"])
        self.assertTrue(d["planned_without_dr"])
        g = group(doc, "Dublin")
        self.assertFalse(g["paired"])
        self.assertNotIn("dr-rto", [r["id"] for r in g["requirements"]])
        self.assertTrue(group(doc, "London", "Amsterdam")["paired"])
        self.assertIn("dr-rto", [r["id"] for r in group(doc, "London", "Amsterdam")["requirements"]])


class HubAndSpoke(unittest.TestCase):
    """Three spokes name HUB: one backup pool each at HUB, pools paired 1:1."""

    @classmethod
    def setUpClass(cls):
        cls.doc = plan("examples/hub-and-spoke.ini")

    def test_one_backup_pool_per_spoke(self):
        hub = site(self.doc, "HUB")
        self.assertEqual([(p["name"], p["partner"]) for p in hub["pools"]],
                         [("HUB", None), ("HUB-Spoke1", "Spoke1"), ("HUB-Spoke2", "Spoke2"),
                          ("HUB-Spoke3", "Spoke3")])
        for n in (1, 2, 3):
            b = site(self.doc, f"HUB-Spoke{n}")
            self.assertEqual((b["kind"], b["host"], b["dr_site"]), ("backup-pool", "HUB", f"Spoke{n}"))

    def test_each_pair_checked_and_sized_for_its_spoke(self):
        for n, users in ((1, 3000), (2, 2000), (3, 1500)):
            g = group(self.doc, f"Spoke{n}", f"HUB-Spoke{n}")
            self.assertTrue(g["paired"])
            self.assertTrue(g["feasible"])
            self.assertTrue(check(g, "dr-rto")["met"])
            # the backup pool carries its spoke's users after a failover
            self.assertGreaterEqual(roles(self.doc, f"HUB-Spoke{n}").get("front-end", 0), 2)

    def test_edge_at_the_hub_only_for_one_site_lost_at_a_time(self):
        for n in (1, 2, 3):
            r = roles(self.doc, f"HUB-Spoke{n}")
            self.assertNotIn("edge", r)
            self.assertNotIn("reverse-proxy", r)
            self.assertNotIn("office-web-apps", r)
        # one site lost at a time (an assumption): two spokes of 50,000 users, 15,000 remote
        # each, need 2 Edge servers at 12,000 a server; both at once would need 3. With no
        # users of its own, HUB's Edge pool sits with its first backup pool
        big = plan("examples/hub-and-spoke.ini", "--site", "Spoke1=50000", "--site", "Spoke2=50000",
                   "--site", "HUB=0")
        self.assertEqual(roles(big, "HUB"), {})
        self.assertEqual(roles(big, "HUB-Spoke1").get("edge"), 2)
        self.assertNotIn("edge", roles(big, "HUB-Spoke2"))
        self.assertEqual(site(big, "HUB-Spoke2")["edge_site"], "HUB")


class EdgeElsewhere(unittest.TestCase):
    def test_remote_users_counted_at_the_edge_site(self):
        # 30% remote: A's 9,000 alone need 2 Edge servers (12,000 a server, at least 2);
        # with C's 18,000 through A's Edge pool, 27,000: 3
        alone = plan("--site", "A=30000", "--site", "C=60000", "--edition", "enterprise")
        shared = plan("--site", "A=30000", "--site", "C=60000,edge=A", "--edition", "enterprise")
        self.assertEqual(roles(alone, "A")["edge"], 2)
        self.assertEqual(roles(shared, "A")["edge"], 3)
        self.assertNotIn("edge", roles(shared, "C"))
        self.assertNotIn("reverse-proxy", roles(shared, "C"))
        self.assertEqual(site(shared, "C")["edge_site"], "A")

    def test_edge_none(self):
        doc = plan("--site", "A=3000,edge=none")
        self.assertNotIn("edge", roles(doc, "A"))
        self.assertIsNone(site(doc, "A")["edge_site"])

    def test_failure_review_names_the_edge_site(self):
        doc = plan("--site", "A=3000", "--site", "C=600,edge=A")
        rows = next(r for r in doc["resilience"] if r["site"] == "C")["failures"]
        self.assertIn("edge-elsewhere", [f["id"] for f in rows])

    def test_shared_office_web_apps_farm(self):
        doc = plan("--site", "A=3000", "--site", "C=600,office-web-apps=A")
        self.assertNotIn("office-web-apps", roles(doc, "C"))
        self.assertIn("office-web-apps", roles(doc, "A"))


class Branches(unittest.TestCase):
    def test_branch_users_sized_at_home(self):
        without = plan("--site", "A=20000", "--edition", "enterprise")
        with_branch = plan("--site", "A=20000", "--site", "B1=7000,kind=branch,home=A,survivable=sbs",
                           "--edition", "enterprise")
        self.assertGreater(roles(with_branch, "A")["front-end"], roles(without, "A")["front-end"])
        self.assertEqual(roles(with_branch, "B1"), {"survivable-branch-server": 2})
        self.assertEqual(site(with_branch, "A")["users"], 27000)

    def test_appliance_count_from_microsofts_limit(self):
        doc = plan("--site", "A=5000", "--site", "B1=1500,kind=branch,home=A,survivable=sba")
        self.assertEqual(roles(doc, "B1"), {"survivable-branch-appliance": 2})
        # L13-BRANCH: 1,000 to 2,000 users "Survivable Branch Server or two Survivable Branch Appliances"
        self.assertTrue(any("Survivable Branch Server or two Survivable Branch Appliances" in n
                            for n in site(doc, "B1")["notes"]))

    def test_wan_loss_reviewed(self):
        for survivable, automatic in (("sba", True), ("none", False)):
            doc = plan("--site", "A=5000", "--site", f"B1=300,kind=branch,home=A,survivable={survivable}")
            rows = next(r for r in doc["resilience"] if r["site"] == "B1")["failures"]
            wan = next(f for f in rows if f["id"] == "branch-wan")
            self.assertEqual(wan["automatic"], automatic)

    def test_branch_design_is_not_an_alternative_elsewhere(self):
        doc = plan("--site", "A=5000")
        self.assertNotIn("branch", [a["design"] for a in doc["groups"][0]["alternatives"]])


class SiteRequirements(unittest.TestCase):
    def test_pair_checked_against_the_stricter_site(self):
        doc = plan("--site", "A=5000,rto=30m,dr-site=B", "--site", "B=5000", "--dr-rto", "4h")
        g = group(doc, "A", "B")
        self.assertEqual(check(g, "rto")["target_minutes"], 30)

    def test_own_dr_rto_asks_for_dr_for_it_and_its_partner(self):
        doc = plan("--site", "A=5000,dr-rto=4h", "--site", "B=5000")
        self.assertTrue(group(doc, "A", "B")["paired"])
        none = plan("--site", "A=5000", "--site", "B=5000")
        self.assertEqual(len(none["groups"]), 2)

    def test_director_per_site(self):
        doc = plan("--site", "A=5000,director=true", "--site", "B=5000")
        self.assertIn("director", roles(doc, "A"))
        self.assertNotIn("director", roles(doc, "B"))


if __name__ == "__main__":
    lptest.main()
