#!/usr/bin/python3
"""Plans an architect signs (issue 23), asserted on the JSON plan and the text
report against Microsoft's figures the rule files cite. Environment (set by
meson): LYNCPLAN, LP_SOURCE_ROOT."""
import functools
import glob
import json
import os
import re
import shutil
import unittest

import lptest

ROOT = lptest.ROOT
PRODUCTS = ("lync2013", "sfb2015", "sfb2019", "sfbse")
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
# Microsoft's Standard Edition figures (L13-CAP, SFB19-CAP): "Each server in the
# pair can host up to 2,500 users, and if one server fails the remaining server
# can support 5,000 users in a failover scenario"
SE_NORMAL = 2500


def run(*args):
    return lptest.run_ok(*args, text=True)


@functools.lru_cache(maxsize=None)
def plan_text(*args):
    return run("plan", "--format", "json", *args).stdout


def plan(*args):
    return json.loads(plan_text(*args))


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


class FailureRowsForEveryRole(unittest.TestCase):
    """Every role a site builds is named by a failure row that applies there."""

    def test_every_role_of_every_example(self):
        for ex in EXAMPLES:
            for product in PRODUCTS:
                doc = plan(ex, "--product", product)
                rows = {r["site"]: r["failures"] for r in doc["resilience"]}
                for s in doc["sites"]:
                    covered = {role for f in rows.get(s["name"], []) for role in f["roles"]}
                    for r in s["roles"]:
                        with self.subTest(example=os.path.basename(ex), product=product,
                                          site=s["name"], role=r["role"]):
                            self.assertIn(r["role"], covered)

    def test_rows_name_roles_the_rule_set_has(self):
        with lptest.tmpdir() as d:
            rules = os.path.join(d, "rules")
            shutil.copytree(os.path.join(ROOT, "rules"), rules)
            shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(d, "templates"))
            path = os.path.join(rules, "lync2013.rules")
            with open(path, encoding="utf-8") as f:
                text = f.read()
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace("roles = front-end\n", "roles = front-ends\n", 1))
            p = lptest.run("plan", "--rules-dir", rules, "--site", "HQ=100", text=True)
        self.assertNotEqual(p.returncode, 0)
        self.assertRegex(p.stderr, r"lync2013.rules:[0-9]+: \[failure [a-z-]+\] roles: "
                         r"no role 'front-ends' in the rule set")

class MediationAfterALoss(unittest.TestCase):
    """Collocated Mediation has no spare: the peak is carried after one server is lost."""

    COLLOCATED = 150   # L13-CAP: a Front End or Standard Edition server, collocated
    STANDALONE = 1100  # L13-CAP: a stand-alone Mediation server, hyper-threading off

    def test_300_calls_after_one_server_is_lost(self):
        doc = plan("--site", "HQ=4000,pstn-calls=300", "--voice")
        r = roles(doc, "HQ")
        hosts = r.get("standard-edition", 0) + r.get("front-end", 0)
        after = ((r["mediation"] - 1) * self.STANDALONE if r.get("mediation")
                 else (hosts - 1) * self.COLLOCATED)
        self.assertGreaterEqual(after, 300)

    def test_paired_sites_carry_the_partners_calls(self):
        doc = plan("--site", "A=3000,pstn-calls=200", "--site", "B=3000,pstn-calls=200",
                   "--dr-rto", "4h", "--voice")
        for name in ("A", "B"):
            r = roles(doc, name)
            hosts = r.get("standard-edition", 0) + r.get("front-end", 0)
            carried = (r["mediation"] * self.STANDALONE if r.get("mediation")
                       else hosts * self.COLLOCATED)
            self.assertGreaterEqual(carried, 400, name)

    def test_json_mediation_capacity(self):
        doc = plan("--site", "HQ=4000,pstn-calls=300", "--voice")
        cap = site(doc, "HQ")["mediation_capacity"]
        r = roles(doc, "HQ")
        per, n = ((self.STANDALONE, r["mediation"]) if r.get("mediation")
                  else (self.COLLOCATED, r.get("standard-edition", 0) + r.get("front-end", 0)))
        self.assertEqual(cap, {"pstn_calls": 300, "calls": n * per, "calls_after_loss": (n - 1) * per})
        self.assertGreaterEqual(cap["calls_after_loss"], cap["pstn_calls"])

    def test_json_mediation_capacity_collocated_and_only_with_voice(self):
        doc = plan("--site", "HQ=12000,pstn-calls=100", "--voice")
        r = roles(doc, "HQ")
        hosts = r.get("standard-edition", 0) + r.get("front-end", 0)
        self.assertNotIn("mediation", r)
        self.assertEqual(site(doc, "HQ")["mediation_capacity"],
                         {"pstn_calls": 100, "calls": hosts * self.COLLOCATED,
                          "calls_after_loss": (hosts - 1) * self.COLLOCATED})
        self.assertNotIn("mediation_capacity", site(plan("--site", "HQ=12000"), "HQ"))

    def test_every_voice_site_of_every_example_has_it(self):
        seen = 0
        for product in PRODUCTS:
            for ex in EXAMPLES:
                doc = plan(ex, "--product", product)
                voice = doc["inputs"]["voice"]["value"] is True
                for s in doc["sites"]:
                    if s["kind"] == "branch" or s["users"] == 0:
                        continue
                    self.assertEqual("mediation_capacity" in s, voice, f"{product} {ex} {s['name']}")
                    seen += voice
        self.assertGreater(seen, 0)


