#!/usr/bin/python3
"""Microsoft's reference topologies and capacity examples, and the seed's own
counts, asserted as the pages state them (the expected values are written here
with the page each comes from, not copied from lyncplan's output). Pages are
paths in the repository MicrosoftDocs/OfficeDocs-SkypeForBusiness.
Environment (set by meson): LYNCPLAN, LP_SOURCE_ROOT."""
import csv
import io
import json
import os
import unittest

import lptest

ROOT = lptest.ROOT

CAPACITY = "Lync/LyncServer/lync-server-2013-capacity-planning-using-the-user-models.md"
SMALL = "Lync/LyncServer/lync-server-2013-reference-topology-for-small-organizations.md"
MEDIUM = "Lync/LyncServer/lync-server-2013-reference-topology-for-medium-size-organizations.md"
LARGE = ("Lync/LyncServer/lync-server-2013-reference-topology-for-large-organizations-with-"
         "multiple-data-centers.md")
PCHAT = "Lync/LyncServer/lync-server-2013-capacity-planning-for-persistent-chat-server.md"
PCHAT_DR = ("Lync/LyncServer/lync-server-2013-using-a-stretched-persistent-chat-server-pool-"
            "for-disaster-recovery.md")
PCHAT_TOPO = "Lync/LyncServer/lync-server-2013-components-and-topologies-for-persistent-chat-server.md"


def plan(*args):
    return json.loads(lptest.run_ok("plan", "--format", "json", *args, text=True).stdout)


def example(name, *args):
    return plan(os.path.join("examples", name + ".ini"), *args)


def roles(doc, site):
    """{role: count} of one site of a plan."""
    s = next(s for s in doc["sites"] if s["name"] == site)
    return {r["role"]: r["count"] for r in s["roles"]}


def notes(doc, site):
    return next(s for s in doc["sites"] if s["name"] == site)["notes"]


class FrontEndCapacity(unittest.TestCase):
    """The issue's table: Front End servers per pool, from the capacity page."""

    def front_ends(self, doc, site):
        return roles(doc, site).get("front-end", 0)

    def test_12000_users_ha(self):
        # CAPACITY: one Front End server per 6,660 users (80,000 / 12), N+1: 2 + 1 = 3
        self.assertEqual(self.front_ends(plan("--site", "HQ=12000", "--edition", "enterprise"), "HQ"), 3)

    def test_30000_users_ha(self):
        # CAPACITY: "if instead you had started with six Front End Servers for your 30,000 users"
        doc = example("capacity-30000")
        self.assertEqual(self.front_ends(doc, "HQ"), 6)
        self.assertEqual(notes(doc, "HQ"), [])

    def test_80000_users_ha_flagged(self):
        # CAPACITY: "For a Front End pool with 80,000 users, twelve Front End Servers is
        # sufficient", and "the maximum number of Front End Servers in a pool is 12": no spare
        doc = example("capacity-80000")
        self.assertEqual(self.front_ends(doc, "HQ"), 12)
        self.assertTrue(any(n.startswith("no spare Front End server left: 80,000 users need all 12")
                            for n in notes(doc, "HQ")), notes(doc, "HQ"))

    def test_paired_20000_and_20000(self):
        # LARGE: "each of these two Front End pools has six servers, which is enough for all
        # 40,000 users in both pools in case of failover"
        doc = plan("--site", "SiteA=20000,dr-site=SiteB", "--site", "SiteB=20000", "--dr-rto", "4h")
        self.assertEqual(doc["design"], "enterprise-paired")
        self.assertEqual((self.front_ends(doc, "SiteA"), self.front_ends(doc, "SiteB")), (6, 6))

    def test_paired_40000_and_40000(self):
        # CAPACITY: "a maximum of 40,000 users can be hosted in each of two paired Front End
        # pools, in which each pool has enough Front End Servers to accommodate the users in
        # both pools": 80,000 after a failover, twelve servers
        doc = plan("--site", "A=40000,dr-site=B", "--site", "B=40000", "--dr-rto", "4h")
        self.assertEqual(doc["design"], "enterprise-paired")
        self.assertEqual((self.front_ends(doc, "A"), self.front_ends(doc, "B")), (12, 12))
        self.assertEqual(notes(doc, "A"), [])

    def test_20000_users_no_spare(self):
        # MEDIUM: "three Front End Servers to provide support for 20,000 users"
        self.assertEqual(self.front_ends(example("reference-medium"), "Central"), 3)
        self.assertEqual(self.front_ends(plan("--site", "HQ=20000", "--edition", "enterprise",
                                              "--set", "front-end-spare=0"), "HQ"), 3)


