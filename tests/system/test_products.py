#!/usr/bin/python3
"""Product rule sets (issue 13): every rules/*.rules loads and plans every
example, inheritance does what docs/decisions.md says (and its mistakes name the
file and line), and the issue's cases come out with Microsoft's figures."""
import csv
import glob
import io
import json
import os
import shutil
import unittest

import lptest

ROOT = lptest.ROOT
RULES = os.path.join(ROOT, "rules")
PRODUCTS = sorted(os.path.basename(p)[:-len(".rules")] for p in glob.glob(os.path.join(RULES, "*.rules")))
NO_PCHAT = ("sfb2019", "sfbse")


def run(*args, cwd=None):
    return lptest.run(*args, text=True, cwd=cwd)


def plan_json(*args):
    p = run("plan", "--rules-dir", RULES, "--format", "json", *args)
    return p.returncode, json.loads(p.stdout) if p.stdout else None


def role_count(doc, role):
    return sum(r["count"] for s in doc["sites"] for r in s["roles"] if r["role"] == role)


class Products(unittest.TestCase):
    def test_the_four_products_are_there(self):
        self.assertEqual(["lync2013", "sfb2015", "sfb2019", "sfbse"], PRODUCTS)

    def test_rules_list_names_each_with_its_support_status(self):
        p = run("rules", "--rules-dir", RULES, "--list")
        self.assertEqual(0, p.returncode, p.stderr)
        for product, name, support in [
                ("lync2013", "Lync Server 2013", "extended support ended on 11 April 2023"),
                ("sfb2015", "Skype for Business Server 2015, extends lync2013", "ended on 14 October 2025"),
                ("sfb2019", "Skype for Business Server 2019, extends sfb2015", "ended on 14 October 2025"),
                ("sfbse", "Skype for Business Server Subscription Edition, extends sfb2019", "released in July 2025")]:
            with self.subTest(product=product):
                line = [l for l in p.stdout.splitlines() if l.startswith(product + " ")]
                self.assertEqual(1, len(line), p.stdout)
                self.assertIn(name, line[0])
                nxt = p.stdout.splitlines()[p.stdout.splitlines().index(line[0]) + 1]
                self.assertIn(support, nxt)

    def test_rules_product_marks_what_is_inherited(self):
        for product in PRODUCTS:
            with self.subTest(product=product):
                p = run("rules", "--rules-dir", RULES, "--product", product)
                self.assertEqual(0, p.returncode, p.stderr)
                lines = p.stdout.splitlines()
                self.assertTrue(lines[0].startswith(product + ": "), lines[0])
                inherited = [l for l in lines if "(inherited" in l]
                if product == "lync2013":
                    self.assertEqual([], inherited)
                    continue
                self.assertTrue(inherited)
                # a figure the rule set states itself is not marked
                own = {"sfb2015": "pool-failover-rpo", "sfb2019": "users-per-edge", "sfbse": None}[product]
                if own:
                    line = [l for l in lines if l.split()[:1] == [own]][0]
                    self.assertNotIn("inherited", line)
                line = [l for l in lines if l.split()[:1] == ["backup-interval"]][0]
                self.assertIn("(inherited: rules/lync2013.rules:", line)
        p = run("rules", "--rules-dir", RULES, "--product", "sfb2019")
        removed = [l for l in p.stdout.splitlines() if l.startswith("Removed from what it inherits:")][0]
        for group in ("[role pchat-sql]", "[role persistent-chat]", "[role sql-witness]", "[failure back-end]"):
            self.assertIn(group, removed)

    def test_rules_product_marks_inherited_roles_editions_and_templates(self):
        def section(product, title):
            p = run("rules", "--rules-dir", RULES, "--product", product)
            self.assertEqual(0, p.returncode, p.stderr)
            body = p.stdout.split("\n" + title + "\n")[1].split("\n\n")[0]
            return {l.split()[0]: l for l in body.splitlines()}

        # lync2013 states everything itself
        for title in ("Roles, in bill-of-materials order:", "Editions:", "Candidate designs, in tie-break order:"):
            rows = section("lync2013", title)
            self.assertTrue(rows, title)
            self.assertEqual([], [l for l in rows.values() if "inherited" in l], title)
        # sfb2015: its own Office Online Server, cluster witness and 2015 hardware of Edge,
        # Director and Mediation (SFB-HW), the rest of lync2013's
        roles = section("sfb2015", "Roles, in bill-of-materials order:")
        for own in ("office-web-apps", "cluster-witness", "edge", "director", "mediation"):
            self.assertNotIn("inherited", roles[own], own)
        self.assertRegex(roles["front-end"], r"\(inherited: rules/lync2013\.rules:\d+\)$")
        self.assertRegex(roles["cluster-storage"], r"\(inherited: rules/lync2013\.rules:\d+\)$")
        self.assertNotIn("persistent-chat", section("sfb2019", "Roles, in bill-of-materials order:"))
        # sfbse: 2019's hardware and Office Online Server (oos servers); its editions
        # inherited whole ([rule-set] caveat adds its support status to each)
        roles = section("sfbse", "Roles, in bill-of-materials order:")
        self.assertRegex(roles["front-end"], r"\(inherited: rules/sfb2019\.rules:\d+\)$")
        self.assertRegex(roles["office-web-apps"], r"\(inherited: rules/sfb2019\.rules:\d+\)$")
        editions = section("sfbse", "Editions:")
        self.assertRegex(editions["standard"], r"7 caveats; .*\(inherited: rules/lync2013\.rules:\d+\)$")
        self.assertRegex(editions["enterprise"], r"5 caveats; .*\(inherited: rules/sfb2019\.rules:\d+\)$")
        # a template list is the nearest rule set's of the chain: sfbse names none
        designs = section("sfbse", "Candidate designs, in tie-break order:")
        self.assertEqual(["standard-single", "standard-paired", "enterprise-pool-ag", "enterprise-paired-ag",
                          "enterprise-pool-fci", "enterprise-paired-fci", "branch"], list(designs))
        for line in designs.values():
            self.assertRegex(line, r"\(inherited: rules/sfb2019\.rules:\d+\)$")
        for line in section("sfb2019", "Candidate designs, in tie-break order:").values():
            self.assertNotIn("inherited", line)
        # a child that writes an edition again states it itself; one it does not, it inherits
        editions = section("sfb2015", "Editions:")
        self.assertNotIn("inherited", editions["enterprise"])
        self.assertRegex(editions["standard"], r"\(inherited: rules/lync2013\.rules:\d+\)$")

    def test_every_example_plans_under_every_product(self):
        for example in sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini"))):
            for product in PRODUCTS:
                with self.subTest(example=os.path.basename(example), product=product):
                    rc, doc = plan_json(example, "--product", product)
                    self.assertIn(rc, (0, 3))
                    self.assertEqual(product, doc["rule_set"]["id"])
                    pchat = doc["inputs"]["persistent_chat"]["value"] is True
                    for g in doc["groups"]:
                        method = g["back_end_ha"]
                        if g["edition"] in ("standard", "none"):  # none: a branch site
                            self.assertEqual("none", method)
                        elif product in NO_PCHAT:
                            self.assertIn(method, ("always-on-ag", "failover-cluster"))
                        else:
                            self.assertEqual("sql-mirroring", method)  # ties go to mirroring, listed first
                    if product in NO_PCHAT:
                        self.assertEqual(0, role_count(doc, "persistent-chat"))
                        self.assertEqual(0, role_count(doc, "pchat-sql"))
                        if pchat:
                            self.assertEqual(3, rc)

    def test_each_product_example_writes_every_output(self):
        for example in sorted(glob.glob(os.path.join(ROOT, "examples", "sfb*.ini"))):
            with self.subTest(example=os.path.basename(example)), lptest.tmpdir() as d:
                p = run("plan", "--rules-dir", RULES, example, "--xlsx", os.path.join(d, "plan.xlsx"),
                        "-o", os.path.join(d, "plan.txt"))
                self.assertEqual(0, p.returncode, p.stderr)
                self.assertGreater(os.path.getsize(os.path.join(d, "plan.xlsx")), 0)
                for fmt in ("json", "csv"):
                    self.assertEqual(0, run("plan", "--rules-dir", RULES, example, "--format", fmt).returncode)

    def test_unknown_product_lists_the_known_ones(self):
        p = run("plan", "--rules-dir", RULES, "--product", "sfb2030", "--site", "HQ=100")
        self.assertEqual(2, p.returncode)
        self.assertEqual("lyncplan: no rule set 'sfb2030' in %s (there are: lync2013, sfb2015, sfb2019, sfbse)\n" % RULES,
                         p.stderr)


