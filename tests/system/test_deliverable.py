#!/usr/bin/python3
"""The workbook as a deliverable that goes out unedited (issue 25): how it
prints (paper, one page wide, header rows repeated, title, customer, date
and page numbers on every page), whom it is for, and customer words only.

Run with /usr/bin/python3 (Debian's python3-openpyxl). Environment (set by
meson): LYNCPLAN, the binary; LP_SOURCE_ROOT, the tree.
"""
import glob
import os
import re
import unittest

import lptest

openpyxl = lptest.need("openpyxl")

ROOT = lptest.ROOT
EXAMPLE = os.path.join(ROOT, "examples", "shared-edge-voice.ini")
A4, LETTER = 9, 1  # OOXML paperSize codes


def plan(*args, scenario=None):
    """Writes the workbook of a plan; returns (openpyxl workbook, process)."""
    tmp = lptest.mkdtemp()
    out = os.path.join(tmp, "plan.xlsx")
    argv = ["plan"]
    if scenario is not None:
        path = os.path.join(tmp, "scenario.ini")
        with open(path, "w", encoding="utf-8") as f:
            f.write(scenario)
        argv.append(path)
    p = lptest.run(*argv, *args, "--xlsx", out, "-o", os.path.join(tmp, "plan.txt"), text=True,
                   env={"SOURCE_DATE_EPOCH": "1764892800"})
    if p.returncode not in (0, 3):
        raise AssertionError(f"exit {p.returncode}: {p.stderr}")
    return openpyxl.load_workbook(out), p


class Print(unittest.TestCase):
    def check_pages(self, wb, paper):
        for ws in wb:
            with self.subTest(sheet=ws.title):
                ps = ws.page_setup
                self.assertEqual(int(ps.paperSize), paper)
                self.assertEqual(ps.orientation, "landscape")
                self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
                # one page wide (openpyxl reads an absent fitToWidth as None: 1)
                self.assertIn(ps.fitToWidth, (None, 1))
                if ws.title != "Diagram":
                    self.assertEqual(ps.fitToHeight, 0, "as many pages tall as it takes")
                self.assertEqual(ws.oddFooter.center.text, "Page &P of &N")
                self.assertEqual(ws.oddFooter.left.text, "2025-12-05")
                self.assertEqual(ws.oddFooter.right.text, "&A")
                self.assertEqual(ws.oddHeader.left.text, "Shared Edge and voice")
                if ws.max_row > 1 and ws.title not in ("Summary", "Diagram"):
                    self.assertEqual(ws.print_title_rows, "$1:$1", "the header row repeats")

    def test_a4_by_default(self):
        wb, _ = plan(EXAMPLE, "--customer", "Contoso & Partners")
        self.check_pages(wb, A4)
        self.assertEqual(wb["Summary"].oddHeader.right.text, "Prepared for Contoso && Partners")

    def test_long_names_cut_to_fit_a_header(self):
        wb, _ = plan(EXAMPLE, "--customer", "R&D " * 60)
        right = wb["Summary"].oddHeader.right.text
        self.assertTrue(right.startswith("Prepared for R&&D R&&D"), right)
        self.assertTrue(right.endswith("..."), right)

    def test_letter_by_flag_and_by_key(self):
        wb, _ = plan(EXAMPLE, "--paper", "letter")
        self.check_pages(wb, LETTER)
        with open(EXAMPLE, encoding="utf-8") as f:
            text = f.read().replace("[scenario]\n", "[scenario]\npaper = letter\n", 1)
        wb, _ = plan(scenario=text)
        self.check_pages(wb, LETTER)
        wb, _ = plan("--paper", "a4", scenario=text)  # the flag overrides the file
        self.check_pages(wb, A4)


def summary_pairs(wb):
    ws = wb["Summary"]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] and r[1]}