class ReferenceTopologies(unittest.TestCase):
    def test_small(self):
        # SMALL: "two Standard Edition servers and paired them together", "each server homes
        # 2,000 users"; an Edge Server ("three servers running Lync Server" in all)
        doc = example("reference-small")
        self.assertEqual(doc["design"], "standard-paired")
        r = roles(doc, "Central")
        self.assertEqual(r["standard-edition"], 2)
        self.assertEqual(r["edge"], 1)
        self.assertEqual(r["office-web-apps"], 1)
        self.assertEqual(r["standard-edition"] + r["edge"], 3)
        self.assertTrue(any("at most 2,500 a server in normal running" in n for n in notes(doc, "Central")))

    def test_medium(self):
        # MEDIUM: three Front End servers, "a mirrored pair of Back End Servers", "a pool of
        # two Edge Servers deployed to provide high availability"; no disaster recovery.
        # The witness is lyncplan's (the page's text does not name one).
        doc = example("reference-medium")
        self.assertEqual(doc["design"], "enterprise-pool")
        r = roles(doc, "Central")
        self.assertEqual((r["front-end"], r["back-end-sql"], r["sql-witness"], r["edge"]), (3, 2, 1, 2))
        self.assertEqual(len(doc["sites"]), 1)

    def test_medium_is_not_standard_edition(self):
        # MEDIUM: Microsoft's 20,000-user topology is an Enterprise Edition pool; eight Standard
        # Edition servers are past standard-max-servers-per-site (an assumption)
        doc = example("reference-medium")
        left_out = {a["design"]: a.get("excluded") for a in doc["groups"][0]["alternatives"]}
        self.assertIn("standard-max-servers-per-site", left_out["standard-paired"])


class StandardEditionAtScale(unittest.TestCase):
    def test_sweep_switches_at_most_once(self):
        out = lptest.run("sweep", "--site", "HQ=1000", "--vary", "users=1000..150000/500",
                         "--quiet", text=True, check=True).stdout
        editions = [r["edition"] for r in csv.DictReader(io.StringIO(out))]
        switches = [(a, b) for a, b in zip(editions, editions[1:]) if a != b]
        self.assertEqual(switches, [("standard", "enterprise")])

    def test_no_twenty_standard_servers_a_site(self):
        # issue 11: with DR, 100,000 users at one site got 20 Standard Edition servers a site
        doc = plan("--site", "HQ=100000", "--dr-rto", "4h")
        self.assertEqual(doc["edition"], "enterprise")


class PersistentChat(unittest.TestCase):
    def pchat(self, doc):
        return sum(roles(doc, s["name"]).get("persistent-chat", 0) for s in doc["sites"])

    def test_80000_users_with_dr(self):
        # PCHAT: "as many as four active ... the remaining four on standby"; PCHAT_DR: one
        # stretched pool over both data centres: 4 + 4 = 8 in all
        doc = plan("--site", "HQ=80000", "--dr-rto", "4h", "--persistent-chat")
        self.assertEqual(roles(doc, "HQ")["persistent-chat"], 4)
        self.assertEqual(roles(doc, "HQ-DR")["persistent-chat"], 4)
        self.assertEqual(self.pchat(doc), 8)

    def test_pair_with_users_at_both_sites(self):
        # PCHAT_DR: one pool for the pair, sized on both sites' users, active at the larger
        doc = plan("--site", "A=30000,dr-site=B", "--site", "B=20000", "--dr-rto", "4h",
                   "--persistent-chat")
        self.assertEqual((roles(doc, "A")["persistent-chat"], roles(doc, "B")["persistent-chat"]), (3, 3))

    def test_stores_on_back_end_sql_servers(self):
        # PCHAT_TOPO: "The SQL Server database for Persistent Chat Server can be collocated with
        # the Back End Server database of an Enterprise Edition Front End pool"
        doc = example("dr-enterprise-pchat")
        self.assertTrue(any("Back End SQL servers" in n for n in notes(doc, "HQ")))
        self.assertNotIn("pchat-sql", roles(doc, "HQ"))

    def test_standard_edition_stores_on_sql_servers_of_their_own(self):
        doc = plan("--site", "HQ=5000", "--dr-rto", "4h", "--persistent-chat",
                   "--persistent-chat-compliance")
        self.assertEqual(doc["edition"], "standard")
        self.assertGreater(roles(doc, "HQ")["pchat-sql"], 0)
        self.assertGreater(roles(doc, "HQ-DR")["pchat-sql"], 0)
        self.assertTrue(any("compliance store" in n for n in notes(doc, "HQ")))


