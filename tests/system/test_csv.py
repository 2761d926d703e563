#!/usr/bin/python3
"""One CSV dialect for the plan's bill of materials and for sweeps (rows and
breakpoints): RFC 4180 (every line ends CRLF; a field holding a comma, a
double quote, CR or LF is quoted and its quotes doubled), UTF-8, text cells
that a spreadsheet would run as a formula prefixed with ' (OWASP). Read back
with Python's csv module in strict mode. Environment (set by meson):
LYNCPLAN, LP_SOURCE_ROOT."""
import csv
import io
import json
import os
import shutil
import unittest

import lptest

ROOT = lptest.ROOT
PRICES = os.path.join(ROOT, "examples", "prices-example.prices")
AWKWARD = 'Main, "HQ"'  # a comma and quotes: must be quoted, quotes doubled


def lyncplan(*args, cwd=ROOT):
    return lptest.run_ok(*args, cwd=cwd).stdout


def parse(raw):
    """Rows of a CSV document as RFC 4180 reads it; fails on bad quoting."""
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), strict=True))


class Dialect(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = lptest.mkdtemp(prefix="lyncplan-csv-")
        cls.scenario = os.path.join(cls.tmp, "names.ini")
        with open(cls.scenario, "w", encoding="utf-8") as f:
            f.write(f'[scenario]\nname = CSV names\n[site {AWKWARD}]\nusers = 5000\n'
                    '[site @SUM(1+1)]\nusers = 300\n[site Zürich]\nusers = 1200\n')
        sweep = ["sweep", "--site", f"{AWKWARD}=5000", "--site", "Zürich=200", "--quiet",
                 "--vary", f"users@{AWKWARD}=1000..9000/1000", "--vary", "rto=30m,4h"]
        cls.outputs = {
            "plan": lyncplan("plan", cls.scenario, "--format", "csv"),
            "plan, priced": lyncplan("plan", cls.scenario, "--format", "csv", "--prices", PRICES),
            "sweep": lyncplan(*sweep),
            "sweep, priced": lyncplan(*sweep, "--prices", PRICES),
            "breakpoints": lyncplan(*sweep, "--breakpoints", "--format", "csv"),
        }
        cls.sweep_args = sweep

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_every_line_ends_crlf(self):
        for what, raw in self.outputs.items():
            self.assertTrue(raw.endswith(b"\r\n"), what)
            self.assertEqual(raw.count(b"\n"), raw.count(b"\r\n"), f"{what}: a line without CR")
            self.assertEqual(raw.count(b"\r"), raw.count(b"\r\n"), f"{what}: a CR without LF")

    def test_rectangular_and_strictly_quoted(self):
        for what, raw in self.outputs.items():
            rows = parse(raw)
            self.assertGreater(len(rows), 2, what)
            self.assertEqual({len(r) for r in rows}, {len(rows[0])}, what)

    def test_a_quoted_field_round_trips(self):
        plan = parse(self.outputs["plan"])
        self.assertIn(AWKWARD, {r[0] for r in plan[1:]})
        self.assertIn(b'"Main, ""HQ"""', self.outputs["plan"])
        sweep = parse(self.outputs["sweep"])
        self.assertEqual(sweep[0][:2], [f"users@{AWKWARD}", "rto"])
        self.assertEqual([r[0] for r in sweep[1:4]], ["1000", "2000", "3000"])
        breakpoints = parse(self.outputs["breakpoints"])
        self.assertEqual(breakpoints[0][:3], ["rto", f"users@{AWKWARD}_from", f"users@{AWKWARD}_to"])

    def test_utf8(self):
        self.assertIn("Zürich".encode("utf-8"), self.outputs["plan"])
        self.assertIn("Zürich", {r[0] for r in parse(self.outputs["plan"])})

    def test_formulas_are_neutralised(self):
        sites = {r[0] for r in parse(self.outputs["plan"])[1:]}
        self.assertIn("'@SUM(1+1)", sites)
        self.assertNotIn("@SUM(1+1)", sites)

    def test_plan_and_sweep_are_written_as_pythons_csv_writes_them(self):
        # the excel dialect of Python's csv module is RFC 4180 with minimal
        # quoting: the same bytes, but for the neutralised cell, which we quote
        for what, raw in self.outputs.items():
            out = io.StringIO(newline="")
            csv.writer(out).writerows(parse(raw))
            expected = out.getvalue().replace("'@SUM(1+1)", "\"'@SUM(1+1)\"")
            self.assertEqual(raw.decode("utf-8"), expected, what)

    def test_ids_from_a_rule_file_are_quoted_and_neutralised(self):
        # a copy of the rules whose standard-single template is called
        # '@single "one"': a formula to a spreadsheet, with quotes
        rules = os.path.join(self.tmp, "rules")
        shutil.copytree(os.path.join(ROOT, "rules"), rules, dirs_exist_ok=True)
        shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(self.tmp, "templates"),
                        dirs_exist_ok=True)
        for path, old in ((os.path.join(self.tmp, "templates", "standard-single.tmpl"), "id = "),
                          (os.path.join(rules, "lync2013.rules"), "templates = ")):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            self.assertIn(f"\n{old}standard-single\n", text, path)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text.replace(f"\n{old}standard-single\n", f'\n{old}@single "one"\n'))
        hostile = "'@single \"one\""
        common = ["--rules-dir", rules, "--site", "HQ=100"]
        # an unpaired Standard Edition server is rebuilt and restored in 10h30m,
        # more than a 99.9% SLA allows in a year
        common += ["--sla", "99"]
        vary = ["sweep", *common, "--quiet", "--vary", "rto=4h,12h", "--vary", "rpo=1h,24h"]
        runs = {
            "plan": lyncplan("plan", *common, "--rto", "12h", "--rpo", "24h", "--format", "csv"),
            "sweep": lyncplan(*vary),
            "breakpoints": lyncplan(*vary, "--breakpoints", "--format", "csv"),
        }
        for what, raw in runs.items():
            self.assertIn(b'"\'@single ""one"""', raw, what)
            rows = parse(raw)
            design = rows[0].index("design")
            self.assertIn(hostile, {r[design] for r in rows[1:]}, what)
            self.assertEqual(raw.count(b"\n"), raw.count(b"\r\n"), what)

    def test_shards_concatenate_to_the_sweep_byte_for_byte(self):
        whole = self.outputs["sweep"]
        for n in (2, 5):
            parts = [lyncplan(*self.sweep_args, "--shard", f"{k}/{n}") for k in range(1, n + 1)]
            joined = parts[0] + b"".join(p.split(b"\r\n", 1)[1] for p in parts[1:])
            self.assertEqual(joined, whole, f"{n} shards")