class Cover(unittest.TestCase):
    def test_prepared_for_and_by(self):
        wb, _ = plan(EXAMPLE, "--customer", "Contoso", "--company", "Fabrikam Consulting")
        pairs = summary_pairs(wb)
        self.assertEqual(pairs["Prepared for"], "Contoso")
        self.assertEqual(pairs["Prepared by"], "Fabrikam Consulting")

    def test_placeholder_sip_domain_said(self):
        wb, _ = plan(EXAMPLE)
        self.assertIn("example.com: a placeholder", summary_pairs(wb)["SIP domain"])
        wb, _ = plan(EXAMPLE, "--sip-domain", "contoso.com,fabrikam.com")
        self.assertEqual(summary_pairs(wb)["SIP domains"], "contoso.com, fabrikam.com")


def vocabulary():
    """Every rule set's citation ids ([sources] keys) and input keys, and the
    fixed [scenario] and [site NAME] keys (from `lyncplan plan --help`)."""
    ids, keys, group = set(), set(), None
    for path in glob.glob(os.path.join(ROOT, "rules", "*.rules")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"\[(.*)\]\s*$", line)
                if m:
                    group = m.group(1)
                    if group.startswith("input "):
                        keys.add(group[6:].strip())
                    continue
                m = re.match(r"([A-Za-z0-9][A-Za-z0-9_-]*)\s*=", line)
                if m and group == "sources":
                    ids.add(m.group(1))
    help_text = lptest.run("plan", "--help", text=True).stdout
    flat = " ".join(help_text.split())
    listed = re.findall(r"\(([^()]*)\)", flat[flat.index("SCENARIO.ini holds"):])[:2]
    for words in listed:
        keys.update(w.strip() for w in words.split(",") if re.fullmatch(r"[a-z][a-z-]*", w.strip()))
    return ids, keys


class CustomerWords(unittest.TestCase):
    """No rule citation id, `KEY = VALUE` or `(KEY)` in any cell outside the
    Sources sheet, over every example's workbook (and the Persistent Chat one)."""

    def test_every_example(self):
        ids, keys = vocabulary()
        self.assertIn("SFB-MED", ids)
        self.assertIn("pstn-calls", keys)
        self.assertIn("dr-site", keys)
        id_re = re.compile(r"(?<![\w-])(%s)(?![\w-])" % "|".join(map(re.escape, sorted(ids))))
        key_alt = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
        key_re = re.compile(r"\((%s)\)|(?<![\w-])(%s) = " % (key_alt, key_alt))
        runs = [[p] for p in sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))]
        runs.append([EXAMPLE, "--persistent-chat"])
        for args in runs:
            wb, _ = plan(*args)
            self.assertIn("Sources", wb.sheetnames)
            for ws in wb:
                if ws.title == "Sources":
                    continue
                for row in ws.iter_rows():
                    for c in row:
                        if not isinstance(c.value, str):
                            continue
                        where = f"{os.path.basename(args[0])} {ws.title}!{c.coordinate}: {c.value!r}"
                        self.assertIsNone(id_re.search(c.value), where)
                        self.assertIsNone(key_re.search(c.value), where)

    def test_sources_by_title_and_appendix(self):
        wb, _ = plan(EXAMPLE)
        cited = {r[0]: r[1] for r in wb["Sources"].iter_rows(min_row=2, values_only=True) if r[0]}
        self.assertTrue(cited, "the Sources sheet lists what the sheets cite")
        certs = [" ".join(r[6].split())
                 for r in wb["Certificates"].iter_rows(min_row=2, values_only=True) if r[6]]
        # a certificate's source by its document's title, the appendix has it whole
        self.assertTrue(any(" ".join(text.split()).startswith(certs[0].split("; ")[0])
                            for text in cited.values()), certs[0])

    def test_text_report_keeps_citations(self):
        p = lptest.run("plan", EXAMPLE, text=True)
        self.assertIn("(SFB-MED)", p.stdout)


