#!/usr/bin/python3
"""Issue 12's services as rule-file data: Enterprise Voice's Mediation servers
(collocated up to Microsoft's per-server call figure, a standalone N+1 pool
above it or when a site asks), the Monitoring and Archiving stores and their
storage a year (Microsoft's per-user per-day figures), the stores on SQL
servers of their own (separate-stores), in the text, JSON and workbook, and
listed by `lyncplan rules` with their sources."""
import math
import json
import os
import unittest

import lptest

openpyxl = lptest.need("openpyxl")

ROOT = lptest.ROOT

# L13-CAP, SFB-CAP, SFB19-CAP: disk space a user a day, in KB
CDR_KB, QOE_KB, ARCHIVING_KB = 49, 28, 57
KB_PER_GB = 1024 * 1024
DAYS = 365.25


def gb_a_year(users, kb):
    return round(users * kb * DAYS / KB_PER_GB, 1)


def run(*args):
    return lptest.run(*args, text=True)


def load_pools(book):
    """(pool, site, servers) of the workbook's Pools and Pairing sheet."""
    ws = openpyxl.load_workbook(book)["Pools and Pairing"]
    return [(r[0], r[1], r[3]) for r in ws.iter_rows(min_row=2, values_only=True)]


def plan_json(*args):
    p = run("plan", "--format", "json", *args)
    if p.returncode not in (0, 3):
        raise AssertionError(f"{args}: exit {p.returncode}: {p.stderr}")
    return json.loads(p.stdout)


def roles(doc, site):
    s = [s for s in doc["sites"] if s["name"] == site][0]
    return {r["role"]: r["count"] for r in s["roles"]}


def notes(doc, site):
    return [s for s in doc["sites"] if s["name"] == site][0]["notes"]


