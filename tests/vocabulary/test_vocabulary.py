#!/usr/bin/python3
"""A rule set's [input] groups are the scenario's vocabulary: an input added
to a copy of the rule file (tests/vocabulary/test-voice.input) is a scenario key,
a flag, a sweep axis and a row of every output's inputs, with no C change.
Prints TAP."""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile

import openpyxl

LYNCPLAN = os.environ["LYNCPLAN"]
ROOT = os.environ["LP_SOURCE_ROOT"]
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
    r = subprocess.run([LYNCPLAN, *args], capture_output=True, timeout=60)
    if r.returncode not in ok:
        raise AssertionError(f"{args}: exit {r.returncode}: {r.stderr.decode()}")
    return r.stdout.decode()


def text_input(report, key):
    for line in report.splitlines():
        parts = line.split()
        if line.startswith("  ") and parts and parts[0] == key:
            return parts[1:]
    return None


def main():
    results = []
    with tempfile.TemporaryDirectory() as d:
        rules = rules_with_test_voice(d)
        sc = os.path.join(d, "s.ini")
        with open(sc, "w") as f:
            f.write("[scenario]\ntest-voice = true\n[site HQ]\nusers = 5000\n")

        def check(name, cond):
            results.append((name, bool(cond)))

        report = run("plan", sc, "--rules-dir", rules)
        check("a scenario file sets it; the text report shows it", text_input(report, "test-voice") == ["yes"])
        plain = run("plan", "--site", "HQ=5000", "--rules-dir", rules)
        check("its default is shown, marked as a default", text_input(plain, "test-voice") == ["no", "*"])
        flag = run("plan", "--site", "HQ=5000", "--test-voice", "--rules-dir", rules)
        check("--test-voice sets it", text_input(flag, "test-voice") == ["yes"])
        off = run("plan", sc, "--no-test-voice", "--rules-dir", rules)
        check("--no-test-voice overrides the file", text_input(off, "test-voice") == ["no"])
        j = json.loads(run("plan", sc, "--format", "json", "--rules-dir", rules))
        check("JSON inputs.test_voice", j["inputs"].get("test_voice") == {"key": "test-voice", "value": True, "default": False})
        import jsonschema
        with open(os.path.join(ROOT, "schema", "plan.schema.json")) as f:
            schema = json.load(f)
        check("the plan schema takes a rule set's own inputs",
              not list(jsonschema.Draft202012Validator(schema).iter_errors(j)))
        book = os.path.join(d, "plan.xlsx")
        run("plan", sc, "--xlsx", book, "-o", os.path.join(d, "plan.txt"), "--rules-dir", rules)
        ws = openpyxl.load_workbook(book)["Summary"]
        rows = [(r[0].value, r[1].value) for r in ws.iter_rows(max_col=2)]
        check("the workbook's Summary lists it", ("test-voice", "yes") in rows)
        sweep = run("sweep", sc, "--vary", "test-voice=true,false", "--rules-dir", rules)
        table = list(csv.reader(io.StringIO(sweep)))
        check("--vary test-voice is an axis", table[0][0] == "test-voice" and [r[0] for r in table[1:]] == ["true", "false"])
        jl = [json.loads(l) for l in run("sweep", sc, "--vary", "test-voice=false", "--format", "jsonl",
                                           "--rules-dir", rules).splitlines()]
        check("a JSON Lines row names it", jl[0]["inputs"][0]["key"] == "test-voice")
        check("--help lists --test-voice", "--test-voice" in run("plan", "--help", "--rules-dir", rules))
        r = subprocess.run([LYNCPLAN, "plan", sc, "--test-voice=perhaps", "--rules-dir", rules],
                           capture_output=True, timeout=60)
        check("a bad value is refused like any switch's", r.returncode == 2 and b"--test-voice=perhaps" in r.stderr)
        r = subprocess.run([LYNCPLAN, "plan", sc], capture_output=True, timeout=60)
        check("without the input, the key is unknown", r.returncode == 2 and b"test-voice: unknown key" in r.stderr)
    print(f"1..{len(results)}")
    for i, (name, ok) in enumerate(results, 1):
        print(f"{'ok' if ok else 'not ok'} {i} {name}")
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
