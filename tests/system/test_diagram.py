#!/usr/bin/python3
"""The topology diagram (--diagram FILE.svg or FILE.png) of every example:
the SVG parses as XML, renders to PNG with rsvg-convert, names every site,
pool and server of the workbook (Sites from the JSON plan, Pools and Pairing
and Servers sheets read back with openpyxl) in its <text> elements, and is
byte-identical on a second run; a .png diagram is a PNG (its bytes are not
pinned: they depend on the fonts). Environment (set by meson): LYNCPLAN,
LP_SOURCE_ROOT."""
import glob
import json
import os
import subprocess
import unittest
import xml.etree.ElementTree as ET

import lptest

openpyxl = lptest.need("openpyxl")

ROOT = lptest.ROOT
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
SVG = "{http://www.w3.org/2000/svg}"


def lyncplan(*args):
    return lptest.run_ok(*args).stdout


def column(ws, header):
    """The column's cells down to the table's end (its first empty row: the
    notes under it are not names)."""
    rows = list(ws.iter_rows(values_only=True))
    i = rows[0].index(header)
    out = set()
    for r in rows[1:]:
        if not any(r):
            break
        if r[i] is not None:
            out.add(r[i].replace("\n", " "))  # a long name wraps in its cell: the lines are one name
    return out


