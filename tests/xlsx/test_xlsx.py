#!/usr/bin/python3
"""The workbook deliverable, checked by reading it back as its users do.

openpyxl (Debian's python3-openpyxl: run with /usr/bin/python3) reads every
seed workbook back and LibreOffice headless converts every sheet to CSV; both
must show the bill of materials and totals of the JSON plan. Also: identical
bytes on a second run and under a comma-decimal locale, formula-injection
names stored as text, a read-only target folder, and the CSV writer.

Environment (set by meson): LYNCPLAN, the binary; LP_SOURCE_ROOT, the tree.
"""
import configparser
import csv
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import zipfile

import openpyxl

LYNCPLAN = os.environ["LYNCPLAN"]
ROOT = os.environ["LP_SOURCE_ROOT"]
PRICES = os.path.join(ROOT, "examples", "prices-example.prices")
# the planning model's section 6, plus one priced two-region plan
SEEDS = ["standard-paired", "enterprise-pool", "dr-enterprise", "dr-enterprise-pchat",
         "dr-standard"]
PRICED = "two-regions"
SHEETS = ["Summary", "Bill of Materials", "Servers", "Pools and Pairing", "Alternatives",
          "Assumptions", "Rule trace", "Resilience", "SLA budget", "DNS plan", "Certificates",
          "Firewall"]
HEADERS = {
    "Bill of Materials": ["Site", "Role", "Quantity", "Reference hardware"],
    "Servers": ["Name", "Site", "Pool", "Role", "Reference hardware", "Pairing partner"],
    "Pools and Pairing": ["Pool", "Site", "Edition", "Servers", "Users homed",
                          "Capacity (users)", "Backup pool", "Pairing"],
    "Alternatives": ["Sites", "Design", "Edition", "Status", "Servers", "Appliances", "Cost",
                     "Meets every requirement", "Misses"],
    "Assumptions": ["Name", "Kind", "Value used", "Rule file value", "Unit", "Source",
                    "Overridden", "Reference"],
    "Rule trace": ["Step", "Rule fired"],
    "Resilience": ["Site", "Failure", "Scope", "Recovery", "Back in", "Data lost",
                   "Target RTO / RPO", "Result", "What users notice", "Steps"],
    "SLA budget": ["Period", "Allowed downtime", "Minutes"],
    "DNS plan": ["Name", "Type", "Target", "Port", "Priority", "Weight", "Note"],
    "Certificates": ["Site", "Certificate", "Subject name", "Subject alternative names", "Issuer",
                     "Note", "Source"],
    "Firewall": ["Site", "From", "To", "Port", "Protocol", "Purpose", "Source"],
}