class DoneWhen(unittest.TestCase):
    def test_sfb2019_one_pool_of_16_flagged_quorum_7_of_12(self):
        rc, doc = plan_json("--product", "sfb2019", "--site", "HQ=106000", "--rto", "30m")
        self.assertEqual(0, rc)
        self.assertEqual(16, role_count(doc, "front-end"))
        notes = doc["sites"][0]["notes"]
        self.assertTrue(any("no spare Front End server" in n and "all 16" in n for n in notes), notes)
        q = doc["resilience"][0]["quorum"]
        self.assertEqual(1, len(q))
        text = run("plan", "--rules-dir", RULES, "--product", "sfb2019", "--site", "HQ=106000", "--rto", "30m").stdout
        text = " ".join(text.split())  # the report wraps at 100 columns
        self.assertIn("16 servers: any 7 of the first 12 must run", text)
        self.assertIn("12 must be up to start it", text)
        # the same users under Lync Server 2013 need two pools of at most 12
        rc, doc = plan_json("--product", "lync2013", "--site", "HQ=106000", "--rto", "30m")
        self.assertGreater(role_count(doc, "front-end"), 16)

    def test_edge_servers_18000_against_12000(self):
        for product, edges in [("sfb2019", 2), ("sfbse", 2), ("sfb2015", 3), ("lync2013", 3)]:
            with self.subTest(product=product):
                rc, doc = plan_json("--product", product, "--site", "HQ=30000", "--rto", "30m", "--remote-percent", "100")
                self.assertEqual(edges, role_count(doc, "edge"))

    def test_sfb2015_pool_failover_rpo_5m(self):
        args = ("--site", "HQ=3000", "--dr-rto", "4h", "--dr-rpo", "5m")
        rc, doc = plan_json("--product", "sfb2015", *args)
        self.assertEqual(0, rc)
        self.assertTrue(doc["feasible"])
        rc, doc = plan_json("--product", "lync2013", *args)
        self.assertEqual(3, rc)
        req = {r["id"]: r for g in doc["groups"] for r in g["requirements"]}
        self.assertFalse(req["dr-rpo"]["met"])
        self.assertEqual(25, req["dr-rpo"]["shortfall_minutes"])

    def test_sfb2019_has_no_persistent_chat(self):
        for product in NO_PCHAT:
            with self.subTest(product=product):
                p = run("plan", "--rules-dir", RULES, "--product", product, "--site", "HQ=5000", "--rto", "30m",
                        "--persistent-chat")
                self.assertEqual(3, p.returncode)
                self.assertIn("Persistent Chat (removed", p.stdout)
                self.assertIn("Skype for Business Server 2019", p.stdout)
                self.assertNotIn("Persistent Chat server", p.stdout)
                rc, doc = plan_json("--product", product, "--site", "HQ=5000", "--rto", "30m", "--persistent-chat")
                self.assertEqual(0, role_count(doc, "persistent-chat"))
        rc, doc = plan_json("--product", "sfb2015", "--site", "HQ=5000", "--rto", "30m", "--persistent-chat")
        self.assertGreater(role_count(doc, "persistent-chat"), 0)

    def test_support_status_is_a_caveat(self):
        expected = {"lync2013": "left extended support on 11 April 2023",
                    "sfb2015": "left extended support on 14 October 2025",
                    "sfb2019": "left extended support on 14 October 2025",
                    "sfbse": "Modern Lifecycle Policy"}
        for product, text in expected.items():
            for users in ("3000", "30000"):
                with self.subTest(product=product, users=users):
                    rc, doc = plan_json("--product", product, "--site", "HQ=" + users)
                    items = [i for c in doc["caveats"] for i in c["items"]]
                    self.assertTrue(any(text in i for i in items), items)

    def test_no_two_server_pool_in_2019(self):
        p = run("plan", "--rules-dir", RULES, "--product", "sfb2019", "--site", "HQ=20000", "--set", "front-ends-min=2")
        self.assertEqual(2, p.returncode)
        self.assertIn("front-ends-min", p.stderr)