class Stores(unittest.TestCase):
    def test_storage_a_year_against_a_hand_computation(self):
        doc = plan_json("--site", "HQ=20000", "--monitoring", "--archiving")
        self.assertEqual(doc["storage"], [
            {"store": "monitoring", "site": "HQ", "gb_per_year": gb_a_year(20000, CDR_KB + QOE_KB)},
            {"store": "archiving", "site": "HQ", "gb_per_year": gb_a_year(20000, ARCHIVING_KB)},
        ])
        # 20,000 users x 77 KB x 365.25 days / 1,048,576 KB a GB
        self.assertEqual(doc["storage"][0]["gb_per_year"], 536.4)
        self.assertEqual(doc["storage"][1]["gb_per_year"], 397.1)

    def test_no_store_no_storage(self):
        doc = plan_json("--site", "HQ=20000")
        self.assertEqual(doc["storage"], [])
        self.assertNotIn("monitoring-sql", roles(doc, "HQ"))
        only = plan_json("--site", "HQ=20000", "--archiving")
        self.assertEqual([s["store"] for s in only["storage"]], ["archiving"])

    def test_each_site_with_users_has_its_own_figure(self):
        doc = plan_json("--site", "NYC=12000", "--site", "LON=3000", "--dr-rto", "4h", "--monitoring")
        self.assertEqual(doc["storage"], [
            {"store": "monitoring", "site": "NYC", "gb_per_year": gb_a_year(12000, CDR_KB + QOE_KB)},
            {"store": "monitoring", "site": "LON", "gb_per_year": gb_a_year(3000, CDR_KB + QOE_KB)},
        ])

    def test_enterprise_stores_are_back_end_instances_by_default(self):
        doc = plan_json("--site", "HQ=20000", "--monitoring", "--archiving", "--persistent-chat")
        r = roles(doc, "HQ")
        self.assertNotIn("monitoring-sql", r)
        self.assertNotIn("archiving-sql", r)
        self.assertNotIn("pchat-sql", r)
        text = " ".join(notes(doc, "HQ"))
        self.assertIn("Monitoring store (call detail and quality of experience records): a SQL "
                      "instance of its own on this site's Back End SQL servers", text)
        self.assertIn("Archiving store: a SQL instance of its own on this site's Back End SQL", text)

    def test_separate_stores_adds_the_sql_servers(self):
        base = plan_json("--site", "HQ=20000", "--monitoring", "--archiving", "--persistent-chat")
        sep = plan_json("--site", "HQ=20000", "--monitoring", "--archiving", "--persistent-chat",
                        "--separate-stores")
        r = roles(sep, "HQ")
        self.assertEqual(r["monitoring-sql"], 1)
        self.assertEqual(r["archiving-sql"], 1)
        # the Persistent Chat store's principal, mirror and witness (L13-PC-RES)
        self.assertEqual(r["pchat-sql"], 3)
        self.assertEqual(sep["totals"]["servers"], base["totals"]["servers"] + 5)
        self.assertEqual(sep["storage"], base["storage"])
        text = " ".join(notes(sep, "HQ"))
        self.assertIn("on Monitoring SQL servers of its own (1 here; separate-stores", text)
        self.assertIn("on Archiving SQL servers of its own (1 here; separate-stores", text)

    def test_standard_edition_keeps_its_stores_off_the_server(self):
        doc = plan_json("--site", "HQ=3000", "--monitoring", "--archiving")
        self.assertEqual(doc["design"], "standard-paired")
        r = roles(doc, "HQ")
        self.assertEqual(r["monitoring-sql"], 1)
        self.assertNotIn("archiving-sql", r)
        self.assertIn("Archiving store: a SQL instance of its own on the Monitoring SQL server",
                      " ".join(notes(doc, "HQ")))
        sep = roles(plan_json("--site", "HQ=3000", "--monitoring", "--archiving", "--separate-stores"), "HQ")
        self.assertEqual((sep["monitoring-sql"], sep["archiving-sql"]), (1, 1))
        alone = roles(plan_json("--site", "HQ=3000", "--archiving"), "HQ")
        self.assertEqual(alone.get("archiving-sql"), 1)
        self.assertNotIn("monitoring-sql", alone)

    def test_a_plan_with_storage_is_valid_against_the_schema(self):
        jsonschema = lptest.need("jsonschema")
        with open(os.path.join(ROOT, "schema", "plan.schema.json")) as f:
            schema = json.load(f)
        doc = plan_json(os.path.join(ROOT, "examples", "voice-stores.ini"))
        self.assertEqual(len(doc["storage"]), 4)
        self.assertEqual([], [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)])

    def test_every_product_has_the_stores(self):
        for product in ("lync2013", "sfb2015", "sfb2019", "sfbse"):
            with self.subTest(product=product):
                doc = plan_json("--product", product, "--site", "HQ=20000", "--monitoring",
                                "--archiving", "--separate-stores")
                r = roles(doc, "HQ")
                self.assertEqual((r["monitoring-sql"], r["archiving-sql"]), (1, 1))
                self.assertEqual([s["gb_per_year"] for s in doc["storage"]], [536.4, 397.1])

    def test_text_and_workbook_show_roles_and_storage(self):
        with lptest.tmpdir() as d:
            book, txt = os.path.join(d, "p.xlsx"), os.path.join(d, "p.txt")
            p = run("plan", "--site", "HQ=20000", "--monitoring", "--archiving", "--separate-stores",
                    "--xlsx", book, "-o", txt)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(txt) as f:
                text = f.read()
            # the report wraps at 100 columns: compare with its whitespace folded
            folded = " ".join(text.split())
            self.assertIn("Storage: 536.4 GB a year, Monitoring store (call detail and quality of "
                          "experience records) ", folded)
            self.assertIn("Storage: 397.1 GB a year, Archiving store (instant messages and "
                          "conference content) ", folded)
            self.assertRegex(text, r"\n +1 +Monitoring SQL server ")
            self.assertRegex(text, r"\n +1 +Archiving SQL server ")
            ws = openpyxl.load_workbook(book, data_only=True)["Bill of Materials"]
            rows = [[c.value for c in r] for r in ws.iter_rows(max_col=4)]
            self.assertIn(["HQ", "Monitoring SQL server", "server", 1], rows)
            self.assertIn(["HQ", "Archiving SQL server", "server", 1], rows)
            # a storage row is a note across the columns (a long one wraps)
            notes = [(r[0], r[1].replace("\n", " ")) for r in rows if r[0] and r[0].startswith("Storage")]
            self.assertIn(("Storage, site HQ", "Monitoring store (call detail and quality of "
                           "experience records): 536.4 GB a year"), notes)
            self.assertIn(("Storage, site HQ", "Archiving store (instant messages and conference "
                           "content): 397.1 GB a year"), notes)
            # the storage rows are text: the servers' total stays a count of servers
            total = [r for r in rows if r[0] == "Total" and r[2] == "servers"][0]
            doc = plan_json("--site", "HQ=20000", "--monitoring", "--archiving", "--separate-stores")
            t = doc["totals"]
            self.assertEqual(total[3], t["servers"])

    def test_a_sweep_varies_them_and_counts_the_servers(self):
        p = run("sweep", "--site", "HQ=20000", "--monitoring", "--vary", "separate-stores=false,true")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        col = lines[0].split(",").index("monitoring-sql")
        self.assertEqual([l.split(",")[col] for l in lines[1:]], ["0", "1"])

    def test_rules_lists_the_new_keys_with_sources(self):
        p = run("rules")
        self.assertEqual(p.returncode, 0, p.stderr)
        out = p.stdout
        values = out[:out.index("\nDerived values")]
        for key in ("monitoring-cdr-kb", "monitoring-qoe-kb", "archiving-kb", "kb-per-gb",
                    "monitoring-sql-servers", "archiving-sql-servers", "monitoring", "archiving",
                    "separate-stores"):
            with self.subTest(key=key):
                line = [l for l in values.splitlines() if l.split()[:1] == [key]]
                self.assertEqual(len(line), 1, key)
        storage = out[out.index("Storage a year"):out.index("\nSources:")]
        self.assertIn("monitoring", storage)
        self.assertIn("L13-CAP, SFB-CAP", storage)
        self.assertRegex(out, r"\n  monitoring-sql +server +Monitoring SQL server; L13-CAP")
        self.assertRegex(out, r"\n  archiving-sql +server +Archiving SQL server; L13-CAP")
        self.assertIn("\n  L13-COLLOC ", out)