def failure(doc, site_name, row_id):
    rows = next(r for r in doc["resilience"] if r["site"] == site_name)["failures"]
    return next((f for f in rows if f["id"] == row_id), None)


def steps_text(row):
    return "\n".join(s["text"] for s in row["steps"])


class SiteLossCriticalPath(unittest.TestCase):
    """The site-loss row is timed as a critical path, per class of service."""

    def test_sfb2019_12000_users_in_1h30m(self):
        p = lptest.run("plan", "--product", "sfb2019", "--site", "HQ=12000", "--rto", "30m",
                       "--dr-rto", "1h30m", text=True)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        flat = " ".join(p.stdout.split())
        self.assertIn("back: sign-in 1h5m, IM and presence 1h5m, voice 1h5m, conferencing 1h5m; "
                      "outside dr-scope: Response Groups 1h20m", flat)
        doc = plan("--product", "sfb2019", "--site", "HQ=12000", "--rto", "30m", "--dr-rto",
                   "1h30m")
        row = failure(doc, "HQ", "site-failover")
        back = {s["id"]: s for s in row["services"]}
        core = {"sign-in", "im-presence", "voice", "conferencing"}
        self.assertEqual({k for k, s in back.items() if s["in_dr_scope"]}, core)
        # response 30m + Edge next hop 15m + pool failover 20m (SFB-DR-PAGE: 15-20 minutes);
        # the Central Management Store's 5m runs alongside the next-hop change
        self.assertEqual(row["rto_minutes"], 65)
        self.assertEqual(row["rto_minutes"], max(back[k]["back_minutes"] for k in core))
        self.assertEqual(back["response-groups"]["back_minutes"], 80)
        self.assertFalse(back["response-groups"]["in_dr_scope"])

    def test_lync_pool_failover_is_30_minutes(self):
        row = failure(plan("--site", "HQ=12000", "--rto", "30m", "--dr-rto", "4h"), "HQ",
                      "site-failover")
        self.assertEqual(row["rto_minutes"], 30 + 15 + 30)

    def test_dr_scope_all_and_a_list(self):
        base = ("--product", "sfb2019", "--site", "HQ=12000", "--rto", "30m", "--dr-rto", "4h")
        row = failure(plan(*base, "--dr-scope", "all"), "HQ", "site-failover")
        self.assertEqual(row["rto_minutes"], 80)
        self.assertTrue(all(s["in_dr_scope"] for s in row["services"]))
        row = failure(plan(*base, "--dr-scope", "sign-in, response-groups"), "HQ", "site-failover")
        self.assertEqual(row["rto_minutes"], 80)
        self.assertEqual({s["id"] for s in row["services"] if s["in_dr_scope"]},
                         {"sign-in", "response-groups"})
        self.assertEqual(plan(*base, "--dr-scope", "sign-in, response-groups")["inputs"]["dr_scope"]
                         ["value"], "sign-in, response-groups")