class Unmet(unittest.TestCase):
    """Persistent Chat asked of Subscription Edition: one clear unmet
    requirement, where, and what would meet it; exit status 3."""

    def test_text_says_which_where_and_remedies(self):
        p = lptest.run("plan", EXAMPLE, "--persistent-chat", text=True)
        self.assertEqual(p.returncode, 3)
        self.assertEqual(p.stderr, "", "a plan read on a terminal needs no warning")
        text = " ".join(p.stdout.split())
        self.assertIn("Verdict: meets every requirement the product can meet; 1 it cannot", text)
        self.assertIn("Not possible with Skype for Business Server Subscription Edition", text)
        self.assertIn("asked at New York + London, Singapore, Boston, Leeds", text)
        self.assertIn("Remedy: drop the requirement", text)
        self.assertRegex(text, r"plan with sfb2015 \(Skype for Business Server 2015\), whose rule set "
                               r"supports it: out of support: extended support ended on 14 October 2025")
        self.assertNotIn("plan with sfb2019", text, "2019 removed Persistent Chat")
        self.assertNotIn("NO DESIGN MEETS", text)

    def test_written_to_files_says_so_on_stderr(self):
        wb, p = plan(EXAMPLE, "--persistent-chat")
        self.assertEqual(p.returncode, 3)
        self.assertIn("lyncplan: warning: the plan misses what Skype for Business Server "
                      "Subscription Edition cannot provide: Persistent Chat", p.stderr)
        pairs = summary_pairs(wb)
        unmet = " ".join(pairs["Not possible with this product"].split())
        self.assertIn("To meet it: drop the requirement; or plan with lync2013", unmet)
        # the support status by its policy's name; its address is not the customer's to read
        self.assertIn("ended on 14 October 2025 (Microsoft Lifecycle Policy)", unmet)
        self.assertNotIn("learn.microsoft.com", unmet)
        self.assertTrue(" ".join(pairs["Verdict"].split()).startswith(
            "meets every requirement the product can meet"), pairs["Verdict"])
        # said once, not once per branch
        rows = [r for r in wb["Summary"].iter_rows(values_only=True)
                if r[1] and str(r[1]).startswith("Persistent Chat") and r[4]]
        self.assertEqual(len(rows), 1, rows)


class SilentAcceptances(unittest.TestCase):
    """An input set where it takes no effect is warned about on standard
    error, once per site that sets it: pstn-calls without voice,
    persistent-chat-compliance without persistent-chat, survivable on a
    central site. The plan is made as before (exit 0)."""

    SCENARIO = ("[scenario]\nname = warnings\n{scenario}\n[site HQ]\nusers = 5000\n{hq}\n"
                "[site Shop]\nusers = 200\nkind = branch\nhome = HQ\nsurvivable = sba\n")

    def stderr(self, *args, scenario="", hq=""):
        with lptest.tmpdir() as tmp:
            path = os.path.join(tmp, "scenario.ini")
            with open(path, "w", encoding="utf-8") as f:
                f.write(self.SCENARIO.format(scenario=scenario, hq=hq))
            p = lptest.run("plan", path, *args, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stderr.splitlines()

    def test_pstn_calls_without_voice(self):
        self.assertEqual(self.stderr(hq="pstn-calls = 400"),
                         ["lyncplan: warning: site HQ: pstn-calls is ignored: voice is off there, "
                          "so it has no Mediation Server"])
        self.assertEqual(self.stderr("--voice", hq="pstn-calls = 400"), [])

    def test_compliance_without_persistent_chat(self):
        self.assertEqual(self.stderr(scenario="persistent-chat-compliance = true"),
                         ["lyncplan: warning: persistent-chat-compliance is ignored: "
                          "persistent-chat is off"])
        self.assertEqual(self.stderr("--persistent-chat",
                                     scenario="persistent-chat-compliance = true"), [])

    def test_survivable_on_a_central_site(self):
        # the branch's own survivable = sba is what the key is for: no warning for Shop
        self.assertEqual(self.stderr(hq="survivable = sbs"),
                         ["lyncplan: warning: site HQ: survivable is ignored: a Survivable Branch "
                          "Appliance or Server is for a branch site, and this is a central site"])
        self.assertEqual(self.stderr(), [])


if __name__ == "__main__":
    lptest.main()
