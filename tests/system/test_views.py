#!/usr/bin/python3
"""Every network plan is a view of one topology model (issue 21): for every
example under every product that plans it (exit 0 or 3), each name the
workbook's DNS plan, Certificates, Firewall and Publishing sheets and the
diagram's SVG <text> show is a name of JSON `topology` (a node's name, FQDN,
web names, other names, a server's name or FQDN, a SIP domain), and every
label the diagram draws for a node is the model's. A name is what looks like
one: a dotted name (an FQDN) or a server name of the default naming
(role letters, two digits, a dash: fe01-hq). The workbook is written with
no `dot` on PATH (its Diagram sheet is the diagram test's); the SVG is
drawn once per plan. Environment (set by meson): LYNCPLAN, LP_SOURCE_ROOT."""
import concurrent.futures
import glob
import json
import os
import re
import shutil
import unittest
import xml.etree.ElementTree as ET

import lptest

openpyxl = lptest.need("openpyxl")

ROOT = lptest.ROOT
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
PRODUCTS = ["lync2013", "sfb2015", "sfb2019", "sfbse"]
SVG = "{http://www.w3.org/2000/svg}"
# a dotted name, or a server name of the default naming ({role}{nn}-{site})
NAME = re.compile(r"(?<![\w.-])(?:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+|[a-z]{2,6}[0-9]{2}-[a-z0-9-]+)"
                  r"(?![\w-])")
SHEETS = {"DNS plan": ["Name", "Target"], "Certificates": ["Subject name", "Subject alternative names"],
          "Firewall": ["From", "To"], "Publishing": ["Certificate", "External name", "Forwarded to"]}


def model_names(topology):
    names = set(topology.get("sip_domains", []))
    for n in topology["pools"]:
        names.update(v for v in (n["name"], n["fqdn"], n["web_internal"], n["web_external"]) if v)
        names.update(n["names"] + n["external_names"] + n["publishes"])
    for n in topology["servers"]:
        names.update(v for v in (n["name"], n["fqdn"]) if v)
    for n in topology["external"]:
        names.update(n["names"] + n["external_names"])
    return {n.lower() for n in names}


def plan(ini, product, tmp):
    """JSON plan, workbook and SVG of one example under one product, or None
    when the product does not plan it (bad input for it: exit 2)."""
    base = os.path.join(tmp, f"{os.path.basename(ini)}-{product}")
    env = {"PATH": os.path.join(tmp, "no-dot")}
    p = lptest.run("plan", ini, "--product", product, "--format", "json", "--xlsx", base + ".xlsx",
                   "--sip-domain", "contoso.com,fabrikam.com", env=env)
    if p.returncode == 2:
        return None
    if p.returncode not in (0, 3):
        raise AssertionError(f"{ini} {product}: exit {p.returncode}: {p.stderr.decode()}")
    q = lptest.run("plan", ini, "--product", product, "--diagram", base + ".svg", "--sip-domain",
                   "contoso.com,fabrikam.com", "-o", base + ".txt")
    if q.returncode not in (0, 3):
        raise AssertionError(f"{ini} {product} --diagram: exit {q.returncode}: {q.stderr.decode()}")
    return json.loads(p.stdout), base


class Views(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = lptest.mkdtemp(prefix="lyncplan-views-")
        jobs = [(ini, product) for ini in EXAMPLES for product in PRODUCTS]
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            cls.plans = dict(zip(jobs, pool.map(lambda j: plan(j[0], j[1], cls.tmp), jobs)))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assert_names_in_model(self, text, names, where):
        for found in NAME.findall(text or ""):
            self.assertIn(found.lower(), names, f"{where}: {found!r} is not a name of the model")

    def test_every_product_plans_most_examples(self):
        planned = [k for k, v in self.plans.items() if v is not None]
        self.assertGreater(len(planned), len(EXAMPLES) * 3, "too few plans to compare")

    def test_sheets_show_only_the_models_names(self):
        for (ini, product), got in self.plans.items():
            if got is None:
                continue
            doc, base = got
            names = model_names(doc["topology"])
            wb = openpyxl.load_workbook(base + ".xlsx", read_only=True)
            for sheet, headers in SHEETS.items():
                if sheet not in wb.sheetnames:
                    continue
                rows = list(wb[sheet].iter_rows(values_only=True))
                cols = [rows[0].index(h) for h in headers]
                shown = 0
                for row in rows[1:]:
                    if not any(row):
                        break  # the table ends; a note follows
                    if sheet == "DNS plan" and row[1] == "SRV":
                        cells = [row[cols[1]]]  # the record's own name is the DNS plan's
                    else:
                        cells = [row[c] for c in cols]
                    for cell in cells:
                        if isinstance(cell, str):
                            self.assert_names_in_model(cell.replace("\n", " "), names,
                                                       f"{os.path.basename(ini)} {product} {sheet}")
                            shown += len(NAME.findall(cell))
                self.assertGreater(shown, 0, f"{ini} {product} {sheet}: no names at all")
            wb.close()

    def test_diagram_shows_only_the_models_names(self):
        detail = 0
        for (ini, product), got in self.plans.items():
            if got is None:
                continue
            doc, base = got
            topo = doc["topology"]
            names = model_names(topo)
            texts = [t.text or "" for t in ET.parse(base + ".svg").iter(SVG + "text")]
            where = f"{os.path.basename(ini)} {product} diagram"
            for text in texts:
                self.assert_names_in_model(text, names, where)
            # below the size where it collapses to sites, every node of the
            # model at a site is drawn with its label and names
            if not any(t.startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9")) and
                       ("one box a site" in t or "drawn in totals" in t) for t in texts):
                detail += 1
                for n in topo["pools"]:
                    self.assertIn(n["label"], texts, f"{where}: {n['id']}")
                    if n["fqdn"]:
                        self.assertIn(n["fqdn"], texts, f"{where}: {n['id']}")
                for v in topo["servers"]:
                    self.assertIn(v["name"], texts, f"{where}: {v['id']}")
        self.assertGreater(detail, 0, "no example drawn in detail")


if __name__ == "__main__":
    lptest.main()