class BackEndHa(unittest.TestCase):
    def test_each_product_offers_its_methods(self):
        offered = {"lync2013": {"none", "sql-mirroring", "failover-cluster"},
                   "sfb2015": {"none", "sql-mirroring", "always-on-ag", "failover-cluster"},
                   "sfb2019": {"none", "always-on-ag", "failover-cluster"},
                   "sfbse": {"none", "always-on-ag", "failover-cluster"}}
        for product, methods in offered.items():
            with self.subTest(product=product):
                p = run("rules", "--rules-dir", RULES, "--product", product)
                designs = p.stdout.split("Candidate designs")[1].split("\n\n")[0]
                seen = {"none"}
                for line in designs.splitlines()[1:]:
                    if "Availability Group" in line:
                        seen.add("always-on-ag")
                    elif "failover cluster" in line:
                        seen.add("failover-cluster")
                    elif "Enterprise" in line:
                        seen.add("sql-mirroring")
                self.assertEqual(methods, seen)

    def test_failover_cluster_lists_its_shared_storage_as_an_appliance(self):
        rc, doc = plan_json("--product", "sfb2019", "--site", "HQ=20000", "--rto", "30m")
        alts = {a["design"]: a for g in doc["groups"] for a in g["alternatives"]}
        ag = [g for g in doc["groups"]][0]
        self.assertEqual("always-on-ag", ag["back_end_ha"])
        fci = alts["enterprise-pool-fci"]
        self.assertEqual(ag_appliances(doc) + 1, fci["appliances"])

    def test_a_pair_uses_one_method(self):
        rc, doc = plan_json("--product", "sfb2019", "--site", "A=20000,dr-site=B", "--site", "B=20000,dr-site=A",
                            "--dr-rto", "4h")
        self.assertEqual(["enterprise-paired-ag"], [g["design"] for g in doc["groups"]])
        self.assertEqual(2, role_count(doc, "cluster-witness"))

    def test_lync2013_offers_a_failover_cluster_beside_mirroring(self):
        # same servers and appliances together, one appliance more: mirroring wins the tie
        rc, doc = plan_json("--site", "A=20000,dr-site=B", "--site", "B=20000,dr-site=A", "--dr-rto", "4h")
        self.assertEqual(0, rc)
        g = doc["groups"][0]
        self.assertEqual(("enterprise-paired", "sql-mirroring"), (g["design"], g["back_end_ha"]))
        fci = {a["design"]: a for a in g["alternatives"]}["enterprise-paired-fci"]
        self.assertEqual(doc["totals"]["servers"] + doc["totals"]["appliances"],
                         fci["servers"] + fci["appliances"])
        self.assertEqual(doc["totals"]["appliances"] + 2, fci["appliances"])
        # with the SQL witness dearer than the cluster's storage, the cluster is chosen,
        # in both pools of the pair, its storage an appliance
        with lptest.tmpdir() as tmp:
            prices = os.path.join(tmp, "p.prices")
            with open(prices, "w") as f:
                f.write("[price-list]\ncurrency = USD\n\n[role sql-witness]\nhardware = 5000\n\n"
                        "[role cluster-storage]\nhardware = 1000\n")
            rc, doc = plan_json("--site", "A=20000,dr-site=B", "--site", "B=20000,dr-site=A", "--dr-rto", "4h",
                                "--rpo", "1d", "--rto", "12h", "--prices", prices)
        self.assertEqual(0, rc)
        self.assertEqual([("enterprise-paired-fci", "failover-cluster")],
                         [(g["design"], g["back_end_ha"]) for g in doc["groups"]])
        self.assertEqual(2, role_count(doc, "cluster-storage"))
        self.assertEqual(0, role_count(doc, "sql-witness"))
        storage = [r for s in doc["sites"] for r in s["roles"] if r["role"] == "cluster-storage"]
        self.assertEqual({1}, {r["count"] for r in storage})

    def test_a_priced_availability_group_pays_for_sql_server_enterprise(self):
        example = os.path.join(ROOT, "examples", "prices-example.prices")
        site = ("--site", "HQ=20000", "--rto", "30m")

        def bom(product, prices):
            p = run("plan", "--rules-dir", RULES, "--product", product, *site, "--prices", prices,
                    "--format", "csv")
            self.assertEqual(0, p.returncode, p.stderr)
            rows = list(csv.DictReader(io.StringIO(p.stdout)))
            return {r["role_id"]: r for r in rows}

        # sfb2019 (no mirroring): the example, written for lync2013, loads (the
        # roles it removed are ignored) and its replicas carry the Enterprise licence
        rows = bom("sfb2019", example)
        sql = rows["back-end-sql"]
        self.assertEqual(("enterprise-pool-ag", "2"), (sql["design"], sql["quantity"]))
        self.assertEqual(27000, float(sql["licence_unit_price"]))
        self.assertEqual(2 * (9000 + 27000), float(sql["extended_price"]))
        rc, priced = plan_json("--product", "sfb2019", *site, "--prices", example)
        text = run("plan", "--rules-dir", RULES, "--product", "sfb2019", *site, "--prices", example).stdout
        line = [l for l in text.splitlines() if "Back End SQL server" in l and "36,000.00" in l]
        self.assertEqual(1, len(line), text)
        self.assertIn("72,000.00", line[0])
        # without the [licence] group the role's own licence is all it costs
        with lptest.tmpdir() as tmp:
            plain = os.path.join(tmp, "plain.prices")
            with open(example) as f, open(plain, "w") as g:
                g.write(f.read().replace("[licence sql-enterprise]\nprice = 27000\n", ""))
            self.assertEqual(7000.5, float(bom("sfb2019", plain)["back-end-sql"]["licence_unit_price"]))
            rc2, cheaper = plan_json("--product", "sfb2019", *site, "--prices", plain)
        self.assertEqual((0, 0), (rc, rc2))
        self.assertAlmostEqual(2 * (27000 - 7000.5), priced["sites"][0]["cost"] - cheaper["sites"][0]["cost"])
        # a mirrored design needs no Enterprise edition: sfb2015 keeps mirroring, now the cheaper
        rows = bom("sfb2015", example)
        self.assertEqual("enterprise-pool", rows["back-end-sql"]["design"])
        self.assertEqual(7000.5, float(rows["back-end-sql"]["licence_unit_price"]))
        # the rule set says which designs need it
        p = run("rules", "--rules-dir", RULES, "--product", "sfb2019")
        line = [l for l in p.stdout.splitlines() if l.split()[:1] == ["sql-enterprise"]][0]
        self.assertIn("needed by enterprise-pool-ag, enterprise-paired-ag", line)


