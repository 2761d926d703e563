#!/usr/bin/python3
"""The text report's layout (issue 15): every line of every example's report
fits 100 columns unless one word is longer; a wrapped table keeps its rows
(each role of the bill of materials starts one line, its count first); money
carries the price list's currency and thousands separators. Environment (set
by meson): LYNCPLAN, LP_SOURCE_ROOT."""
import glob
import os
import re
import unittest

import lptest

ROOT = lptest.ROOT
PRICES = os.path.join(ROOT, "examples", "prices-example.prices")
WIDTH = 100


def plan(*args, refused=None):
    p = lptest.run("plan", *args, text=True)
    if refused and p.returncode == 2 and refused in p.stderr:
        return ""
    if p.returncode not in (0, 3):
        raise AssertionError(f"lyncplan plan {' '.join(args)}: exit {p.returncode}: {p.stderr}")
    return p.stdout


class Text(unittest.TestCase):
    def assert_fits(self, text, what):
        for n, line in enumerate(text.splitlines(), 1):
            if len(line) > WIDTH:
                # only a word longer than a line may pass the width
                self.assertEqual(len(line.split()), 1, f"{what}:{n}: {len(line)} columns: {line}")

    def test_every_example_fits(self):
        examples = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
        self.assertGreater(len(examples), 10)
        for path in examples:
            with self.subTest(example=os.path.basename(path)):
                self.assert_fits(plan(path, "--explain"), path)
                # the example price list names lync2013's roles; sfb2019 has no SQL witness
                self.assert_fits(plan(path, "--prices", PRICES, refused="unknown role"), path)

    def test_tables_keep_their_rows(self):
        text = plan("examples/dr-enterprise.ini")
        bom = text.split("Bill of materials\n", 1)[1].split("\n\n", 1)[0].splitlines()
        starts = [l for l in bom if re.match(r"^ +\d+  \S", l)]
        self.assertEqual([re.match(r"^ +\d+  (.+?)  ", l).group(1).strip() for l in starts][:3],
                         ["Front End server", "Back End SQL server", "SQL witness"])
        # the hardware text wraps inside its column: the next line is blank up to it
        i = bom.index(starts[0])
        column = starts[0].index("dual hex-core")
        self.assertEqual(bom[i + 1][:column].strip(), "")
        self.assertTrue(bom[i + 1][column:].startswith(("RPM", "8+", "dual-port")), bom[i + 1])

    def test_money_has_currency_and_thousands(self):
        text = plan("examples/dr-enterprise.ini", "--prices", PRICES)
        self.assertIn("Cost:    USD 276,402.00 (Example figures only: replace with real quotes "
                      "before sending)\n", text)
        self.assertIn("Unit (USD)  Price (USD)", text)
        self.assertRegex(text, r"\n +3  Front End server +.*  12,500\.00    37,500\.00\n")
        self.assertIn("    = 12 servers, 2 appliances, 2 reverse proxies: USD 138,201.00\n", text)
        self.assertIn("  Total: 24 servers, 4 appliances, 4 reverse proxies: USD 276,402.00\n", text)
        alt = plan("--site", "HQ=5000", "--prices", PRICES)
        self.assertRegex(alt, r"meets every requirement, costs USD 83,601\.00\s+more")

    def test_site_names_are_one_token_in_every_section(self):
        # a shortened or numbered site part is the same in server names, the
        # DNS plan and the certificate plan (issue 15)
        for site, token in (("Rotterdam=3000", "rotter-dr"), ("東京=3000", "site2"), ("Zürich=3000", "zurich-dr")):
            with self.subTest(site=site):
                text = plan("--site", site, "--dr-rto", "4h")
                dns = text.split("DNS plan", 1)[1].split("\n\n", 1)[0]
                certs = text.split("Certificate plan", 1)[1].split("\n\n", 1)[0]
                self.assertIn(f"sip-{token}.example.com", dns)
                self.assertIn(f"subject  sip-{token}.example.com", certs)
                self.assertNotIn("sip-.example.com", text)

    def test_unpriced_cost_stays_a_count(self):
        text = plan("examples/dr-enterprise.ini")
        self.assertNotIn("Cost:", text)
        self.assertNotIn("USD", text)


if __name__ == "__main__":
    lptest.main()