class PersistentChatDisasterRecovery(unittest.TestCase):
    """Microsoft's manual Persistent Chat failover in the site-loss runbook, and its failback."""

    FAILOVER = ("sp_delete_log_shipping_secondary_database mgc", "restore database mgc with recovery",
                "-PoolState FailedOver", "Install-CsMirrorDatabase",
                "Set-CsPersistentChatActiveServer")

    def assert_runbook(self, doc, site_name):
        row = failure(doc, site_name, "site-failover")
        text = steps_text(row)
        for cmd in self.FAILOVER:
            self.assertIn(cmd, text)
        self.assertIn("persistent-chat", {s["id"] for s in row["services"]})
        back = steps_text(failure(doc, site_name, "failback"))
        self.assertIn("-PoolState Normal", back)

    def test_reference_large(self):
        # SiteB has the more users (its branches counted), so the active servers and the
        # primary database are there (L13-PC-DR)
        self.assert_runbook(plan("examples/reference-large.ini"), "SiteB")

    def test_persistent_chat_with_dr(self):
        self.assert_runbook(plan("--site", "HQ=5000", "--persistent-chat", "--dr-rto", "4h"), "HQ")

    def test_not_where_the_product_has_none(self):
        doc = plan("--product", "sfb2019", "--site", "HQ=5000", "--dr-rto", "4h")
        self.assertNotIn("mgc", steps_text(failure(doc, "HQ", "site-failover")))


class RunbookOrder(unittest.TestCase):
    def test_response_group_failback_exports_before_import(self):
        # L13-RGS-DR step 8: export from the backup pool, owned by the primary, then import
        text = steps_text(failure(plan("--site", "HQ=5000", "--dr-rto", "4h"), "HQ", "failback"))
        export = text.index('Export-CsRgsConfiguration -Source "service:ApplicationServer:<backup '
                            'pool FQDN>" -Owner "service:ApplicationServer:<home pool FQDN>"')
        self.assertLess(export, text.index("Import-CsRgsConfiguration"))

    def test_quorum_loss_in_a_single_pool_counts_the_repair(self):
        doc = plan("--site", "HQ=12000", "--rto", "30m")
        row = failure(doc, "HQ", "pool")
        # response 30m + the repair (front-end-repair-time, 8h) + the reset and restart 30m
        self.assertEqual(row["rto_minutes"], 30 + 8 * 60 + 30)
        self.assertIn("QuorumLossRecovery", steps_text(row))
        self.assertIsNone(failure(doc, "HQ", "edge-next-hop"))
        self.assertIsNotNone(failure(plan("--site", "HQ=12000", "--rto", "30m", "--dr-rto", "4h"),
                                     "HQ", "edge-next-hop"))


class Branches(unittest.TestCase):
    """SFB-DR: "Skype for Business does not extend disaster recovery support to users homed
    on a Survivable Branch Appliance"; L13-BRANCH: 1,000 to 2,000 users "Survivable Branch
    Server or two Survivable Branch Appliances", at most two appliances a branch site."""

    def branch(self, users, survivable="sba", *extra):
        return plan("--site", "HQ=5000", "--site",
                    f"B={users},kind=branch,home=HQ,survivable={survivable}", "--dr-rto", "4h",
                    *extra)

    def test_planned_without_dr_in_every_output(self):
        for product in PRODUCTS:
            with self.subTest(product=product):
                doc = self.branch(800, "sba", "--product", product)
                b = site(doc, "B")
                self.assertTrue(b["planned_without_dr"])
                self.assertFalse(site(doc, "HQ")["planned_without_dr"])
                self.assertTrue(any("does not extend disaster recovery" in n for n in b["notes"]))
                text = run("plan", "--product", product, "--site", "HQ=5000", "--site",
                           "B=800,kind=branch,home=HQ,survivable=sba", "--dr-rto", "4h").stdout
                self.assertIn("a branch of HQ, planned without disaster recovery", " ".join(text.split()))
                self.assertIn("does not extend disaster recovery support", " ".join(text.split()))
        self.assertFalse(site(self.branch(800, "none"), "B")["planned_without_dr"])

    def test_failure_rows_promise_no_site_failover(self):
        doc = self.branch(800)
        rows = next(r for r in doc["resilience"] if r["site"] == "B")["failures"]
        home = next(f for f in rows if f["id"] == "branch-home-site")
        self.assertIn("does not extend disaster recovery", home["effect"])
        for f in rows:
            self.assertNotIn("Invoke-CsPoolFailover", steps_text(f), f["id"])
        self.assertIsNone(failure(self.branch(800, "none"), "B", "branch-home-site"))

    def test_above_the_appliance_limit(self):
        two = roles(self.branch(1500), "B")
        self.assertEqual(two, {"survivable-branch-appliance": 2})
        self.assertTrue(any("Survivable Branch Server or two Survivable Branch Appliances" in n
                            for n in site(self.branch(1500), "B")["notes"]))
        server = self.branch(3000)
        self.assertEqual(roles(server, "B"), {"survivable-branch-server": 1})
        self.assertTrue(any("a Survivable Branch Server instead" in n
                            for n in site(server, "B")["notes"]))


