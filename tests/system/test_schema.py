#!/usr/bin/python3
"""The JSON scripts read, against the JSON Schemas in schema/ (draft 2020-12,
Debian's python3-jsonschema: run with /usr/bin/python3): every golden plan,
plans with a price list, overrides and a trace, and a sweep's JSON Lines rows
and breakpoints with and without --prices. Also what a schema cannot say:
every member name is snake_case, and each text figure agrees with the number
beside it (rto "1h5m" with rto_minutes 65). Environment (set by meson):
LYNCPLAN, LP_SOURCE_ROOT."""
import copy
import glob
import json
import os
import re
import unittest

import lptest

jsonschema = lptest.need("jsonschema")

ROOT = lptest.ROOT
PRICES = os.path.join(ROOT, "examples", "prices-example.prices")
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def schema(name):
    with open(os.path.join(ROOT, "schema", name), encoding="utf-8") as f:
        return json.load(f)


def lyncplan(*args):
    return lptest.run_ok(*args, text=True).stdout


def jsonl(*args):
    return [json.loads(line) for line in lyncplan("sweep", "--format", "jsonl", "--quiet", *args).splitlines()]


def members(node, path="$"):
    """Every (path, member name, object) of a JSON document."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, node
            yield from members(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from members(v, f"{path}[{i}]")


def minutes_of(text):
    """'1h5m30s' -> 65.5; 'none' -> None."""
    if text == "none":
        return None
    m = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    assert m and text, text
    h, mi, s = (int(g or 0) for g in m.groups())
    return h * 60 + mi + s / 60


def percent_of(text):
    """'99.9%' or '0.05 points' -> the number."""
    return float(re.fullmatch(r"([0-9.]+)(?:%| points)", text).group(1))


def twins(doc):
    """Every (path, text, number, unit) pair NAME / NAME_minutes|NAME_percent."""
    for path, key, obj in members(doc):
        for unit in ("minutes", "percent"):
            if key.endswith("_" + unit) and key[: -len(unit) - 1] in obj:
                yield f"{path}.{key}", obj[key[: -len(unit) - 1]], obj[key], unit


class Conventions:
    """Checks shared by plans and sweep rows."""

    def assert_conventions(self, doc, where):
        for path, key, _ in members(doc):
            self.assertRegex(key, SNAKE, f"{where}: {path}.{key} is not snake_case")
        n = 0
        for path, text, number, unit in twins(doc):
            n += 1
            if unit == "minutes":
                got = minutes_of(text)
                if number is None or got is None:
                    self.assertEqual((got, number), (None, None), f"{where}: {path}")
                else:
                    # the text is rounded to the second
                    self.assertAlmostEqual(got, number, delta=1 / 120, msg=f"{where}: {path} {text}")
            else:
                self.assertAlmostEqual(percent_of(text), number, delta=0.005, msg=f"{where}: {path} {text}")
        return n


class Schemas(unittest.TestCase):
    def test_the_schemas_are_valid_draft_2020_12(self):
        for name in ("plan.schema.json", "sweep-row.schema.json"):
            s = schema(name)
            self.assertEqual(s["$schema"], "https://json-schema.org/draft/2020-12/schema", name)
            jsonschema.Draft202012Validator.check_schema(s)


class Plans(unittest.TestCase, Conventions):
    @classmethod
    def setUpClass(cls):
        cls.validator = jsonschema.Draft202012Validator(schema("plan.schema.json"))
        cls.goldens = {}
        for path in sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*", "expected.json"))):
            with open(path, encoding="utf-8") as f:
                cls.goldens[os.path.basename(os.path.dirname(path))] = json.load(f)
        cls.priced = json.loads(lyncplan("plan", "examples/two-regions.ini", "--prices", PRICES,
                                         "--format", "json", "--explain", "--set", "front-ends-max=10",
                                         "--persistent-chat"))

    def assert_valid(self, doc, where):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in self.validator.iter_errors(doc)]
        self.assertEqual(errors, [], where)

    def test_every_golden_plan_is_valid(self):
        self.assertGreaterEqual(len(self.goldens), 9)
        for name, doc in self.goldens.items():
            self.assert_valid(doc, name)
            self.assertGreater(self.assert_conventions(doc, name), 20, name)

    def test_a_priced_plan_with_overrides_and_a_trace_is_valid(self):
        doc = self.priced
        self.assert_valid(doc, "priced")
        self.assert_conventions(doc, "priced")
        # the optional members were there to be checked
        self.assertEqual(doc["totals"]["currency"], "USD")
        self.assertIn("cost", doc["sites"][0])
        self.assertGreater(len(doc["trace"]), 0)
        self.assertEqual([o["key"] for o in doc["overrides"]], ["pool-failover-time", "front-ends-max"])
        self.assertEqual(doc["overrides"][0]["value_minutes"], 20)
        self.assertIn("yes-no", {r["unit"] for g in doc["groups"] for r in g["requirements"]})

    def test_scripts_read_inputs_and_roles_without_quoting(self):
        doc = self.goldens["dr-enterprise"]
        self.assertEqual(doc["schema_version"], 2)
        self.assertEqual(doc["inputs"]["dr_rto"], {"key": "dr-rto", "value": "4h", "value_minutes": 240,
                                                   "default": False})
        self.assertEqual(doc["inputs"]["dr_rpo"]["value_minutes"], None)
        self.assertEqual(doc["sites"][0]["roles"][0], {"role": "front-end", "count": 3})
        rto = [r for r in doc["groups"][0]["requirements"] if r["id"] == "rto"][0]
        self.assertEqual((rto["target"], rto["target_minutes"]), ("30m", 30))

    def test_the_schema_refuses_what_it_should(self):
        good = self.goldens["dr-enterprise"]
        broken = {
            "an unknown top-level member": lambda d: d.update(extra=1),
            "no schema_version": lambda d: d.pop("schema_version"),
            "another schema_version": lambda d: d.update(schema_version=1),
            "a step as a string": lambda d: d["resilience"][0]["failures"][0].update(steps=["Rebuild it"]),
            "a step without restores_service":
                lambda d: d["resilience"][0]["failures"][0]["steps"][0].pop("restores_service"),
            "a step with its minutes as text":
                lambda d: d["resilience"][0]["failures"][0]["steps"][0].update(minutes="5m"),
            "response without its minutes":
                lambda d: [f.pop("response_minutes") for f in d["resilience"][0]["failures"] if "response" in f],
            "a data class with a loss and no minutes":
                lambda d: [c.pop("loss_minutes") for c in d["data_classes"] if "loss" in c],
            "roles keyed by id": lambda d: d["sites"][0].update(roles={"front-end": 3}),
            "a role with a count of 0": lambda d: d["sites"][0]["roles"][0].update(count=0),
            "an extra member in a role": lambda d: d["sites"][0]["roles"][0].update(name="x"),
            "a kebab-case input": lambda d: d["inputs"].update({"dr-rto": d["inputs"].pop("dr_rto")}),
            "a duration without its minutes": lambda d: d["inputs"]["rto"].pop("value_minutes"),
            "a duration as a number": lambda d: d["groups"][0]["requirements"][0].update(target=30),
            "a malformed duration": lambda d: d["resilience"][0]["failures"][0].update(rto="5 min"),
            "an extra member in a requirement":
                lambda d: d["groups"][0]["requirements"][0].update(target_percent=1),
            "a requirement without best_achievable_by":
                lambda d: d["groups"][0]["requirements"][0].pop("best_achievable_by"),
            "overrides as a map": lambda d: d.update(overrides={}),
            "caveats keyed by edition": lambda d: d.update(caveats={"enterprise": []}),
            "an SRV record without a weight": lambda d: [r.pop("weight") for r in d["dns"]["records"]
                                                          if r["type"] == "SRV"],
        }
        for what, change in broken.items():
            doc = copy.deepcopy(good)
            change(doc)
            self.assertFalse(self.validator.is_valid(doc), what)


class RecoveryFigures(unittest.TestCase):
    """Every failure row of every example: its time is its response time (manual
    rows) plus the steps that restore service, and the requirement checks use
    the same figures."""

    @classmethod
    def setUpClass(cls):
        cls.plans = {}
        for path in sorted(glob.glob(os.path.join(ROOT, "tests", "golden", "*", "expected.json"))):
            with open(path) as f:
                cls.plans[os.path.basename(os.path.dirname(path))] = json.load(f)

    def rows(self):
        for name, doc in self.plans.items():
            for site in doc["resilience"]:
                for row in site["failures"]:
                    yield name, site, row

    def test_each_row_is_response_plus_its_service_restoring_steps(self):
        n = 0
        for name, site, row in self.rows():
            where = f"{name}, site {site['site']}, {row['id']}"
            response = 0 if row["automatic"] else row["response_minutes"]
            restoring = sum(s["minutes"] for s in row["steps"] if s["restores_service"])
            if "services" in row:
                # a critical path (issue 23): the latest class of service in dr-scope,
                # no more than every step in a row
                scoped = [s["back_minutes"] for s in row["services"] if s["in_dr_scope"]]
                self.assertAlmostEqual(row["rto_minutes"], max(scoped), msg=where)
                self.assertLessEqual(row["rto_minutes"], response + restoring, where)
            else:
                self.assertAlmostEqual(row["rto_minutes"], response + restoring, msg=where)
            self.assertEqual("response" in row, not row["automatic"], where)
            n += 1
        self.assertGreater(n, 100)

    def test_the_checks_use_the_rows_figures(self):
        for name, doc in self.plans.items():
            sites = {s["site"]: s for s in doc["resilience"]}
            for g in doc["groups"]:
                rows = [r for s in g["sites"] if s in sites for r in sites[s]["failures"]]
                if not rows:
                    continue
                worst = {scope: max(r["rto_minutes"] for r in rows if r["scope"] == scope)
                         for scope in ("component", "site")}
                self.assertEqual(g["server_failure"]["rto_minutes"], worst["component"], name)
                self.assertEqual(g["site_loss"]["rto_minutes"], worst["site"], name)
                for req in g["requirements"]:
                    figure = {"rto": "component", "dr-rto": "site"}.get(req["id"])
                    if figure:
                        self.assertEqual(req["achieved_minutes"], worst[figure], f"{name}, {req['id']}")

    def test_microsofts_figures(self):
        doc = self.plans["dr-enterprise"]
        rows = {r["id"]: r for r in doc["resilience"][0]["failures"]}
        site = rows["site-failover"]
        minutes = {s["text"].split(":")[0]: s["minutes"] for s in site["steps"]}
        # L13-CMS: 5 minutes; L13-RTO: 30 minutes for the pool failover
        self.assertEqual(minutes["If the Central Management Store was there"], 5)
        self.assertEqual(minutes["Fail every pool of the site over"], 30)
        self.assertEqual(site["response_minutes"], 30)
        # the Edge next hop, federation route, Response Groups and GeoDNS are in the time
        texts = " ".join(s["text"] for s in site["steps"] if s["restores_service"])
        for word in ("Set-CsEdgeServer", "federation route", "Import-CsRgsConfiguration", "GeoDNS"):
            self.assertIn(word, texts)
        # L13-POOL-UX: failback up to 60 minutes for a pool of 20,000 users, a row of its own
        failback = rows["failback"]
        self.assertEqual(failback["scope"], "planned")
        self.assertEqual(failback["steps"][0]["minutes"], 60)
        self.assertNotIn("Invoke-CsPoolFailback", " ".join(s["text"] for s in site["steps"]))
        # L13-BE: automatic Back End failover in 5 minutes
        self.assertEqual(rows["back-end"]["rto_minutes"], 5)
        # data classes beside the checks: daily RGS/LIS exports, file store backups every 4-8 h
        classes = {c["id"]: c for c in doc["data_classes"]}
        self.assertTrue(classes["user"]["in_rpo_checks"])
        self.assertEqual(classes["configuration"]["loss_minutes"], 24 * 60)
        self.assertGreater(classes["file-store"]["loss_minutes"], 0)
        self.assertLessEqual(classes["file-store"]["loss_minutes"], 8 * 60)

    def test_dns_plan(self):
        for name, doc in self.plans.items():
            records = doc["dns"]["records"]
            if not doc["dns"]["needed"]:
                continue
            # one meet name per SIP domain, one dialin name for the organization
            # (each in internal and external DNS, at every reverse proxy)
            names = {r["name"] for r in records}
            self.assertLessEqual(len([n for n in names if n.startswith("meet.")]),
                                 len(doc["dns"]["sip_domains"]), name)
            self.assertLessEqual(len([n for n in names if n.startswith("dialin.")]), 1, name)
            by = {}
            for r in records:
                if r["type"] == "SRV":
                    by.setdefault((r["name"], r["priority"]), []).append(r["weight"])
            for key, weights in by.items():
                self.assertEqual(sum(weights), 100, f"{name}: {key}")
            if any(r["name"].startswith("_sip._tls.") for r in records):
                fed = [r for r in records if r["name"].startswith("_sipfederationtls._tcp.")]
                self.assertEqual([r["port"] for r in fed], [5061], name)


class PoolCapacity(unittest.TestCase):
    """pools[]: every pool with what it carries, in normal running and with one server
    down, from the rule set's [role] capacity (issues 23 and 25)."""

    @classmethod
    def setUpClass(cls):
        cls.validator = jsonschema.Draft202012Validator(schema("plan.schema.json"))
        import configparser
        cls.rules = {}
        for product in ("lync2013", "sfb2019"):
            r = configparser.ConfigParser(interpolation=None, strict=True)
            r.read(os.path.join(ROOT, "rules", f"{product}.rules"))
            cls.rules[product] = r

    def const(self, name, product="lync2013"):
        return float(self.rules[product][f"constant {name}"]["value"])

    def plan(self, *args):
        doc = json.loads(lyncplan("plan", *args, "--format", "json"))
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in self.validator.iter_errors(doc)]
        self.assertEqual(errors, [], args)
        return {p["name"]: p for p in doc["pools"]}, doc

    def test_every_pool_node_of_a_pool_role_is_listed(self):
        pools, doc = self.plan("examples/dr-enterprise-pchat.ini")
        nodes = {n["id"] for n in doc["topology"]["pools"]}
        self.assertLessEqual({p["node"] for p in pools.values()}, nodes)
        self.assertEqual({p["role"] for p in pools.values()},
                         {"front-end", "edge", "office-web-apps", "persistent-chat"})

    def test_servers_times_what_one_carries(self):
        pools, _ = self.plan("examples/dr-enterprise-pchat.ini")
        edge = pools["edgepool-hq"]
        per = self.const("users-per-edge")
        self.assertEqual(edge["capacity"], {"unit": "remote users", "normal": edge["servers"] * per,
                                            "one_server_down": (edge["servers"] - 1) * per,
                                            "one_server_down_by": "other-servers",
                                            "standby_servers": 0, "capped": False})
        # Microsoft publishes no Office Web Apps / Office Online Server figure: none
        self.assertIsNone(pools["officewebapps-hq"]["capacity"])

    def test_persistent_chat_active_and_standby(self):
        # L13-PC, SFB-PC-TOPO: 20,000 concurrent users an active server; with DR the
        # idle servers wait at the other site and carry none until activated
        pools, _ = self.plan("examples/dr-enterprise-pchat.ini")
        per = self.const("users-per-pchat-server")
        home, other = pools["pchatpool-hq"], pools["pchatpool-hq-dr"]
        self.assertEqual((home["capacity"]["normal"], home["capacity"]["one_server_down"]),
                         (home["servers"] * per, (home["servers"] - 1) * per))
        self.assertEqual(other["capacity"]["standby_servers"], other["servers"])
        self.assertEqual((other["capacity"]["normal"], other["capacity"]["one_server_down"]), (0, 0))
        # without DR the idle servers stand by beside the active ones
        pools, _ = self.plan("--site", "HQ=30000", "--rto", "30m", "--persistent-chat")
        pc = pools["pchatpool-hq"]["capacity"]
        self.assertEqual(pc["standby_servers"], pools["pchatpool-hq"]["servers"] // 2)
        self.assertEqual(pc["normal"], (pools["pchatpool-hq"]["servers"] - pc["standby_servers"]) * per)

    def test_standard_edition_after_a_server_is_lost(self):
        for product in ("lync2013", "sfb2019"):
            # a pair: the survivor carries both servers' users (se-users-failover)
            pools, _ = self.plan("--product", product, "--site", "HQ=4000", "--rto", "4h",
                                 "--dr-rto", "4h")
            se = [p for p in pools.values() if p["role"] == "standard-edition"]
            self.assertEqual(len(se), 4, product)
            for p in se:
                self.assertEqual((p["capacity"]["normal"], p["capacity"]["one_server_down"],
                                  p["capacity"]["one_server_down_by"]),
                                 (self.const("se-users-per-server", product),
                                  self.const("se-users-failover", product), "failover"), product)
                self.assertIsNotNone(p["backup"])
        # one server, no partner: nothing carries its users, and it says so
        pools, doc = self.plan("--site", "HQ=1000", "--rto", "2d", "--rpo", "2d", "--sla", "99")
        self.assertEqual(doc["design"], "standard-single")
        se = pools["se01-hq"]["capacity"]
        self.assertEqual((se["one_server_down"], se["one_server_down_by"]), (0, "none"))


class SweepRows(unittest.TestCase, Conventions):
    @classmethod
    def setUpClass(cls):
        cls.validator = jsonschema.Draft202012Validator(schema("sweep-row.schema.json"))
        base = ["--site", "HQ=5000", "--site", "LON=2000"]
        vary = ["--vary", "users@HQ=0..40000/10000", "--vary", "rto=15m,4h", "--vary", "dr-rto=none,4h",
                "--vary", "sla=99.9,99.99", "--vary", "edition=auto,standard"]
        cls.runs = {
            "rows": jsonl(*base, *vary),
            "rows, priced": jsonl(*base, *vary, "--prices", PRICES),
            "rows, constants": jsonl("--site", "HQ=5000", "--vary", "pool-failover-time=10m,2h",
                                     "--vary", "remote-percent@HQ=10,60", "--vary", "persistent-chat=false,true"),
            "breakpoints": jsonl(*base, *vary, "--breakpoints"),
            "breakpoints, priced": jsonl(*base, *vary, "--breakpoints", "--prices", PRICES),
            "breakpoints on a duration": jsonl("--site", "HQ=5000", "--vary", "rto=0m..4h/15m",
                                               "--vary", "users=1000,40000", "--breakpoints"),
            "breakpoints on a percentage": jsonl("--site", "HQ=5000", "--vary", "sla=99..99.999/0.001",
                                                 "--breakpoints"),
            "breakpoints on the design, priced": jsonl(*base, *vary, "--breakpoints=design",
                                                       "--prices", PRICES),
            "breakpoints on the edition": jsonl(*base, *vary, "--breakpoints=edition"),
            "rows per site": jsonl(*base, *vary, "--per-site"),
            "breakpoints per site": jsonl(*base, *vary, "--breakpoints=design", "--per-site"),
        }

    def test_every_line_is_valid(self):
        for what, lines in self.runs.items():
            self.assertGreater(len(lines), 1, what)
            for i, doc in enumerate(lines):
                errors = [f"{list(e.absolute_path)}: {e.message}" for e in self.validator.iter_errors(doc)]
                self.assertEqual(errors, [], f"{what}, line {i + 1}")
                self.assert_conventions(doc, f"{what}, line {i + 1}")

    def test_rows_and_breakpoints_are_told_apart(self):
        for what, lines in self.runs.items():
            self.assertEqual({"axis" in doc for doc in lines}, {what.startswith("breakpoints")}, what)
        self.assertTrue(all("cost" in doc for doc in self.runs["rows, priced"]))
        self.assertFalse(any("cost" in doc for doc in self.runs["rows"]))

    def test_inputs_are_a_list_with_their_minutes(self):
        row = self.runs["rows"][0]
        self.assertEqual(row["schema_version"], 2)
        self.assertEqual(row["inputs"][:3], [{"key": "users@HQ", "value": "0"},
                                             {"key": "rto", "value": "15m", "value_minutes": 15},
                                             {"key": "dr-rto", "value": "none", "value_minutes": None}])
        self.assertEqual(row["inputs"][3], {"key": "sla", "value": "99.9%", "value_percent": 99.9})
        first = self.runs["breakpoints on a duration"][0]
        self.assertEqual((first["axis"], first["from"], first["from_minutes"]), ("rto", "0m", 0))
        self.assertIn("from_percent", self.runs["breakpoints on a percentage"][0])

    def test_the_schema_refuses_what_it_should(self):
        row, bp = self.runs["rows"][0], self.runs["breakpoints"][0]
        broken = {
            "inputs keyed by id": (row, lambda d: d.update(inputs={"rto": "15m"})),
            "roles keyed by id": (row, lambda d: d.update(roles={"edge": 2})),
            "an unknown member": (row, lambda d: d.update(extra=True)),
            "no schema_version": (row, lambda d: d.pop("schema_version")),
            "minutes beside a text that is no duration":
                (row, lambda d: d["inputs"][0].update(value_minutes=5)),
            "a breakpoint with roles": (bp, lambda d: d.update(roles=[])),
            "a breakpoint without to": (bp, lambda d: d.pop("to")),
        }
        for what, (good, change) in broken.items():
            doc = copy.deepcopy(good)
            change(doc)
            self.assertFalse(self.validator.is_valid(doc), what)


if __name__ == "__main__":
    lptest.main()