class BillOfMaterialsRows(unittest.TestCase):
    """The CSV bill of materials carries what the text prints beneath each site's table:
    its storage (category storage, quantity GB a year) and its notes (category note, the
    text in reference_hardware), a branch's "planned without disaster recovery" among
    them (issues 23 and 25)."""

    def rows(self, *args):
        rows = parse(lyncplan("plan", *args, "--format", "csv"))
        return [dict(zip(rows[0], r)) for r in rows[1:]]

    def text(self, *args):
        return " ".join(lyncplan("plan", *args).decode().split())

    def test_storage_rows_match_the_json(self):
        ex = os.path.join(ROOT, "examples", "voice-stores.ini")
        import json
        doc = json.loads(lyncplan("plan", ex, "--format", "json"))
        storage = [(r["site"], r["role_id"], float(r["quantity"])) for r in self.rows(ex)
                   if r["category"] == "storage"]
        self.assertEqual(storage, [(s["site"], s["store"], s["gb_per_year"])
                                   for s in doc["storage"]])
        self.assertTrue(storage)
        for r in self.rows(ex):
            if r["category"] == "storage":
                self.assertEqual(r["reference_hardware"], "GB a year")

    def test_notes_are_the_texts_notes(self):
        ex = os.path.join(ROOT, "examples", "voice-stores.ini")
        text = self.text(ex)
        notes = [r for r in self.rows(ex) if r["category"] == "note"]
        self.assertTrue(notes)
        for r in notes:
            self.assertIn("Note: " + " ".join(r["reference_hardware"].split()), text)
            self.assertEqual((r["role_id"], r["role"], r["quantity"]), ("", "", ""))

    def test_branch_planned_without_dr(self):
        ex = os.path.join(ROOT, "examples", "shared-edge-voice.ini")
        for product in ("sfb2019", "sfbse", "lync2013"):
            rows = self.rows(ex, "--product", product)
            branches = {r["site"] for r in rows if r["design"] == "branch"}
            self.assertTrue(branches, product)
            for b in branches:
                notes = [r["reference_hardware"] for r in rows
                         if r["site"] == b and r["category"] == "note"]
                self.assertTrue(any(n.startswith("planned without disaster recovery")
                                    for n in notes), f"{product} {b}: {notes}")

    def test_priced_rows_stay_rectangular(self):
        ex = os.path.join(ROOT, "examples", "voice-stores.ini")
        rows = parse(lyncplan("plan", ex, "--format", "csv", "--prices", PRICES))
        self.assertEqual({len(r) for r in rows}, {len(rows[0])})
        cat = rows[0].index("category")
        self.assertTrue(any(r[cat] == "note" for r in rows[1:]))