class Diagram(unittest.TestCase):
    def setUp(self):
        self.tmp = lptest.tmpdir()
        self.addCleanup(self.tmp.cleanup)

    def path(self, name):
        return os.path.join(self.tmp.name, name)

    def test_every_example(self):
        for ini in EXAMPLES:
            with self.subTest(example=os.path.basename(ini)):
                self.check_example(ini)

    def check_example(self, ini):
        svg, again, xlsx = self.path("a.svg"), self.path("b.svg"), self.path("w.xlsx")
        plan = json.loads(lyncplan("plan", ini, "--format", "json", "--diagram", svg, "--xlsx", xlsx))
        lyncplan("plan", ini, "--diagram", again, "-o", self.path("report.txt"))
        with open(svg, "rb") as f:
            raw = f.read()
        with open(again, "rb") as f:
            self.assertEqual(raw, f.read(), "the same inputs must give the same SVG bytes")
        texts = {t.text for t in ET.fromstring(raw).iter(SVG + "text")}
        wb = openpyxl.load_workbook(xlsx, read_only=True)
        names = {s["name"] for s in plan["sites"]}
        names |= column(wb["Pools and Pairing"], "Pool") | column(wb["Servers"], "Name")
        self.assertTrue(names)
        # a pool is drawn by its FQDN, whose first label is the Pools sheet's name
        shown = texts | {t.split(".", 1)[0] for t in texts if t and "." in t}
        for name in sorted(names):
            self.assertIn(name, shown, f"{name} is not a <text> of the diagram")
        if any("-" in n for n in names):
            self.assertIn(b"&#45;", raw)  # how Graphviz writes '-' in text
        png = self.path("a.png")
        subprocess.run(["rsvg-convert", "-o", png, svg], check=True)
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_png_through_cairo(self):
        png = self.path("d.png")
        lyncplan("plan", os.path.join(ROOT, "examples", "dr-enterprise.ini"), "--diagram", png,
                 "-o", self.path("r.txt"))
        with open(png, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_failover_and_relations(self):
        svg = self.path("dr.svg")
        lyncplan("plan", os.path.join(ROOT, "examples", "dr-enterprise.ini"), "--diagram", svg,
                 "-o", self.path("r.txt"))
        texts = [t.text for t in ET.parse(svg).iter(SVG + "text")]
        # the site-loss row of the resilience review: manual, 2h35m (as the report says)
        self.assertIn("failover: manual, 1h15m", texts)
        self.assertIn("next hop", texts)
        self.assertIn("disaster recovery", texts)
        self.assertIn("perimeter network", texts)
        # Standard Edition servers paired in their site: no site failover to show
        svg = self.path("sp.svg")
        lyncplan("plan", os.path.join(ROOT, "examples", "standard-paired.ini"), "--diagram", svg,
                 "-o", self.path("r.txt"))
        texts = [t.text for t in ET.parse(svg).iter(SVG + "text")]
        self.assertIn("in the same site", texts)
        self.assertFalse([t for t in texts if t.startswith("failover")])

    def estate(self, shape, n):
        ini = self.path(f"{shape}-{n}.ini")
        with open(ini, "w") as f:
            f.write(subprocess.run(["python3", os.path.join(ROOT, "tests", "bench", "gen-estate.py"),
                                    shape, str(n)], check=True, capture_output=True,
                                   text=True).stdout)
        svg = self.path(f"{shape}-{n}.svg")
        lyncplan("plan", ini, "--diagram", svg, "-o", self.path("r.txt"))
        return [t.text for t in ET.parse(svg).iter(SVG + "text")]

    def test_large_estate_sites_view(self):
        """1,000 paired sites: one box a site with its counts, drawn in seconds
        (issue 24: dot ran into its minute and the diagram was left out)."""
        texts = self.estate("paired", 1000)
        self.assertIn("1000 sites: one box a site, its servers counted, pools collapsed (every "
                      "server is drawn up to 40 sites and 400 servers)", texts)
        self.assertIn("S0", texts)
        self.assertIn("S999", texts)
        self.assertIn("1,000 users", texts)
        self.assertFalse([t for t in texts if t.startswith("fe01-")], "servers are not drawn")

    def test_branches_in_one_box(self):
        texts = self.estate("branches", 300)
        self.assertIn("300 branch sites of Home", texts)
        self.assertIn("15,000 users", texts)  # 300 branches of 50

    def test_huge_estate_in_totals(self):
        texts = self.estate("sites", 1300)
        self.assertIn("1300 sites, more than 1200 boxes: the estate drawn in totals", texts)
        self.assertIn("1300 central sites, 0 backup pools, 0 branch sites", texts)

    @staticmethod
    def box(g):
        """The bounding box of an SVG group's first polygon or path: (x0, y0, x1, y1)."""
        import re
        shape = g.find(SVG + "polygon")
        text = shape.get("points") if shape is not None else g.find(SVG + "path").get("d")
        nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", text)]
        xs, ys = nums[0::2], nums[1::2]
        return min(xs), min(ys), max(xs), max(ys)

    def test_by_host(self):
        # examples/virtual-dr.ini: every virtual machine is drawn inside the box
        # of the host JSON vm_hosts puts it on, and a host box holds no other
        svg = self.path("h.svg")
        plan = json.loads(lyncplan("plan", "examples/virtual-dr.ini", "--format", "json",
                                   "--diagram", svg, "--diagram-by-host"))
        host_of = {s: h["name"] for h in plan["vm_hosts"] for s in h["servers"]}
        root = ET.parse(svg).getroot()
        clusters, nodes = {}, {}
        for g in root.iter(SVG + "g"):
            title = g.find(SVG + "title")
            texts = [t.text for t in g.iter(SVG + "text")]
            if g.get("class") == "cluster" and title.text.startswith("cluster_host"):
                clusters[texts[0]] = self.box(g)
            elif g.get("class") == "node" and texts and texts[0] in host_of:
                nodes[texts[0]] = self.box(g)
        self.assertEqual(set(clusters), {h["name"] for h in plan["vm_hosts"]})
        self.assertEqual(set(nodes), set(host_of))

        def inside(a, b):
            return a[0] >= b[0] and a[1] >= b[1] and a[2] <= b[2] and a[3] <= b[3]
        for server, box in nodes.items():
            self.assertEqual([h for h, c in clusters.items() if inside(box, c)], [host_of[server]],
                             server)
        texts = [t.text for t in root.iter(SVG + "text")]
        self.assertIn("none until a host fails", texts)  # a spare host
        self.assertIn("paired pools", texts)  # the pools' relations from their first server
        # no virtual site: the diagram says why nothing is grouped
        svg = self.path("p.svg")
        lyncplan("plan", "examples/dr-enterprise.ini", "--diagram", svg, "--diagram-by-host",
                 "-o", self.path("r.txt"))
        texts = [t.text for t in ET.parse(svg).iter(SVG + "text")]
        self.assertTrue([t for t in texts if t and "no site is virtual" in t], texts[:3])


if __name__ == "__main__":
    lptest.main()