def run(*args, env=None, check=True):
    full = dict(os.environ, **(env or {}))
    p = subprocess.run([LYNCPLAN, *args], capture_output=True, text=True, env=full, cwd=ROOT)
    if check and p.returncode not in (0, 3):
        raise AssertionError(f"lyncplan {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p


def rule_sources():
    """[sources] of the rule file: key -> the document's title and address."""
    rules = configparser.ConfigParser(interpolation=None, strict=True)
    rules.optionxform = str
    rules.read(os.path.join(ROOT, "rules", "lync2013.rules"))
    return dict(rules["sources"])


SOURCES = rule_sources()


def table_rows(ws):
    """The rows of a sheet's table: from the one below its header to the first empty one."""
    rows = []
    for r in ws.iter_rows(min_row=2, values_only=True):
        if not any(r):
            break
        rows.append(r)
    return rows


def role_names():
    """Role display name -> role id, from the rule file."""
    rules = configparser.ConfigParser(interpolation=None, strict=True)
    rules.read(os.path.join(ROOT, "rules", "lync2013.rules"))
    return {rules[g]["name"]: g.split(" ", 1)[1] for g in rules.sections() if g.startswith("role ")}


def bom_from_rows(rows, names):
    """{site: {role_id: count}}, subtotals {site: n} and the total from BoM rows."""
    items, subtotals, total = {}, {}, None
    for row in rows[1:]:
        site, role, qty = row[0], row[1], row[2]
        if site == "Total":
            total = float(qty)
        elif site.startswith("Note, site "):
            continue
        elif site.startswith("Subtotal, site "):
            subtotals[site[len("Subtotal, site "):]] = float(qty)
        elif site:
            items.setdefault(site, {})[names[role]] = int(float(qty))
    return items, subtotals, total


class Workbooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="lyncplan-xlsx-")
        cls.names = role_names()
        cls.plans = {}
        for name in SEEDS + [PRICED]:
            extra = ["--prices", PRICES] if name == PRICED else []
            xlsx = os.path.join(cls.tmp, name + ".xlsx")
            out = run("plan", f"examples/{name}.ini", "--format", "json", "--xlsx", xlsx,
                      "--date", "2026-11-23", *extra).stdout
            cls.plans[name] = json.loads(out)
        lo = os.path.join(cls.tmp, "lo")
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{cls.tmp}/profile",
                        "--convert-to",
                        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                        "--outdir", lo] + [os.path.join(cls.tmp, n + ".xlsx") for n in cls.plans],
                       check=True, capture_output=True, timeout=240)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def workbook(self, name, data_only=True):
        return openpyxl.load_workbook(os.path.join(self.tmp, name + ".xlsx"), data_only=data_only)

    def expected(self, name):
        plan = self.plans[name]
        items = {s["name"]: {r["role"]: r["count"] for r in s["roles"]} for s in plan["sites"] if s["roles"]}
        subtotals = {s["name"]: s["servers"] + s["appliances"] + s["reverse_proxies"] for s in plan["sites"] if s["roles"]}
        return items, subtotals, (plan["totals"]["servers"] + plan["totals"]["appliances"]
                                  + plan["totals"]["reverse_proxies"])

    def test_sheets_and_headers(self):
        for name in self.plans:
            wb = self.workbook(name)
            self.assertEqual(wb.sheetnames, SHEETS, name)
            for sheet, header in HEADERS.items():
                row = [c.value for c in wb[sheet][1]][: len(header)]
                self.assertEqual(row, header, f"{name}: {sheet}")
                self.assertEqual(wb[sheet].freeze_panes, "A2", f"{name}: {sheet}")
                self.assertIsNotNone(wb[sheet].auto_filter.ref, f"{name}: {sheet}")

    def test_bom_matches_json_in_openpyxl(self):
        for name in self.plans:
            rows = list(self.workbook(name)["Bill of Materials"].iter_rows(values_only=True))
            self.assertEqual(bom_from_rows(rows, self.names), self.expected(name), name)

    def test_bom_matches_json_in_libreoffice(self):
        for name in self.plans:
            path = os.path.join(self.tmp, "lo", f"{name}-Bill of Materials.csv")
            with open(path, newline="", encoding="utf-8") as f:
                rows = list(csv.reader(f))
            self.assertEqual(bom_from_rows(rows, self.names), self.expected(name), name)

    def test_every_sheet_converts_in_libreoffice(self):
        for name in self.plans:
            for sheet in SHEETS:
                path = os.path.join(self.tmp, "lo", f"{name}-{sheet}.csv")
                self.assertGreater(os.path.getsize(path), 0, path)

    def test_totals_are_formulas_with_cached_values(self):
        formulas = self.workbook(PRICED, data_only=False)["Bill of Materials"]
        values = self.workbook(PRICED)["Bill of Materials"]
        plan = self.plans[PRICED]
        last = values.max_row
        self.assertEqual(values.cell(last, 1).value, "Total")
        self.assertTrue(formulas.cell(last, 3).value.startswith("=SUBTOTAL(9,"))
        self.assertTrue(formulas.cell(last, 7).value.startswith("=SUBTOTAL(9,"))
        self.assertEqual(values.cell(last, 3).value,
                         plan["totals"]["servers"] + plan["totals"]["appliances"]
                         + plan["totals"]["reverse_proxies"])
        self.assertAlmostEqual(values.cell(last, 7).value, plan["totals"]["cost"], places=2)
        self.assertEqual(values.cell(1, 7).value, "Extended price")

    def test_priced_totals_in_libreoffice(self):
        path = os.path.join(self.tmp, "lo", f"{PRICED}-Bill of Materials.csv")
        with open(path, newline="", encoding="utf-8") as f:
            total = [r for r in csv.reader(f) if r and r[0] == "Total"][0]
        self.assertAlmostEqual(float(total[6]), self.plans[PRICED]["totals"]["cost"], places=2)

    def test_document_properties(self):
        wb = self.workbook("dr-enterprise")
        self.assertEqual(wb.properties.title, "Lync Server 2013 plan: Contoso, high availability and DR")
        self.assertEqual(wb.properties.subject, "High availability and disaster recovery design")
        self.assertEqual(wb.properties.created.isoformat(), "2026-11-23T00:00:00")
        with zipfile.ZipFile(os.path.join(self.tmp, "dr-enterprise.xlsx")) as z:
            custom = z.read("docProps/custom.xml").decode()
        for prop in ("lyncplan version", "Rule set", "Rule set version", "Scenario SHA-256"):
            self.assertIn(f'name="{prop}"', custom)
        self.assertIn("lync2013", custom)

    def test_servers_and_pools(self):
        wb = self.workbook("dr-standard")
        servers = [r for r in wb["Servers"].iter_rows(min_row=2, values_only=True)]
        names = [r[0] for r in servers]
        totals = self.plans["dr-standard"]["totals"]
        self.assertEqual(len(names), totals["servers"] + totals["appliances"] + totals["reverse_proxies"])
        self.assertEqual(len(set(names)), len(names))
        self.assertTrue(all(len(n) <= 15 for n in names))
        pairs = {r[0]: r[5] for r in servers if r[5]}
        self.assertEqual(pairs["se01-boston"], "se01-boston-dr")
        self.assertEqual(pairs["se01-boston-dr"], "se01-boston")
        pools = list(wb["Pools and Pairing"].iter_rows(min_row=2, values_only=True))
        self.assertEqual({p[7] for p in pools}, {"cross-site pair"})

    def test_resilience_sheets_match_json(self):
        for name in self.plans:
            wb = self.workbook(name)
            rows = [r for r in wb["Resilience"].iter_rows(min_row=2, values_only=True) if r[0] and r[0] not in ("Quorum", "Data")]
            json_rows = [(s["site"], f["label"], "automatic" if f["automatic"] else "manual")
                         for s in self.plans[name]["resilience"] for f in s["failures"]]
            self.assertEqual([(r[0], r[1], r[3]) for r in rows], json_rows, name)
            budget = {r[0]: r[2] for r in wb["SLA budget"].iter_rows(min_row=2, values_only=True) if r[0]}
            self.assertAlmostEqual(budget["year"], self.plans[name]["sla_budget"]["allowed_downtime"]["year_minutes"], places=4)
            dns = [r[0] for r in wb["DNS plan"].iter_rows(min_row=2, values_only=True) if r[1]]
            self.assertEqual(dns, [r["name"] for r in self.plans[name]["dns"]["records"]], name)

    def test_certificate_and_firewall_sheets_match_json(self):
        for name in self.plans:
            wb = self.workbook(name)
            certs = [(r[0], r[2], r[3], r[4]) for r in
                     table_rows(wb["Certificates"])]
            self.assertEqual(certs, [(c["site"], c["subject"],
                                      "\n".join(c["subject_alternative_names"]) or "none",
                                      c["issuer"] + " CA")
                                     for c in self.plans[name]["certificates"]], name)
            rules = [r[:6] for r in table_rows(wb["Firewall"])]
            self.assertEqual(rules, [(f["site"], f["from"], f["to"], f["port"], f["protocol"],
                                      f["purpose"]) for f in self.plans[name]["firewall"]], name)
            names = wb["Certificates"].column_dimensions["D"]
            self.assertGreaterEqual(names.width, max(
                len(n) for c in self.plans[name]["certificates"]
                for n in c["subject_alternative_names"]), name)
            self.assertTrue(wb["Certificates"]["D2"].alignment.wrap_text, name)
            # below each table, the title of every source its rows name
            for sheet, rows in (("Certificates", self.plans[name]["certificates"]),
                                ("Firewall", self.plans[name]["firewall"])):
                legend = list(wb[sheet].iter_rows(min_row=len(rows) + 3, values_only=True))
                self.assertEqual(legend[0][0], "Sources", f"{name}: {sheet}")
                keys = {r[0] for r in legend[1:]}
                for row in rows:
                    for key in row["source"].split(":")[0].split(","):
                        if not key.strip().startswith("assumption"):
                            self.assertIn(key.strip(), keys, f"{name}: {sheet}")
                self.assertEqual({r[0]: r[1] for r in legend[1:]},
                                 {k: SOURCES[k] for k in keys}, f"{name}: {sheet}")

    def test_summary_marks_results(self):
        ws = self.workbook("dr-enterprise")["Summary"]
        cells = [c for row in ws.iter_rows() for c in row if c.value in ("pass",)]
        self.assertGreater(len(cells), 0)
        self.assertGreater(len(ws.conditional_formatting), 0)