class Hosts(unittest.TestCase):
    def test_hosts_priced(self):
        # examples/virtual-dr.ini with the example price list's [host]: each
        # virtual site's hosts are a row of category host, priced at the
        # list's hardware and licence; JSON's totals add them to the servers'
        # cost; the text report says the same figures
        ini = os.path.join(ROOT, "examples", "virtual-dr.ini")
        rows = parse(lyncplan("plan", ini, "--format", "csv", "--prices", PRICES))
        head, body = rows[0], rows[1:]
        col = {name: i for i, name in enumerate(head)}
        plan = json.loads(lyncplan("plan", ini, "--format", "json", "--prices", PRICES))
        hosts_per_site = {}
        for h in plan["vm_hosts"]:
            hosts_per_site[h["site"]] = hosts_per_site.get(h["site"], 0) + 1
        with open(PRICES) as f:
            text = f.read()
        block = text[text.index("\n[host]\n"):]
        hw = float(block.split("hardware = ")[1].split()[0])
        lic = float(block.split("licence = ")[1].split()[0])
        host_rows = [r for r in body if r[col["category"]] == "host"]
        self.assertEqual({r[col["site"]]: int(float(r[col["quantity"]])) for r in host_rows},
                         hosts_per_site)
        for r in host_rows:
            self.assertEqual(float(r[col["hardware_unit_price"]]), hw)
            self.assertEqual(float(r[col["licence_unit_price"]]), lic)
            self.assertEqual(float(r[col["extended_price"]]),
                             float(r[col["quantity"]]) * (hw + lic))
        totals = plan["totals"]
        every = sum(float(r[col["extended_price"]]) for r in body if r[col["extended_price"]])
        self.assertAlmostEqual(totals["cost_with_hosts"], every, places=2)
        self.assertAlmostEqual(totals["hosts_cost"], sum(hosts_per_site.values()) * (hw + lic))
        self.assertEqual(totals["cost"] + totals["hosts_cost"], totals["cost_with_hosts"])
        self.assertTrue(all(h["price"] == hw + lic for h in plan["vm_hosts"]))
        report = lyncplan("plan", ini, "--prices", PRICES).decode()
        self.assertIn(f"With the {sum(hosts_per_site.values())} virtualisation hosts", report)
        # without a [host] group: the hosts are listed, unpriced, and no total adds them
        with lptest.tmpdir() as tmp:
            bare = os.path.join(tmp, "no-host.prices")
            with open(bare, "w") as f:
                f.write(text[:text.index("\n[host]\n") + 1])
            plan = json.loads(lyncplan("plan", ini, "--format", "json", "--prices", bare))
            rows = parse(lyncplan("plan", ini, "--format", "csv", "--prices", bare))
        self.assertNotIn("hosts_cost", plan["totals"])
        self.assertEqual([float(r[col["extended_price"]]) for r in rows[1:]
                          if r[col["category"]] == "host"], [0.0, 0.0])

if __name__ == "__main__":
    lptest.main()
