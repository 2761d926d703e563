#!/usr/bin/python3
"""The workbook deliverable, checked by reading it back as its users do.

openpyxl (Debian's python3-openpyxl: run with /usr/bin/python3) reads every
seed workbook back and LibreOffice headless converts every sheet to CSV; both
must show the bill of materials and totals of the JSON plan. Also: identical
bytes on a second run and under a comma-decimal locale, formula-injection
names stored as text, a read-only target folder, and the CSV writer.

Environment (set by meson): LYNCPLAN, the binary; LP_SOURCE_ROOT, the tree.
"""
import collections
import configparser
import csv
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import unittest
import zipfile

import lptest

openpyxl = lptest.need("openpyxl")

ROOT = lptest.ROOT
LYNCPLAN = lptest.LYNCPLAN
PRICES = os.path.join(ROOT, "examples", "prices-example.prices")
# the seed examples, plus one priced two-region plan
SEEDS = ["standard-paired", "enterprise-pool", "dr-enterprise", "dr-enterprise-pchat",
         "dr-standard", "virtual-dr"]
PRICED = "two-regions"
# the Rule trace sheet only with --explain
SHEETS = ["Summary", "Bill of Materials", "Servers", "Pools and Pairing", "Alternatives",
          "Assumptions", "Resilience", "SLA budget", "DNS plan", "Certificates",
          "Firewall", "Publishing", "Diagram", "Sources"]
KINDS = {"servers": "servers", "appliances": "appliances", "reverse proxies": "reverse_proxies",
         "hosts": "hosts"}
HEADERS = {
    "Bill of Materials": ["Site", "Role", "Kind", "Quantity", "Reference hardware"],
    "Servers": ["Name", "Site", "Pool", "Role", "Reference hardware", "Pairing partner"],
    "Pools and Pairing": ["Pool", "Site", "Edition or role", "Servers", "Users homed",
                          "Carries in\nnormal running", "Carries with\none server\ndown",
                          "Counted in", "Backup pool", "Pairing", "Members"],
    "Alternatives": ["Sites", "Design", "Edition", "Status", "Servers", "Appliances",
                     "Cost (machines: servers, appliances, reverse\nproxies)", "Meets every\nrequirement", "Misses"],
    "Assumptions": ["Name", "Value used", "Rule file\nvalue", "Unit", "Source", "Overridden"],
    "Resilience": ["Site", "Failure", "Scope", "Recovery", "Back in", "Data\nlost",
                   "Target RTO\n/ RPO", "Result", "What users notice", "Steps"],
    "SLA budget": ["Period", "Allowed downtime", "Minutes"],
    "DNS plan": ["Name", "Type", "Target", "Port", "Priority", "Weight", "Note"],
    "Certificates": ["Site", "Certificate", "Subject name", "Subject alternative names", "Issuer",
                     "Note", "Source"],
    "Firewall": ["Site", "From", "To", "Port", "Protocol", "Purpose", "Source"],
    "Publishing": ["Site", "Certificate", "Listener", "External name", "Forwarded to", "Ports",
                   "Source"],
}


def run(*args, env=None, check=True):
    return lptest.run_ok(*args, text=True, env=env, ok=(0, 3) if check else None)


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
    """{site: {role_id: count}}, subtotals {site: {kind: n}} and the totals {kind: n}
    from BoM rows: servers, appliances and reverse proxies are counted apart."""
    items, subtotals, total = {}, {}, {}
    for row in rows[1:]:
        site, role, kind, qty = row[0], row[1], row[2], row[3]
        site = site.replace("\n", " ")  # a long label wraps
        if site == "Total":
            total[KINDS[kind]] = float(qty)
        elif site in ("Total cost", "Total cost with the hosts") or site.startswith(
                ("Note, site ", "Storage, site ")):
            continue
        elif site.startswith("Subtotal, site "):
            subtotals.setdefault(site[len("Subtotal, site "):], {})[KINDS[kind]] = float(qty)
        elif site:
            # a virtual site's hosts: the role column says what they are
            key = "host" if kind == "host" else names[role]
            items.setdefault(site, {})[key] = int(float(qty))
    return items, subtotals, total