# Mediation: (collocated calls a Front End server, standalone calls a server)
# with hyper-threading disabled, the figure the rule sets use (L13-CAP, SFB-CAP, SFB19-CAP)
MEDIATION = {"lync2013": (150, 1100), "sfb2015": (150, 1100), "sfb2019": (200, 1500),
             "sfbse": (200, 1500)}


def scenario(d, text):
    path = os.path.join(d, "s.ini")
    with open(path, "w") as f:
        f.write(text)
    return path


class Voice(unittest.TestCase):
    def plan(self, *args):
        return plan_json(*args)

    def test_2000_calls_get_a_mediation_pool_n_plus_1(self):
        # 20,000 users: four Front End servers (N+1), 600 calls collocated
        doc = self.plan("--site", "HQ=20000,pstn-calls=2000", "--voice")
        r = roles(doc, "HQ")
        self.assertEqual(r["front-end"], 4)
        per_fe, standalone = MEDIATION["lync2013"]
        self.assertGreater(2000, r["front-end"] * per_fe)
        self.assertEqual(r["mediation"], math.ceil(2000 / standalone) + 1)
        self.assertEqual(r["mediation"], 3)
        text = " ".join(notes(doc, "HQ"))
        # collocated Mediation has no spare (issue 23): three servers carry 450 after a loss
        self.assertIn("a standalone Mediation pool of 3 servers: 2,000 concurrent PSTN calls at peak "
                      "here, and 0 of the partner's after a site failover, are more than the 4 Front "
                      "End servers carry collocated after the loss of one (450; collocated Mediation "
                      "has no spare)", text)
        self.assertIn("the PSTN gateways, IP-PBX or SIP trunk's Session Border Controller are the "
                      "customer's", text)

    def test_under_the_figure_mediation_stays_collocated(self):
        # collocated Mediation has no spare: the peak is carried after one server is lost
        doc = self.plan("--site", "HQ=20000,pstn-calls=450", "--voice")
        self.assertNotIn("mediation", roles(doc, "HQ"))
        self.assertIn("Mediation collocated on the 4 Front End servers: up to 600 concurrent PSTN "
                      "calls, 150 a server, for 450 at peak here; 450 after the loss of one server",
                      " ".join(notes(doc, "HQ")))
        over = self.plan("--site", "HQ=20000,pstn-calls=451", "--voice")
        self.assertEqual(roles(over, "HQ")["mediation"], 2)  # ceil(451 / 1,100) + 1

    def test_standard_edition_servers_carry_calls_too(self):
        # two servers: the survivor of a loss carries 150 calls
        doc = self.plan("--site", "HQ=3000,pstn-calls=150", "--voice")
        self.assertEqual(doc["design"], "standard-paired")
        self.assertNotIn("mediation", roles(doc, "HQ"))
        self.assertEqual(roles(self.plan("--site", "HQ=3000,pstn-calls=151", "--voice"), "HQ")["mediation"], 2)

    def test_standalone_forced_whatever_the_calls(self):
        doc = self.plan("--site", "HQ=20000,pstn-calls=100,mediation=standalone", "--voice")
        self.assertEqual(roles(doc, "HQ")["mediation"], 2)  # mediation-servers-min
        self.assertIn("a standalone Mediation pool of 2 servers, as the site asks (mediation = "
                      "standalone", " ".join(notes(doc, "HQ")))

    def test_without_voice_nothing(self):
        doc = self.plan("--site", "HQ=20000,pstn-calls=5000,mediation=standalone")
        self.assertNotIn("mediation", roles(doc, "HQ"))
        self.assertFalse([n for n in notes(doc, "HQ") if "Mediation" in n or "PSTN" in n])

    def test_per_site_in_a_scenario_file(self):
        with lptest.tmpdir() as d:
            path = scenario(d, "[scenario]\nvoice = true\ndr-rto = 4h\n"
                               "[site A]\nusers = 20000\npstn-calls = 400\n"
                               "[site B]\nusers = 20000\npstn-calls = 400\nmediation = standalone\n")
            doc = self.plan(path)
        self.assertNotIn("mediation", roles(doc, "A"))
        self.assertEqual(roles(doc, "B")["mediation"], 2)

    def test_sfb2019_uses_its_figures(self):
        for product in ("sfb2019", "sfbse"):
            with self.subTest(product=product):
                per_fe, standalone = MEDIATION[product]
                doc = self.plan("--product", product, "--site", "HQ=20000,pstn-calls=2000", "--voice")
                r = roles(doc, "HQ")
                # five Front End servers at 6,625 users each carry 1,000 calls collocated, 800 after a loss
                self.assertEqual(r["front-end"], 5)
                self.assertEqual(r["mediation"], math.ceil(2000 / standalone) + 1)
                self.assertEqual(r["mediation"], 3)
                self.assertIn("{:,} a server".format(standalone), " ".join(notes(doc, "HQ")))
                # four of the five carry 800 after a loss
                under = self.plan("--product", product, "--site", "HQ=20000,pstn-calls=800", "--voice")
                self.assertNotIn("mediation", roles(under, "HQ"))
        # the same 1,000 calls need a pool under 2015's 150 a Front End server (4 x 150 = 600)
        self.assertEqual(roles(self.plan("--product", "sfb2015", "--site", "HQ=20000,pstn-calls=1000",
                                         "--voice"), "HQ")["mediation"], 2)

    def test_text_and_workbook_show_the_mediation_pool(self):
        with lptest.tmpdir() as d:
            book, txt = os.path.join(d, "p.xlsx"), os.path.join(d, "p.txt")
            p = run("plan", "--site", "HQ=20000,pstn-calls=2000", "--voice", "--xlsx", book, "-o", txt)
            self.assertEqual(p.returncode, 0, p.stderr)
            with open(txt) as f:
                self.assertRegex(f.read(), r"\n +3 +Mediation Server ")
            ws = openpyxl.load_workbook(book, data_only=True)["Bill of Materials"]
            self.assertIn(["HQ", "Mediation Server", "server", 3], [[c.value for c in r] for r in ws.iter_rows(max_col=4)])
            pools = load_pools(book)
            self.assertIn(("medpool-hq", "HQ", 3), pools)

    def test_a_sweep_of_calls(self):
        p = run("sweep", "--site", "HQ=20000", "--voice", "--vary", "pstn-calls@HQ=0..3000/1000")
        self.assertEqual(p.returncode, 0, p.stderr)
        lines = p.stdout.splitlines()
        col = lines[0].split(",").index("mediation")
        self.assertEqual([l.split(",")[col] for l in lines[1:]], ["0", "2", "3", "4"])

    def test_the_firewall_plan_opens_the_mediation_pool(self):
        doc = self.plan("--site", "HQ=20000,pstn-calls=2000", "--voice")
        rows = {f["id"]: f for f in doc["firewall"] if f["id"].startswith("med-")}
        self.assertEqual(sorted(rows), ["med-from-front-end", "med-from-gateway", "med-media",
                                        "med-to-gateway"])
        self.assertEqual((rows["med-from-front-end"]["port"], rows["med-from-front-end"]["protocol"]),
                         ("5070", "TCP"))
        self.assertEqual(rows["med-from-gateway"]["port"], "5067")
        self.assertEqual(rows["med-media"]["port"], "49152-57500")
        pools = {p["id"]: p for p in doc["topology"]["pools"]}
        self.assertIn("med03-hq", pools[rows["med-from-gateway"]["to_id"]]["members"])
        collocated = self.plan("--site", "HQ=20000,pstn-calls=100", "--voice")
        self.assertFalse([f for f in collocated["firewall"] if f["id"].startswith("med-")])
        self.assertFalse([c for c in collocated["certificates"] if c["id"] == "mediation"])

    def test_the_certificate_plan_names_the_mediation_pool(self):
        doc = self.plan("--site", "HQ=20000,pstn-calls=2000", "--voice")
        cert = [c for c in doc["certificates"] if c["id"] == "mediation"]
        self.assertEqual(len(cert), 1)
        self.assertEqual(cert[0]["subject"], "medpool-hq.example.com")
        self.assertEqual(cert[0]["subject_alternative_names"],
                         ["medpool-hq.example.com", "med01-hq.example.com", "med02-hq.example.com",
                          "med03-hq.example.com"])
        self.assertEqual(cert[0]["issuer"], "internal")

    def test_rules_lists_the_voice_keys_with_sources(self):
        out = run("rules").stdout
        values = out[:out.index("\nDerived values")]
        for key, source in (("voice", "assumption"), ("pstn-calls", "assumption"),
                            ("mediation", "SFB-MED"), ("mediation-calls-collocated", "L13-CAP"),
                            ("mediation-calls-standalone", "L13-CAP"),
                            ("mediation-spare", "assumption"), ("mediation-servers-min", "assumption")):
            with self.subTest(key=key):
                line = [l for l in values.splitlines() if l.split()[:1] == [key]]
                self.assertEqual(len(line), 1, key)
                self.assertIn(source, line[0])
        self.assertRegex(out, r"\n  mediation +server +Mediation Server; L13-HW, L13-CAP")
        out19 = run("rules", "--product", "sfb2019").stdout
        line = [l for l in out19.splitlines() if l.split()[:1] == ["mediation-calls-collocated"]][0]
        self.assertIn("200", line)
        self.assertIn("SFB19-CAP", line)
        self.assertNotIn("inherited", line)


if __name__ == "__main__":
    lptest.main()
