#!/usr/bin/python3
"""A rule set's [input] groups are the scenario's vocabulary: an input added
to a copy of the rule file (tests/system/test-voice.input) is a scenario key,
a flag, a sweep axis and a row of every output's inputs, with no C change."""
import csv
import io
import json
import os
import shutil
import unittest

import lptest

openpyxl = lptest.need("openpyxl")

ROOT = lptest.ROOT
HERE = os.path.dirname(os.path.abspath(__file__))


def rules_with_test_voice(d):
    os.mkdir(os.path.join(d, "rules"))
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(d, "templates"))
    with open(os.path.join(ROOT, "rules", "lync2013.rules")) as f:
        text = f.read()
    with open(os.path.join(HERE, "test-voice.input")) as f:
        text += "\n" + f.read()
    with open(os.path.join(d, "rules", "lync2013.rules"), "w") as f:
        f.write(text)
    return os.path.join(d, "rules")


def run(*args, ok=(0,)):
    return lptest.run_ok(*args, ok=ok, timeout=60).stdout.decode()


def text_input(report, key):
    for line in report.splitlines():
        parts = line.split()
        if line.startswith("  ") and parts and parts[0] == key:
            return parts[1:]
    return None


class TestVoice(unittest.TestCase):
    """test-voice, a yes/no input the copied rule file adds, in every place an
    input shows."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = lptest.mkdtemp()
        cls.rules = rules_with_test_voice(cls.tmp)
        cls.sc = os.path.join(cls.tmp, "s.ini")
        with open(cls.sc, "w") as f:
            f.write("[scenario]\ntest-voice = true\n[site HQ]\nusers = 5000\n")

    def plan(self, *args, **kw):
        return run("plan", *args, "--rules-dir", self.rules, **kw)

    def test_scenario_file_sets_it_and_the_report_shows_it(self):
        self.assertEqual(text_input(self.plan(self.sc), "test-voice"), ["yes"])

    def test_its_default_is_shown_marked_as_a_default(self):
        self.assertEqual(text_input(self.plan("--site", "HQ=5000"), "test-voice"), ["no", "*"])

    def test_flag_sets_it(self):
        flag = self.plan("--site", "HQ=5000", "--test-voice")
        self.assertEqual(text_input(flag, "test-voice"), ["yes"])

    def test_no_flag_overrides_the_file(self):
        self.assertEqual(text_input(self.plan(self.sc, "--no-test-voice"), "test-voice"), ["no"])

    def test_json_inputs_test_voice(self):
        j = json.loads(self.plan(self.sc, "--format", "json"))
        self.assertEqual(j["inputs"].get("test_voice"),
                         {"key": "test-voice", "value": True, "default": False})

    def test_the_plan_schema_takes_a_rule_sets_own_inputs(self):
        j = json.loads(self.plan(self.sc, "--format", "json"))
        jsonschema = lptest.need("jsonschema")
        with open(os.path.join(ROOT, "schema", "plan.schema.json")) as f:
            schema = json.load(f)
        self.assertEqual(list(jsonschema.Draft202012Validator(schema).iter_errors(j)), [])

    def test_the_workbooks_summary_lists_it(self):
        book = os.path.join(self.tmp, "plan.xlsx")
        self.plan(self.sc, "--xlsx", book, "-o", os.path.join(self.tmp, "plan.txt"))
        ws = openpyxl.load_workbook(book)["Summary"]
        rows = [(r[0].value, r[1].value) for r in ws.iter_rows(max_col=2)]
        self.assertIn(("test-voice", "yes"), rows)

    def test_vary_test_voice_is_an_axis(self):
        sweep = run("sweep", self.sc, "--vary", "test-voice=true,false", "--rules-dir", self.rules)
        table = list(csv.reader(io.StringIO(sweep)))
        self.assertEqual(table[0][0], "test-voice")
        self.assertEqual([r[0] for r in table[1:]], ["true", "false"])

    def test_a_json_lines_row_names_it(self):
        jl = [json.loads(l) for l in run("sweep", self.sc, "--vary", "test-voice=false", "--format",
                                         "jsonl", "--rules-dir", self.rules).splitlines()]
        self.assertEqual(jl[0]["inputs"][0]["key"], "test-voice")

    def test_help_lists_the_flag(self):
        self.assertIn("--test-voice", self.plan("--help"))

    def test_a_bad_value_is_refused_like_any_switchs(self):
        r = lptest.run("plan", self.sc, "--test-voice=perhaps", "--rules-dir", self.rules,
                       timeout=60)
        self.assertEqual(r.returncode, 2, lptest.shown(r))
        self.assertIn(b"--test-voice=perhaps", r.stderr)

    def test_without_the_input_the_key_is_unknown(self):
        r = lptest.run("plan", self.sc, timeout=60)
        self.assertEqual(r.returncode, 2, lptest.shown(r))
        self.assertIn(b"test-voice: unknown key", r.stderr)


if __name__ == "__main__":
    lptest.main()