class Workbooks(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = lptest.mkdtemp(prefix="lyncplan-xlsx-")
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
        kinds = KINDS.values()
        items = {s["name"]: {r["role"]: r["count"] for r in s["roles"]} for s in plan["sites"] if s["roles"]}
        subtotals = {s["name"]: {k: s[k] for k in kinds if s.get(k)} for s in plan["sites"]
                     if s["roles"]}
        for h in plan.get("vm_hosts", []):  # each virtual site's hosts, after its roles
            items[h["site"]]["host"] = items[h["site"]].get("host", 0) + 1
            subtotals[h["site"]]["hosts"] = subtotals[h["site"]].get("hosts", 0) + 1
        totals = {k: plan["totals"][k] for k in kinds if plan["totals"].get(k)}
        if plan.get("vm_hosts"):
            totals["hosts"] = len(plan["vm_hosts"])
        return items, subtotals, totals

    def test_hosts_priced_as_the_text_plan(self):
        # the price list's [host]: the workbook's Bill of Materials lists each
        # virtual site's hosts at that price, as the text plan and the CSV do,
        # and adds them after the servers' Total cost
        xlsx = os.path.join(self.tmp, "virtual-priced.xlsx")
        plan = json.loads(run("plan", "examples/virtual-dr.ini", "--prices", PRICES, "--format",
                              "json", "--xlsx", xlsx, "--date", "2026-11-23").stdout)
        csv_rows = [r for r in csv.reader(io.StringIO(run(
            "plan", "examples/virtual-dr.ini", "--prices", PRICES, "--format", "csv").stdout))
            if len(r) > 4 and r[4] == "host"]
        wb = openpyxl.load_workbook(xlsx, data_only=True)["Bill of Materials"]
        formulas = openpyxl.load_workbook(xlsx)["Bill of Materials"]
        rows = [[c.value for c in r] for r in wb.iter_rows()]
        hosts = [r for r in rows if r[2] == "host"]
        self.assertEqual(len(hosts), len(csv_rows))
        self.assertGreater(len(hosts), 0)
        by_site = collections.Counter(h["site"] for h in plan["vm_hosts"])
        for r, c in zip(hosts, csv_rows):
            self.assertEqual((r[0], r[3]), (c[0], by_site[c[0]]))
            self.assertEqual(float(c[5]), r[3])
            self.assertAlmostEqual(r[5] + r[6], sum(h["price"] for h in plan["vm_hosts"]) /
                                   plan["totals"]["hosts"], places=2)
            self.assertAlmostEqual(r[7], float(c[9]), places=2)
        last = wb.max_row
        self.assertEqual(rows[last - 2][0], "Total cost")
        self.assertAlmostEqual(rows[last - 2][7], plan["totals"]["cost"], places=2)
        self.assertEqual(rows[last - 1][0], "Total cost with the hosts")
        self.assertAlmostEqual(rows[last - 1][7], plan["totals"]["cost_with_hosts"], places=2)
        total_hosts = next(i for i, r in enumerate(rows) if r[0] == "Total" and r[2] == "hosts")
        self.assertEqual(formulas.cell(last, 8).value,
                         f"=H{last - 1}+H{total_hosts + 1}")
        self.assertAlmostEqual(rows[total_hosts][7], plan["totals"]["hosts_cost"], places=2)

    def test_hosts_sheet_is_the_json(self):
        virtual = [n for n in self.plans if self.plans[n].get("vm_hosts")]
        self.assertTrue(virtual, "no virtual example")
        for name in virtual:
            rows = list(self.workbook(name)["Hosts"].iter_rows(min_row=2, values_only=True))
            hosts = self.plans[name]["vm_hosts"]
            self.assertEqual([(r[0], r[1], r[2], r[3], r[6]) for r in rows[:len(hosts)]],
                             [(h["name"], h["site"], h["cores"], h["cores_used"],
                               ", ".join(h["servers"]) if h["servers"]
                               else "spare: none until a host fails") for h in hosts], name)

    def test_sheets_and_headers(self):
        for name in self.plans:
            wb = self.workbook(name)
            sheets = SHEETS
            if self.plans[name].get("vm_hosts"):  # a virtual estate: its Hosts sheet
                at = SHEETS.index("Pools and Pairing") + 1
                sheets = SHEETS[:at] + ["Hosts"] + SHEETS[at:]
            self.assertEqual(wb.sheetnames, sheets, name)
            for sheet, header in HEADERS.items():
                if name == PRICED and sheet == "Alternatives":
                    header = header[:6] + ["Cost (USD)"] + header[7:]
                row = [c.value for c in wb[sheet][1]][: len(header)]
                # a header wraps at its column's width: the words are what counts
                words = lambda cells: [" ".join(str(v).split()) for v in cells]
                self.assertEqual(words(row), words(header), f"{name}: {sheet}")
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
        self.assertEqual(values.cell(last, 1).value, "Total cost")
        self.assertAlmostEqual(values.cell(last, 8).value, plan["totals"]["cost"], places=2)
        totals = {values.cell(r, 3).value: r for r in range(2, last) if values.cell(r, 1).value == "Total"}
        self.assertEqual(formulas.cell(last, 8).value,
                         "=" + "+".join(f"H{r}" for r in sorted(totals.values())))
        for kind, r in totals.items():
            self.assertTrue(formulas.cell(r, 4).value.startswith("=SUMIF(C2:C"), kind)
            self.assertEqual(values.cell(r, 4).value, plan["totals"][KINDS[kind]], kind)
        self.assertEqual(values.cell(1, 8).value, "Extended\nprice (USD)")

    def test_priced_totals_in_libreoffice(self):
        path = os.path.join(self.tmp, "lo", f"{PRICED}-Bill of Materials.csv")
        with open(path, newline="", encoding="utf-8") as f:
            total = [r for r in csv.reader(f) if r and r[0] == "Total cost"][0]
        self.assertAlmostEqual(float(total[7]), self.plans[PRICED]["totals"]["cost"], places=2)

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
        flat = lambda v: " ".join(v.split()) if isinstance(v, str) else v  # a long text wraps
        self.assertEqual({flat(p[9]) for p in pools if flat(p[2]) == "Standard Edition"},
                         {"cross-site pair"})
        self.assertIn("edgepool-boston", {p[0] for p in pools if flat(p[2]) != "Standard Edition"})

    def test_resilience_sheets_match_json(self):
        for name in self.plans:
            wb = self.workbook(name)
            rows = [r for r in wb["Resilience"].iter_rows(min_row=2, values_only=True) if r[0] and r[0] not in ("Quorum", "Data")]
            json_rows = [(s["site"], f["label"], "automatic" if f["automatic"] else "manual")
                         for s in self.plans[name]["resilience"] for f in s["failures"]]
            self.assertEqual([(r[0], r[1].replace("\n", " "), r[3]) for r in rows], json_rows, name)
            budget = {r[0]: r[2] for r in wb["SLA budget"].iter_rows(min_row=2, values_only=True) if r[0]}
            self.assertAlmostEqual(budget["year"], self.plans[name]["sla_budget"]["allowed_downtime"]["year_minutes"], places=4)
            dns = [r[0] for r in wb["DNS plan"].iter_rows(min_row=2, values_only=True) if r[1]]
            self.assertEqual(dns, [r["name"] for r in self.plans[name]["dns"]["records"]], name)

    def test_downtime_budget_matches_json(self):
        # the SLA budget sheet's downtime table: per group and user class its total,
        # then each contributor with its minutes, planned and counted, as the JSON has them
        for name in self.plans:
            rows = list(self.workbook(name)["SLA budget"].iter_rows(values_only=True))
            start = next(i for i, r in enumerate(rows) if r[0] == "Group") + 1
            got, expected = [], []
            for r in rows[start:]:
                if r[3] is None:
                    continue
                if r[1] is not None:
                    got.append((r[1], r[2], r[4]))
                else:
                    got.append((r[3], r[4], r[5], r[6]))
            for g in self.plans[name]["groups"]:
                for cls in ("internal", "remote"):
                    a = g.get("availability", {}).get(cls)
                    if a is None:
                        continue
                    expected.append((cls, a["site"], a["downtime_minutes_per_year"]))
                    expected.extend((c["component"], c["minutes_per_year"],
                                     "yes" if c["planned"] else "no",
                                     "yes" if c["counted"] else "no") for c in a["contributors"])
            self.assertGreater(len(expected), 0, name)
            # the JSON writes 6 decimals, the sheet the number itself
            number = lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)
            # text as the sheet wraps it in its cell, the words the same
            words = lambda v: " ".join(v.split()) if isinstance(v, str) else v
            strip = lambda rows: [tuple(words(v) for v in r if not number(v)) for r in rows]
            self.assertEqual(strip(got), strip(expected), name)
            for g_row, e_row in zip(got, expected):
                for g_v, e_v in zip(g_row, e_row):
                    if number(e_v):
                        self.assertAlmostEqual(g_v, e_v, delta=1e-6, msg=name)

    def test_certificate_and_firewall_sheets_match_json(self):
        for name in self.plans:
            wb = self.workbook(name)
            flat = lambda v: v.replace("\n", " ") if isinstance(v, str) else v  # a long text wraps
            certs = [(r[0], flat(r[2]), r[3], flat(r[4])) for r in
                     table_rows(wb["Certificates"])]
            self.assertEqual(certs, [(c["site"], c["subject"],
                                      "\n".join(c["subject_alternative_names"]) or "none",
                                      c["issuer"] + " CA")
                                     for c in self.plans[name]["certificates"]], name)
            rules = [tuple(flat(v) for v in r[:6]) for r in table_rows(wb["Firewall"])]
            self.assertEqual(rules, [(f["site"], f["from"], f["to"], f["port"], f["protocol"],
                                      f["purpose"]) for f in self.plans[name]["firewall"]], name)
            names = wb["Certificates"].column_dimensions["D"]
            self.assertGreaterEqual(names.width, max(
                len(n) for c in self.plans[name]["certificates"]
                for n in c["subject_alternative_names"]), name)
            self.assertTrue(wb["Certificates"]["D2"].alignment.wrap_text, name)
            # every source a row names is in the Sources appendix, whole
            # (whitespace aside: an address wraps after a '/')
            legend = {r[0]: "".join(r[1].split()) for r in table_rows(wb["Sources"])}
            for sheet, rows in (("Certificates", self.plans[name]["certificates"]),
                                ("Firewall", self.plans[name]["firewall"])):
                for row in rows:
                    for key in row["source"].split(":")[0].split(","):
                        if not key.strip().startswith("assumption"):
                            self.assertEqual(legend[key.strip()],
                                             "".join(SOURCES[key.strip()].split()),
                                             f"{name}: {sheet}")

    def test_publishing_sheet_is_the_json(self):
        for name in self.plans:
            plan = self.plans[name]
            nodes = {n["id"]: n for n in plan["topology"]["pools"]}
            rows = [tuple(r[:6]) for r in table_rows(self.workbook(name)["Publishing"])]
            self.assertEqual(rows, [(nodes[p["proxy_id"]]["site"], p["certificate"],
                                     ", ".join(p["listener_ports"]), p["name"],
                                     nodes[p["target_id"]]["fqdn"], ", ".join(p["target_ports"]))
                                    for p in plan["topology"]["publishing"]], name)
            self.assertTrue(rows, name)
            # each name is on the certificate of its proxy the sheet names
            certs = {(c["node_id"], c["subject"]): c["subject_alternative_names"]
                     for c in plan["certificates"]}
            for p in plan["topology"]["publishing"]:
                self.assertIn(p["name"], certs[(p["proxy_id"], p["certificate"])], name)

    def test_summary_marks_results(self):
        ws = self.workbook("dr-enterprise")["Summary"]
        cells = [c for row in ws.iter_rows() for c in row if c.value in ("pass",)]
        self.assertGreater(len(cells), 0)
        self.assertGreater(len(ws.conditional_formatting), 0)