class Properties(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="lyncplan-xlsx-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def xlsx(self, name, *args, env=None):
        path = os.path.join(self.tmp, name)
        run("plan", "examples/two-regions.ini", "--prices", PRICES, "--xlsx", path, "-o",
            os.path.join(self.tmp, name + ".txt"), *args, env=env)
        with open(path, "rb") as f:
            return f.read()

    def test_deterministic(self):
        a = self.xlsx("a.xlsx", env={"SOURCE_DATE_EPOCH": "1700000000"})
        b = self.xlsx("b.xlsx", env={"SOURCE_DATE_EPOCH": "1700000000"})
        self.assertEqual(a, b)
        c = self.xlsx("c.xlsx")
        d = self.xlsx("d.xlsx")
        self.assertEqual(c, d)

    def test_comma_decimal_locale(self):
        locale_env = {"LC_ALL": "de_DE.UTF-8", "LANG": "de_DE.UTF-8"}
        if "de_DE.utf8" not in subprocess.run(["locale", "-a"], capture_output=True, text=True).stdout:
            subprocess.run(["localedef", "-i", "de_DE", "-f", "UTF-8", "de_DE.UTF-8"], check=True)
        german = self.xlsx("de.xlsx", env=locale_env)
        plain = self.xlsx("c.xlsx", env={"LC_ALL": "C"})
        self.assertEqual(german, plain)
        ws = openpyxl.load_workbook(os.path.join(self.tmp, "de.xlsx"))["Bill of Materials"]
        licences = [r[5] for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "Back End SQL server"]
        self.assertEqual(licences[0], 7000.5)

    def test_formula_injection_names_stay_text(self):
        scenario = os.path.join(self.tmp, "hostile.ini")
        with open(scenario, "w") as f:
            f.write('[scenario]\nname = =HYPERLINK("http://example.invalid","x")\n'
                    '[site @SUM(1+1)]\nusers = 5000\n')
        xlsx = os.path.join(self.tmp, "hostile.xlsx")
        run("plan", scenario, "--xlsx", xlsx, "--naming", "{role}{nn}")
        wb = openpyxl.load_workbook(xlsx)
        found = [c for ws in wb for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and ("HYPERLINK" in c.value or "@SUM" in c.value)]
        self.assertGreater(len(found), 1)
        for c in found:
            self.assertEqual(c.data_type, "s", f"{c.parent.title}!{c.coordinate}")
        self.assertNotIn("@SUM", " ".join(wb.sheetnames))
        out = run("plan", scenario, "--format", "csv").stdout.splitlines()
        self.assertTrue(out[1].startswith('"\'@SUM(1+1)"'), out[1])

    def test_read_only_folder(self):
        locked = os.path.join(self.tmp, "locked")
        os.mkdir(locked)
        os.chmod(locked, 0o555)
        cmd = [LYNCPLAN, "plan", "--site", "HQ=5000", "--xlsx", os.path.join(locked, "plan.xlsx"),
               "--rules-dir", os.path.join(self.tmp, "rules")]
        shutil.copytree(os.path.join(ROOT, "rules"), os.path.join(self.tmp, "rules"))
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(self.tmp, "templates"))
        if os.geteuid() == 0:
            # root writes anywhere: run as nobody, from a copy nobody can reach
            binary = os.path.join(self.tmp, "lyncplan")
            shutil.copy(LYNCPLAN, binary)
            os.chmod(self.tmp, 0o755)
            cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", binary] + cmd[1:]
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=self.tmp)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertEqual(p.stderr.strip(),
                         f"lyncplan: cannot write {locked}/plan.xlsx: Permission denied")
        self.assertEqual(p.stdout, "")
        self.assertEqual(os.listdir(locked), [])

    def test_failed_workbook_keeps_the_old_file(self):
        path = os.path.join(self.tmp, "plan.xlsx")
        with open(path, "wb") as f:
            f.write(b"previous deliverable")
        p = run("plan", "--site", "HQ=500", "--naming", "{role}{nn}-{site}-production",
                "--xlsx", path, check=False)
        self.assertEqual(p.returncode, 2)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), b"previous deliverable")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["plan.xlsx"])

    def test_warm_standby_names_fit(self):
        # issue 15: 'se01-rotterdam-dr' had 17 characters and only --xlsx failed;
        # the site's part is shortened, the same in the DNS plan and the text
        path = os.path.join(self.tmp, "rotterdam.xlsx")
        p = run("plan", "--site", "Rotterdam=3000", "--dr-rto", "4h", "--xlsx", path)
        ws = openpyxl.load_workbook(path)["Servers"]
        names = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
        self.assertIn("se01-rotter-dr", names)
        self.assertIn("se01-rotterdam", names)
        self.assertTrue(all(len(n) <= 15 for n in names), names)
        self.assertEqual(len(names), len(set(names)))
        self.assertIn("sip-rotter-dr.example.com", p.stdout)
        self.assertIn("names use 'rotter-dr': shortened from rotterdam-dr to fit "
                      "computer-name-max (15 characters)", " ".join(p.stdout.split()))

    def test_more_rows_than_a_sheet_holds(self):
        # 34,000 DR sites without users: a Rule trace sheet past 1,048,576 rows
        # is bad input found before the workbook is written, and nothing is
        scenario = os.path.join(self.tmp, "many.ini")
        with open(scenario, "w") as f:
            f.write("[scenario]\ndr-rto = 4h\n")
            f.write("".join(f"[site S{i}]\nusers = 0\ndr-site = S{i ^ 1}\n" for i in range(34000)))
        xlsx, text = os.path.join(self.tmp, "many.xlsx"), os.path.join(self.tmp, "many.txt")
        p = run("plan", scenario, "--xlsx", xlsx, "-o", text, check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stderr, "lyncplan: --xlsx: the Rule trace sheet would need 3,468,002 rows "
                         "and a worksheet holds 1,048,576: plan fewer sites, or use --format json "
                         "or csv\n")
        self.assertEqual(sorted(os.listdir(self.tmp)), ["many.ini"])

    def test_csv_bill_of_materials(self):
        out = run("plan", "examples/two-regions.ini", "--prices", PRICES, "--format", "csv").stdout
        rows = list(csv.DictReader(out.splitlines()))
        plan = json.loads(run("plan", "examples/two-regions.ini", "--prices", PRICES,
                              "--format", "json").stdout)
        self.assertEqual(sum(int(r["quantity"]) for r in rows),
                         plan["totals"]["servers"] + plan["totals"]["appliances"]
                         + plan["totals"]["reverse_proxies"])
        self.assertAlmostEqual(sum(float(r["extended_price"]) for r in rows), plan["totals"]["cost"])
        self.assertEqual({r["currency"] for r in rows}, {"USD"})


if __name__ == "__main__":
    unittest.main(verbosity=2)