def contributors(doc, cls="internal"):
    return [c["component"] for g in doc["groups"] if g.get("availability")
            for c in g["availability"][cls]["contributors"]]


class AvailabilityAdditions(unittest.TestCase):
    """What Microsoft names and the availability model left out (issue 23)."""

    def test_routing_group_quorum(self):
        # SFB-FE-HA: "Routing Group Level quorum loss, caused by not enough replica servers
        # for a particular routing group", three replicas a group
        big = contributors(plan("--site", "HQ=30000", "--rto", "30m"))
        self.assertTrue(any(c.startswith("Routing group quorum") and "2 of 3 down" in c for c in big))
        # a three-server pool holds every group on all three: its pool row says it
        small = plan("--site", "HQ=12000", "--rto", "30m")
        self.assertEqual(small["resilience"][0]["quorum"][0]["servers"], 3)
        self.assertFalse(any(c.startswith("Routing group") for c in contributors(small)))

    def test_back_end_with_the_witness(self):
        # SFB-BE: "if one of those servers and the witness fails, the Back End Server will
        # become unavailable"
        for product in ("lync2013", "sfb2019"):
            c = contributors(plan("--product", product, "--site", "HQ=30000", "--rto", "30m"))
            self.assertTrue(any(x.startswith("Back End: a") and "witness down together" in x
                                for x in c), product)

    def test_web_load_balancers_for_internal_users(self):
        # L13-LB: "The hardware load balancer is used for HTTPS traffic from clients"
        c = contributors(plan("--site", "HQ=30000", "--rto", "30m"), "internal")
        self.assertTrue(any(x.startswith("Hardware load balancers of the web services") for x in c))

    def test_remote_edge_pool_and_the_wan(self):
        doc = plan(os.path.join(ROOT, "examples", "shared-edge-voice.ini"))
        remote = [c for g in doc["groups"] if g.get("availability")
                  for c in g["availability"]["remote"]["contributors"]]
        names = [c["component"] for c in remote]
        self.assertTrue(any(n.startswith("Edge pool at another site") for n in names))
        self.assertTrue(any(n.startswith("WAN link to the site of the Edge pool") for n in names))

    def test_conservative_quorum_row_for_twelve_under_2019(self):
        # SFB-FE-HA lists 12 servers in "10-12: Any 5 of the first 9 servers" and in
        # "12-16 For Skype for Business Server 2019: Any 7 of the first 12 servers"
        doc = plan("--product", "sfb2019", "--site", "HQ=70000")
        q = doc["resilience"][0]["quorum"][0]
        self.assertEqual((q["servers"], q["must_run"], q["must_run_of_first"]), (12, 5, 9))
        text = " ".join(run("plan", "--product", "sfb2019", "--site", "HQ=70000").stdout.split())
        self.assertIn("the stricter of Microsoft's two rows for 12", text)


def strings(node, skip_keys=True):
    """Every string value of a JSON document (member names left out)."""
    if isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)
    elif isinstance(node, str):
        yield node