def lines_fit(test, ws, where):
    """No cell's text runs into the next cell: every line of a text fits its
    column's width (or its merged range's), a text of several lines is set to
    wrap in a row tall enough, and every number fits as its format shows it."""
    width = {k: v.width for k, v in ws.column_dimensions.items()}
    merged = {}
    for rng in ws.merged_cells.ranges:
        merged[(rng.min_row, rng.min_col)] = sum(
            width.get(openpyxl.utils.get_column_letter(c), 8.43) for c in range(rng.min_col, rng.max_col + 1))
    for row in ws.iter_rows():
        for c in row:
            if c.value is None or c.data_type == "f":
                continue
            w = merged.get((c.row, c.column), width.get(c.column_letter, 8.43))
            at = f"{where}: {ws.title}!{c.coordinate}"
            if isinstance(c.value, str):
                lines = c.value.split("\n")
                test.assertLessEqual(max(len(l) for l in lines), w, f"{at}: {c.value!r}")
                if len(lines) > 1:
                    test.assertTrue(c.alignment.wrap_text, at)
                    test.assertGreaterEqual(ws.row_dimensions[c.row].height or 0, 15 * len(lines), at)
            elif isinstance(c.value, (int, float)):
                fmt = c.number_format
                places = 2 if ".00" in fmt else 0
                shown = f"{c.value:,.{places}f}" if "," in fmt else f"{c.value:.{places}f}"
                test.assertLessEqual(len(shown) + 1, w, f"{at}: {shown}")