class Seed(unittest.TestCase):
    """The seed examples' counts, reverse proxies listed beside."""

    def totals(self, *args):
        t = plan("--site", "HQ=5000", *args)["totals"]
        return t["servers"], t["appliances"], t["reverse_proxies"]

    def test_rto_4h(self):
        self.assertEqual(self.totals()[:2], (6, 0))

    def test_rto_30m(self):
        self.assertEqual(self.totals("--rto", "30m")[:2], (12, 2))

    def test_dr(self):
        self.assertEqual(self.totals("--rto", "30m", "--dr-rto", "4h"), (24, 4, 4))

    def test_dr_persistent_chat(self):
        self.assertEqual(self.totals("--rto", "30m", "--dr-rto", "4h", "--persistent-chat"), (28, 4, 4))



class LargeTopology(unittest.TestCase):
    """LARGE, the whole of it (examples/reference-large.ini): Central Sites A and B
    paired, C on a Standard Edition pair with A's Edge servers, branches with
    Survivable Branch Appliances, a standalone Mediation pool at B, Persistent Chat,
    Monitoring and Archiving on servers of their own. The branch user counts are
    the example's (LARGE gives 10,000 for C and the branches together)."""

    @classmethod
    def setUpClass(cls):
        cls.doc = example("reference-large")

    def site(self, name):
        return next(s for s in self.doc["sites"] if s["name"] == name)

    def group(self, label):
        return next(g for g in self.doc["groups"] if " + ".join(g["sites"]) == label)

    def test_a_and_b_paired_six_front_ends_plus_their_branches(self):
        # LARGE: six Front End servers each for 40,000 users after a failover; the users
        # homed on Survivable Branch Appliances count toward the home pool (L13-BRANCH-USERS):
        # 20,400 at A and 20,500 at B carry 40,900 after a failover: seven each
        self.assertEqual(self.group("SiteA + SiteB")["design"], "enterprise-paired")
        self.assertEqual(roles(self.doc, "SiteA")["front-end"], 7)
        self.assertEqual(roles(self.doc, "SiteB")["front-end"], 7)
        self.assertEqual((self.site("SiteA")["users"], self.site("SiteA")["own_users"]), (20400, 20000))
        self.assertEqual(roles(self.doc, "SiteA")["back-end-sql"], 2)  # "mirrored pair of Back End Servers"

    def test_site_c_standard_edition_pair_without_edge(self):
        # LARGE: "a pair of Standard Edition servers at this site"; "Site C will use the Edge
        # Servers deployed at Site A"
        self.assertEqual(self.group("SiteC")["design"], "standard-paired")
        r = roles(self.doc, "SiteC")
        self.assertEqual(r.get("standard-edition"), 2)
        for role in ("edge", "reverse-proxy", "office-web-apps", "front-end", "director"):
            self.assertNotIn(role, r)
        c = self.site("SiteC")
        self.assertEqual((c["edge_site"], c["office_web_apps_site"], c["planned_without_dr"]),
                         ("SiteA", "SiteA", True))
        self.assertIsNone(c["dr_site"])

    def test_branches_with_appliances(self):
        # LARGE: "Branch Sites 1 and 3 ... have Survivable Branch Appliances deployed";
        # Branch Site 2 "need only a PSTN gateway"
        self.assertEqual(roles(self.doc, "Branch1"), {"survivable-branch-appliance": 1})
        self.assertEqual(roles(self.doc, "Branch3"), {"survivable-branch-appliance": 1})
        self.assertEqual(roles(self.doc, "Branch2"), {})
        for b, home in (("Branch1", "SiteA"), ("Branch2", "SiteB"), ("Branch3", "SiteB")):
            self.assertEqual((self.site(b)["kind"], self.site(b)["home"]), ("branch", home))
            self.assertEqual(self.site(b)["pools"], [])

    def test_mediation_pool_at_b_only(self):
        # LARGE: "at Central Site B, Mediation Server is not collocated with the Front End Servers"
        self.assertGreaterEqual(roles(self.doc, "SiteB").get("mediation", 0), 2)
        self.assertNotIn("mediation", roles(self.doc, "SiteA"))

    def test_persistent_chat_and_separate_stores(self):
        # LARGE: Persistent Chat deployed, its stores "on separate servers"; Monitoring and
        # Archiving databases "on a server separate from the Back End Servers"
        a, b = roles(self.doc, "SiteA"), roles(self.doc, "SiteB")
        self.assertGreater(a.get("persistent-chat", 0) + b.get("persistent-chat", 0), 0)
        for role in ("monitoring-sql", "archiving-sql", "pchat-sql"):
            self.assertGreater(b.get(role, 0), 0, role)
        stores = {(s["store"], s["site"]) for s in self.doc["storage"]}
        self.assertIn(("monitoring", "SiteB"), stores)
        self.assertIn(("archiving", "SiteB"), stores)
        self.assertNotIn("Branch1", {s for _, s in stores})  # a branch's users count at its home

if __name__ == "__main__":
    lptest.main()