def ag_appliances(doc):
    return doc["totals"]["appliances"]


class Inheritance(unittest.TestCase):
    def setUp(self):
        self.dir = lptest.mkdtemp()
        shutil.copytree(RULES, os.path.join(self.dir, "rules"))
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(self.dir, "templates"))
        self.rules_dir = os.path.join(self.dir, "rules")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def write(self, name, text):
        with open(os.path.join(self.rules_dir, name + ".rules"), "w") as f:
            f.write(text)

    def rules(self, product):
        return run("rules", "--rules-dir", self.rules_dir, "--product", product)

    def test_a_constant_redefined_replaces_the_inherited_one(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfb2019\n\n"
                            "[constant users-per-edge]\nvalue = 9000\nunit = remote users\nsource = assumption: a test\n"
                            "range = 1..100000\n")
        p = self.rules("child")
        self.assertEqual(0, p.returncode, p.stderr)
        line = [l for l in p.stdout.splitlines() if l.split()[:1] == ["users-per-edge"]][0]
        self.assertIn("9000", line)
        self.assertNotIn("inherited", line)
        q = run("plan", "--rules-dir", self.rules_dir, "--product", "child", "--site", "HQ=30000", "--remote-percent", "100",
                "--format", "json")
        self.assertEqual(4, role_count(json.loads(q.stdout), "edge"))

    def test_unknown_parent(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfb2030\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        self.assertTrue(p.stderr.startswith("lyncplan: %s/child.rules:5: [rule-set] extends: no rule set 'sfb2030' beside this file"
                                            % self.rules_dir), p.stderr)

    def test_removing_a_group_not_inherited(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = lync2013\n"
                            "remove = role persistent-chat, role pchat-chat\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        self.assertEqual("lyncplan: %s/child.rules:6: [rule-set] remove: 'role pchat-chat' names no group the rule set inherits\n"
                         % self.rules_dir, p.stderr)

    def test_a_child_inherits_the_edition_caveats_and_adds_its_own(self):
        # [rule-set] caveat: the product's own, the last of every edition's
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfbse\n"
                            "caveat = Child is a test product.\n")
        for users in ("3000", "30000"):
            p = run("plan", "--rules-dir", self.rules_dir, "--product", "child", "--site", "HQ=" + users,
                    "--format", "json")
            self.assertEqual(0, p.returncode, p.stderr)
            q = run("plan", "--rules-dir", self.rules_dir, "--product", "sfbse", "--site", "HQ=" + users,
                    "--format", "json")
            mine = [c["items"] for c in json.loads(p.stdout)["caveats"]]
            parent = [c["items"] for c in json.loads(q.stdout)["caveats"]]
            self.assertEqual([items[:-1] + ["Child is a test product."] for items in parent], mine)

    def test_a_word_in_named_groups_only(self):
        # sfb2015 labels lync2013's Office Web Apps endpoint by the 2015 role's
        # name (a [word] with in =) instead of copying the group
        p = self.rules("sfb2015")
        self.assertEqual(0, p.returncode, p.stderr)
        line = [l for l in p.stdout.splitlines() if l.split()[:1] == ["office-web-apps"] and "internal CA" in l][0]
        self.assertIn("Office Online Server farm", line)
        self.assertIn("(inherited)", line)
        q = self.rules("lync2013")
        self.assertIn("Office Web Apps farm, per site, internal CA", q.stdout)
        # elsewhere the phrase stays (a failure row's step says it)
        r = run("plan", "--rules-dir", self.rules_dir, "--product", "sfb2015", "--site", "HQ=30000")
        self.assertIn("Office Web Apps farm", r.stdout)
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfb2015\n\n"
                            "[word farm]\nfrom = farm\nto = estate\nin = endpoint office-web-apps, endpoint no-such\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        self.assertEqual("lyncplan: %s/child.rules:10: [word farm] in: 'endpoint no-such' names no group of the rule set\n"
                         % self.rules_dir, p.stderr)

    def test_remove_without_extends(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nremove = role edge\n"
                            "templates = ../templates/standard-single.tmpl\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        self.assertIn("child.rules:5: [rule-set] remove: only a rule set that extends another removes groups", p.stderr)

    def test_a_cycle(self):
        self.write("a", "[rule-set]\nid = a\nproduct = A\nversion = 1\nextends = b\n")
        self.write("b", "[rule-set]\nid = b\nproduct = B\nversion = 1\nextends = a\n")
        p = self.rules("a")
        self.assertEqual(2, p.returncode)
        self.assertIn("[rule-set] extends: rule sets extend one another more than 8 deep (a cycle?)", p.stderr)

    def test_a_mistake_names_its_own_file_and_line(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfb2015\n\n"
                            "[constant pool-failover-rpo]\nvalue = 5m\nsource = NO-SUCH-SOURCE\nrange = 0m..7d\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        self.assertIn("%s/child.rules:9: [constant pool-failover-rpo] source: unknown source 'NO-SUCH-SOURCE'" % self.rules_dir,
                      p.stderr)
        # a mistake in an inherited file names that file
        with open(os.path.join(self.rules_dir, "sfb2015.rules"), "a") as f:
            f.write("\n[constant broken]\nvalue = 1\nsource = assumption: a test\n")
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfb2015\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        self.assertIn("%s/sfb2015.rules:" % self.rules_dir, p.stderr)
        self.assertIn("[constant broken] range: missing key", p.stderr)

    def test_an_inherited_row_naming_a_design_the_child_drops(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = sfb2015\n"
                            "templates = ../templates/standard-single.tmpl, ../templates/standard-paired.tmpl, ../templates/enterprise-pool-ag.tmpl\n")
        p = self.rules("child")
        self.assertEqual(2, p.returncode)
        # the mirroring rows are written once, in lync2013.rules, which sfb2015 extends
        self.assertRegex(p.stderr, r"^lyncplan: %s/lync2013\.rules:\d+: \[failure back-end\] templates: no template "
                         r"'enterprise-pool' in the rule set\n$" % self.rules_dir)

    def test_a_template_line_of_a_removed_role_builds_nothing_and_others_stay_errors(self):
        self.write("child", "[rule-set]\nid = child\nproduct = Child\nversion = 1\nextends = lync2013\n"
                            "remove = role director\n")
        p = self.rules("child")
        self.assertEqual(0, p.returncode, p.stderr)
        q = run("plan", "--rules-dir", self.rules_dir, "--product", "child", "--site", "HQ=30000", "--set",
                "deploy-directors=true", "--format", "json")
        self.assertEqual(0, role_count(json.loads(q.stdout), "director"))


if __name__ == "__main__":
    lptest.main()