class Deliverable(unittest.TestCase):
    """The DR example's workbook, as a customer receives it."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = lptest.mkdtemp(prefix="lyncplan-xlsx-")
        cls.book = os.path.join(cls.tmp, "dr.xlsx")
        cls.plan = json.loads(run("plan", "examples/dr-enterprise.ini", "--prices", PRICES,
                                  "--format", "json", "--xlsx", cls.book).stdout)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_every_text_fits_its_column(self):
        for name in SEEDS + [PRICED, "dr-enterprise"]:
            path = os.path.join(self.tmp, name + ".xlsx")
            run("plan", f"examples/{name}.ini", "--prices", PRICES, "--xlsx", path,
                "-o", path + ".txt", "--explain")
            wb = openpyxl.load_workbook(path)
            self.assertIn("Rule trace", wb.sheetnames, name)
            for ws in wb:
                lines_fit(self, ws, name)

    def test_summary_cost_is_the_bill_of_materials_total(self):
        formulas = openpyxl.load_workbook(self.book)
        values = openpyxl.load_workbook(self.book, data_only=True)
        rows = {r[0].value: r for r in formulas["Summary"].iter_rows(max_col=3)}
        cost = rows["Cost (USD)"][1]
        self.assertEqual(cost.data_type, "f")
        sheet, ref = cost.value[1:].split("!")
        self.assertEqual(sheet, "'Bill of Materials'")
        bom = formulas["Bill of Materials"]
        total = bom[ref.replace("$", "")]
        self.assertEqual(bom.cell(total.row, 1).value, "Total cost")
        # the total adds the kinds' totals, each a SUMIF over the extended prices,
        # each of those quantity times the prices: editing a price updates the Summary
        kinds = total.value[1:].split("+")
        self.assertEqual(len(kinds), 3)
        for k in kinds:
            self.assertRegex(bom[k].value, r'^=SUMIF\(C2:C\d+,"[a-z ]+",H2:H\d+\)$')
        self.assertRegex(bom["H2"].value, r"^=D2\*\(F2\+G2\)$")
        self.assertAlmostEqual(values["Summary"][cost.coordinate].value, self.plan["totals"]["cost"], places=2)

    def test_summary_users_per_site(self):
        ws = openpyxl.load_workbook(self.book)["Summary"]
        rows = [tuple(c.value for c in r) for r in ws.iter_rows(max_col=2)]
        start = rows.index(("Site", "Users")) + 1
        got = {}
        for site, users in rows[start:]:
            if site is None:
                break
            got[site] = users
        self.assertEqual(got, {s["name"]: s["users"] for s in self.plan["sites"]})
        self.assertIn(("Users", sum(got.values())), rows)

    def test_summary_names_a_customer_reads(self):
        ws = openpyxl.load_workbook(self.book)["Summary"]
        cells = {str(c.value).replace("\n", " ") for r in ws.iter_rows() for c in r if c.value is not None}
        # titles only: the keys are the engineer's words (the text report keeps them)
        self.assertIn("Recovery time after a server failure", cells)
        self.assertIn("Enterprise Edition pools, paired across sites", cells)
        self.assertNotIn("Recovery time after a server failure (rto)", cells)

    def test_price_headers_carry_the_currency(self):
        ws = openpyxl.load_workbook(self.book)["Bill of Materials"]
        heads = [str(c.value).replace("\n", " ") for c in ws[1] if c.value]
        self.assertEqual(heads[5:8], ["Hardware unit price (USD)", "Licence unit price (USD)",
                                      "Extended price (USD)"])

    def test_every_pool_is_listed(self):
        pools = list(openpyxl.load_workbook(self.book)["Pools and Pairing"].iter_rows(min_row=2, values_only=True))
        # every pool by its own name, the DNS plan's (edgepool-hq), Edge and Office Web Apps too
        self.assertEqual([(p[0], p[1], p[3]) for p in pools if p[3]],
                         [("pool01-hq", "HQ", 3), ("edgepool-hq", "HQ", 2), ("officewebapps-hq", "HQ", 2),
                          ("pool01-hq-dr", "HQ-DR", 3), ("edgepool-hq-dr", "HQ-DR", 2),
                          ("officewebapps-hq-dr", "HQ-DR", 2)])
        self.assertEqual(pools[1][10], "edg01-hq, edg02-hq")
        dns = {str(r[0]).split(".")[0] for r in openpyxl.load_workbook(self.book)["DNS plan"].iter_rows(min_row=2, values_only=True) if r[0]}
        self.assertLessEqual({p[0] for p in pools if p[0] and p[3]}, dns)
        path = os.path.join(self.tmp, "pchat.xlsx")
        run("plan", "examples/dr-enterprise-pchat.ini", "--xlsx", path, "-o", path + ".txt")
        names = {p[0] for p in openpyxl.load_workbook(path)["Pools and Pairing"].iter_rows(min_row=2, values_only=True)}
        self.assertIn("pchatpool-hq", names)

    def test_pools_show_their_planned_capacity(self):
        # servers x what one carries (the rule file's constants), and one server fewer:
        # not the product's largest pool
        rules = configparser.ConfigParser(interpolation=None, strict=True)
        rules.read(os.path.join(ROOT, "rules", "lync2013.rules"))
        const = lambda k: float(rules[f"constant {k}"]["value"])
        per_fe = const("pool-max-users") / const("front-ends-max")
        pools = {p[0]: p for p in openpyxl.load_workbook(self.book)["Pools and Pairing"].iter_rows(min_row=2, values_only=True) if p[0]}
        fe = pools["pool01-hq"]
        self.assertEqual(fe[5:7], (int(fe[3] * per_fe), int((fe[3] - 1) * per_fe)))
        self.assertEqual(fe[7], "users")
        self.assertLess(fe[5], const("pool-max-users"))
        edge = pools["edgepool-hq"]
        self.assertEqual(edge[5:7], (edge[3] * const("users-per-edge"), (edge[3] - 1) * const("users-per-edge")))
        self.assertEqual(edge[7].replace("\n", " "), "remote users")
        self.assertEqual(pools["officewebapps-hq"][5:8], (None, None, None))
        path = os.path.join(self.tmp, "se.xlsx")
        run("plan", "examples/standard-paired.ini", "--xlsx", path, "-o", path + ".txt")
        se = {p[0]: p for p in openpyxl.load_workbook(path)["Pools and Pairing"].iter_rows(min_row=2, values_only=True) if p[0]}
        # a pair's server down: its backup's survivor carries both servers' users
        self.assertEqual(se["se01-hq"][5:7], (const("se-users-per-server"), const("se-users-failover")))
        # one server and no partner: 0, in words
        path = os.path.join(self.tmp, "se1.xlsx")
        run("plan", "--site", "HQ=1000", "--rto", "2d", "--rpo", "2d", "--sla", "99", "--xlsx", path,
            "-o", path + ".txt")
        se = {p[0]: p for p in openpyxl.load_workbook(path)["Pools and Pairing"].iter_rows(min_row=2, values_only=True) if p[0]}
        self.assertEqual(se["se01-hq"][6].replace("\n", " "), "0: no backup pool")
        self.assertEqual(se["edgepool-hq"][6].replace("\n", " "), "0: no other server")
        # Persistent Chat: 20,000 an active server; the idle ones at the DR site on standby
        path = os.path.join(self.tmp, "pc.xlsx")
        run("plan", "examples/dr-enterprise-pchat.ini", "--xlsx", path, "-o", path + ".txt")
        pc = {p[0]: p for p in openpyxl.load_workbook(path)["Pools and Pairing"].iter_rows(min_row=2, values_only=True) if p[0]}
        self.assertEqual(pc["pchatpool-hq"][5], pc["pchatpool-hq"][3] * const("users-per-pchat-server"))
        self.assertEqual(pc["pchatpool-hq-dr"][5].replace("\n", " "), "0: on standby")

    def test_assumptions_are_those_that_shaped_the_plan(self):
        # the constants the chosen designs read: Persistent Chat's only in a plan with it,
        # and whatever the scenario set, read or not
        def names(path):
            ws = openpyxl.load_workbook(path)["Assumptions"]
            return {r[0]: r[5] for r in ws.iter_rows(min_row=2, values_only=True) if r[1] is not None}
        rules = configparser.ConfigParser(interpolation=None, strict=True)
        rules.read(os.path.join(ROOT, "rules", "lync2013.rules"))
        constants = {g.split(" ", 1)[1] for g in rules.sections() if g.startswith("constant ")}
        plain = names(self.book)
        self.assertLessEqual(set(plain), constants)
        self.assertIn("pool-failover-time", plain)
        self.assertIn("users-per-edge", plain)
        self.assertFalse({n for n in plain if "pchat" in n}, plain)
        self.assertLess(len(plain), len(constants) / 2)
        path = os.path.join(self.tmp, "pchat-assumptions.xlsx")
        run("plan", "examples/dr-enterprise-pchat.ini", "--xlsx", path, "-o", path + ".txt")
        self.assertIn("users-per-pchat-server", names(path))
        path = os.path.join(self.tmp, "set.xlsx")
        run("plan", "examples/dr-enterprise.ini", "--set", "users-per-pchat-server=5000",
            "--xlsx", path, "-o", path + ".txt")
        self.assertEqual(names(path)["users-per-pchat-server"], "yes")

    def test_no_rule_trace_without_explain(self):
        self.assertEqual(openpyxl.load_workbook(self.book).sheetnames, SHEETS)

    def test_no_engineering_words_for_the_customer(self):
        wb = openpyxl.load_workbook(self.book)
        for ws in wb:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if isinstance(v, str):
                        self.assertNotRegex(v.lower(), r"\bseed\b|lyncplan's default", f"{ws.title}: {v}")

    def test_cmdlets_keep_their_parameters(self):
        ws = openpyxl.load_workbook(self.book)["Resilience"]
        steps = [r[9] for r in ws.iter_rows(min_row=2, values_only=True) if r[9]]
        self.assertIn("Invoke-CsPoolFailover", " ".join(steps))
        for text in steps:
            lines = text.split("\n")
            for line, after in zip(lines, lines[1:]):
                # a parameter's name never ends a line its value starts the next of
                if re.search(r"(^| )-[A-Za-z]+$", line):
                    self.assertRegex(after, r"^(-|\d+\. )", f"{line!r} / {after!r}")
                self.assertNotRegex(line, r"<[^>]*$", f"a placeholder broken: {line!r}")

    def test_diagram_sheet_holds_the_picture(self):
        with zipfile.ZipFile(self.book) as z:
            media = [n for n in z.namelist() if n.startswith("xl/media/")]
            self.assertEqual(len(media), 1)
            self.assertEqual(z.read(media[0])[:8], b"\x89PNG\r\n\x1a\n")
            book = z.read("xl/workbook.xml").decode()
            self.assertIn('name="Diagram"', book)
            rels = z.read(f"xl/worksheets/_rels/sheet{SHEETS.index('Diagram') + 1}.xml.rels").decode()
            self.assertIn("drawing", rels)

    def test_without_dot_the_workbook_says_so(self):
        path = os.path.join(self.tmp, "nodot.xlsx")
        env = {"PATH": os.path.join(self.tmp, "no-such-folder")}
        p = run("plan", "examples/dr-enterprise.ini", "--xlsx", path, "-o", path + ".txt", env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        warnings = p.stderr.splitlines()
        self.assertEqual(len(warnings), 1, p.stderr)
        self.assertTrue(warnings[0].startswith("lyncplan: warning: the workbook has no diagram: "), p.stderr)
        ws = openpyxl.load_workbook(path)["Diagram"]
        self.assertTrue(ws["A3"].value.startswith("No diagram: "), ws["A3"].value)
        with zipfile.ZipFile(path) as z:
            self.assertFalse([n for n in z.namelist() if n.startswith("xl/media/")])

    def test_date_defaults_to_today(self):
        path = os.path.join(self.tmp, "today.xlsx")
        p = lptest.run("plan", "--site", "HQ=500", "--xlsx", path, "-o", path + ".txt", text=True,
                       env={"SOURCE_DATE_EPOCH": None})
        self.assertEqual(p.returncode, 0, p.stderr)
        today = datetime.date.today().isoformat()
        rows = {r[0]: r[1] for r in openpyxl.load_workbook(path)["Summary"].iter_rows(values_only=True, max_col=2)}
        self.assertIn(rows["Date"], (today, (datetime.date.today() + datetime.timedelta(days=1)).isoformat()))
        # the tests' SOURCE_DATE_EPOCH (meson sets it) fixes the date
        rows = {r[0]: r[1] for r in openpyxl.load_workbook(self.book)["Summary"].iter_rows(values_only=True, max_col=2)}
        self.assertEqual(rows["Date"], "2026-11-23")


class Properties(unittest.TestCase):
    def setUp(self):
        self.tmp = lptest.mkdtemp(prefix="lyncplan-xlsx-")

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
        licences = [r[6] for r in ws.iter_rows(min_row=2, values_only=True) if r[1] == "Back End SQL server"]
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
        p = run("plan", scenario, "--xlsx", xlsx, "-o", text, "--explain", check=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        # the count grows with the rule set's lets: the message names it and
        # the limit, and the count is past the limit
        m = re.fullmatch(r"lyncplan: --xlsx: the Rule trace sheet would need ([0-9,]+) rows "
                         r"and a worksheet holds 1,048,576: plan fewer sites, or use --format json "
                         r"or csv\n", p.stderr)
        self.assertIsNotNone(m, p.stderr)
        self.assertGreater(int(m.group(1).replace(",", "")), 1048576)
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
    lptest.main()