class ProductWords:
    """Each product in its own words: under sfb2019 and sfbse no output says "Office Web
    Apps", "Lync Server Components" or "every Lync service", no runbook step, diagram or
    Topology Builder document says "mirror", and no citation is a Lync Server 2013 page
    where a Skype for Business page says the same (case-sensitive, every output format:
    text, JSON, CSV, workbook, SVG diagram, tbxml; every example)."""

    PHRASES = ("Office Web Apps", "Lync Server Components", "every Lync service")
    # Lync Server 2013 pages lyncplan found no Skype for Business counterpart of (each
    # with the page looked for in rules/sfb2015.rules): Response Group disaster recovery,
    # Standard Edition restore, "cannot be pooled", failing over a mirrored database (2015)
    L13_KEPT = {"L13-RGS-DR", "L13-SE-RESTORE", "L13-DEPLOY", "L13-DB-FAILOVER"}
    CITATION = re.compile(r"\bL13-[A-Z0-9-]*[A-Z0-9]\b")

    def assert_words(self, text, where):
        for phrase in self.PHRASES:
            at = text.find(phrase)
            self.assertEqual(at, -1, f"{where}: {phrase!r} in ...{text[max(0, at - 80):at + 80]}...")
        for cited in set(self.CITATION.findall(text)):
            self.assertIn(cited, self.L13_KEPT, where)

    def test_every_example_every_format(self):
        tmp = lptest.mkdtemp()
        try:
            for product in (self.PRODUCT,):
                for ex in EXAMPLES:
                    name = os.path.basename(ex)
                    book = os.path.join(tmp, "plan.xlsx")
                    svg = os.path.join(tmp, "plan.svg")
                    text = run("plan", ex, "--product", product, "--xlsx", book,
                               "--diagram", svg).stdout
                    self.assert_words(text, f"{product} {name} text")
                    # the diagram's labels and the Topology Builder document's names and
                    # comments; neither has a runbook, and these products no mirroring
                    with open(svg, encoding="utf-8") as f:
                        drawing = f.read()
                    tbxml = run("plan", ex, "--product", product, "--format", "tbxml").stdout
                    for what, out in (("svg", drawing), ("tbxml", tbxml)):
                        self.assert_words(out, f"{product} {name} {what}")
                        self.assertNotIn("mirror", out.lower(), f"{product} {name} {what}")
                    doc = plan(ex, "--product", product)
                    self.assert_words("\n".join(strings(doc)), f"{product} {name} json")
                    # the CSV tables are views of what the text prints; the servers table
                    # is the one with names of its own
                    csv = run("plan", ex, "--product", product, "--format", "csv",
                              "--table", "servers").stdout
                    self.assert_words(csv, f"{product} {name} csv")
                    self.assert_words(workbook_text(book), f"{product} {name} xlsx")
                    for r in doc["resilience"]:
                        for f in r["failures"]:
                            self.assertNotIn("mirror", steps_text(f), f"{product} {name} {f['id']}")
        finally:
            shutil.rmtree(tmp)


# one test a product: each runs every example in every format (meson: review-words-*)
class ProductWordsSfb2019(ProductWords, unittest.TestCase):
    PRODUCT = "sfb2019"


class ProductWordsSfbse(ProductWords, unittest.TestCase):
    PRODUCT = "sfbse"


class SkypePages(unittest.TestCase):
    """Where a Skype for Business page says what a Lync Server 2013 page said, the
    Skype for Business products cite it (rules/sfb2015.rules: [word cite-*])."""

    def test_reference_topologies_and_collocation(self):
        for product in ("sfb2015", "sfb2019", "sfbse"):
            # reference-topologies.md: Monitoring and Archiving "on a server separate from
            # the Back End Servers" (separate-stores); topology-basics.md: the databases
            # "can be collocated on the same back end SQL Server"
            for ex, cited in (("voice-stores.ini", "SFB-REFTOP"), ("contoso-tb.ini", "SFB-COLLOC")):
                text = " ".join(run("plan", os.path.join(ROOT, "examples", ex),
                                    "--product", product).stdout.split())
                self.assertIn(cited, text, product)
                self.assertNotRegex(text, r"L13-(SMALL|MEDIUM|LARGE|COLLOC)\b", product)
        small = run("plan", os.path.join(ROOT, "examples", "standard-paired.ini"),
                    "--product", "sfb2019").stdout
        # reference-topologies.md: "Each server homes 2,000 users"
        self.assertIn("SFB-REFTOP: 2,000 on each", " ".join(small.split()))
        lync = run("plan", os.path.join(ROOT, "examples", "contoso-tb.ini"),
                   "--product", "lync2013").stdout
        self.assertIn("L13-COLLOC", lync)
        self.assertNotIn("SFB-COLLOC", lync)

    def test_skype_sources_are_listed(self):
        doc = plan("--product", "sfb2019", "--site", "HQ=4000", "--rto", "4h", "--dr-rto", "4h")
        text = "\n".join(strings(doc))
        for cited in ("SFB-FILE", "SFB-POOL-UX"):
            self.assertIn(cited, text)


class Hardware2015(unittest.TestCase):
    def test_sfb2015_hardware(self):
        text = run("plan", "--product", "sfb2015", "--site", "HQ=12000").stdout
        # SFB-HW: Edge Servers, standalone Mediation Servers and Directors "64-bit dual
        # processor, quad-core, 2.26 gigahertz (GHz) or higher"
        self.assertIn("dual quad-core 2.26 GHz, 16 GB RAM", " ".join(text.split()))
        self.assertNotIn("2.0 GHz", text)


def workbook_text(path):
    """Every cell of a workbook as text (the xlsx is a zip of XML parts)."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist()
                         if n.endswith(".xml") and ("sharedStrings" in n or "worksheets" in n))


if __name__ == "__main__":
    # without names, every class but the per-product wording ones (tests of their own)
    lptest.main(select=lambda c: not issubclass(c, ProductWords))
