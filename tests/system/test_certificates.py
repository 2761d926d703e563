#!/usr/bin/python3
"""The certificate and firewall plans (issue 15): the DR example's rows the
issue lists, pinned; several SIP domains; the CSV tables. Environment (set
by meson): LYNCPLAN, LP_SOURCE_ROOT."""
import csv
import io
import json
import os
import unittest

import lptest

ROOT = lptest.ROOT
DR = os.path.join(ROOT, "examples", "dr-enterprise.ini")


def lyncplan(*args, code=0):
    return lptest.run_ok(*args, ok=(code,))


def plan_json(*args):
    return json.loads(lyncplan("plan", *args, "--format", "json").stdout)


def certificate(doc, cid, site):
    rows = [c for c in doc["certificates"] if c["id"] == cid and c["site"] == site]
    assert len(rows) == 1, (cid, site, rows)
    return rows[0]


class DrExample(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = plan_json(DR, "--sip-domain", "contoso.com")

    def test_front_end_pool(self):
        c = certificate(self.doc, "front-end", "HQ")
        self.assertEqual(c["subject"], "pool01-hq.contoso.com")
        self.assertEqual(c["issuer"], "internal")
        self.assertEqual(c["subject_alternative_names"], [
            "pool01-hq.contoso.com", "fe01-hq.contoso.com", "fe02-hq.contoso.com",
            "fe03-hq.contoso.com", "sip.contoso.com", "pool01-hq-webint.contoso.com",
            "pool01-hq.lyncweb.contoso.com", "meet.contoso.com", "dialin.contoso.com",
            "admin.contoso.com", "lyncdiscoverinternal.contoso.com", "lyncdiscover.contoso.com"])
        self.assertEqual(certificate(self.doc, "front-end", "HQ-DR")["subject"],
                         "pool01-hq-dr.contoso.com")

    def test_edge(self):
        internal = certificate(self.doc, "edge-internal", "HQ")
        self.assertEqual((internal["subject"], internal["subject_alternative_names"],
                          internal["issuer"]), ("edgepool-hq.contoso.com", [], "internal"))
        self.assertIn("no auto-enrolment", internal["note"])
        external = certificate(self.doc, "edge-external", "HQ")
        self.assertEqual(external["issuer"], "public")
        self.assertEqual(external["subject_alternative_names"],
                         ["sip-hq.contoso.com", "webcon-hq.contoso.com", "sip.contoso.com"])
        self.assertIn("same private key", external["note"])

    def test_reverse_proxy_and_office_web_apps(self):
        rp = certificate(self.doc, "reverse-proxy", "HQ-DR")
        self.assertEqual(rp["issuer"], "public")
        self.assertEqual(rp["subject"], "pool01-hq-dr.lyncweb.contoso.com")
        for name in ("meet.contoso.com", "dialin.contoso.com", "lyncdiscover.contoso.com"):
            self.assertIn(name, rp["subject_alternative_names"])
        owa = certificate(self.doc, "office-web-apps", "HQ")
        self.assertEqual(owa["subject_alternative_names"][-2:],
                         ["owa01-hq.contoso.com", "owa02-hq.contoso.com"])

    def test_no_director_without_directors(self):
        self.assertNotIn("director", {c["id"] for c in self.doc["certificates"]})
        doc = plan_json(DR, "--set", "deploy-directors=true")
        self.assertEqual(certificate(doc, "director", "HQ")["subject"], "dirpool-hq.example.com")

    def test_firewall_rows_of_the_issue(self):
        rows = {(f["site"], f["from"], f["to"], f["port"], f["protocol"])
                for f in self.doc["firewall"]}
        want = [
            # the Edge external interface
            ("HQ", "any (Internet)", "Access Edge sip-hq.contoso.com", "443", "TCP"),
            ("HQ", "any (federated partners)", "Access Edge sip-hq.contoso.com", "5061", "TCP"),
            ("HQ", "any (Internet)", "Web Conferencing Edge webcon-hq.contoso.com", "443", "TCP"),
            ("HQ", "any (Internet)", "A/V Edge av-hq.contoso.com", "3478", "UDP"),
            ("HQ", "any (Internet)", "A/V Edge av-hq.contoso.com", "443", "TCP"),
            ("HQ", "A/V Edge av-hq.contoso.com", "any (Internet)", "50000-59999", "UDP"),
            ("HQ", "A/V Edge av-hq.contoso.com", "any (Internet)", "50000-59999", "TCP"),
            # the Edge internal interface
            ("HQ", "Front End pool pool01-hq.contoso.com",
             "Edge internal edgepool-hq.contoso.com", "5061", "TCP"),
            ("HQ", "Front End servers fe01-hq, fe02-hq, fe03-hq",
             "Edge internal edgepool-hq.contoso.com", "8057", "TCP"),
            ("HQ", "Front End pool pool01-hq.contoso.com",
             "Edge internal edgepool-hq.contoso.com", "5062", "TCP"),
            ("HQ", "internal clients and servers (any)",
             "Edge internal edgepool-hq.contoso.com", "3478", "UDP"),
            ("HQ", "internal clients and servers (any)",
             "Edge internal edgepool-hq.contoso.com", "443", "TCP"),
            ("HQ", "Front End pool pool01-hq.contoso.com",
             "Edge internal edgepool-hq.contoso.com", "4443", "TCP"),
            # the reverse proxy
            ("HQ-DR", "any (Internet)", "reverse proxy rp01-hq-dr, rp02-hq-dr", "443", "TCP"),
            ("HQ-DR", "any (Internet)", "reverse proxy rp01-hq-dr, rp02-hq-dr", "80", "TCP"),
            ("HQ", "reverse proxy rp01-hq, rp02-hq",
             "external web services of pool01-hq.contoso.com", "4443", "TCP"),
            ("HQ", "reverse proxy rp01-hq, rp02-hq",
             "external web services of pool01-hq.contoso.com", "8080", "TCP"),
            # the Front End pool and pool pairing
            ("HQ", "internal clients and servers (any)", "Front End pool pool01-hq.contoso.com", "5061", "TCP"),
            ("HQ", "Front End servers fe01-hq, fe02-hq, fe03-hq", "file store fs01-hq-dr, fs02-hq-dr",
             "445", "TCP"),
            ("HQ-DR", "Front End servers fe01-hq-dr, fe02-hq-dr, fe03-hq-dr", "file store fs01-hq, fs02-hq",
             "445", "TCP"),
        ]
        for row in want:
            self.assertIn(row, rows)
        self.assertEqual(len(rows), len(self.doc["firewall"]), "a rule written twice")

    def test_text_sections(self):
        text = lyncplan("plan", DR).stdout.decode()
        self.assertIn("Certificate plan\n  Front End pool, site HQ: internal CA\n"
                      "    subject  pool01-hq.example.com\n", text)
        self.assertIn("\nFirewall plan\n  From ", text)


def parse_csv(raw):
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline=""), strict=True))


class CsvTables(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.doc = plan_json(DR)
        cls.raw = {t: lyncplan("plan", DR, "--format", "csv", "--table", t).stdout
                   for t in ("bom", "firewall", "certificates")}

    def test_crlf_dialect(self):
        for table, raw in self.raw.items():
            self.assertTrue(raw.endswith(b"\r\n"), table)
            self.assertEqual(raw.count(b"\n"), raw.count(b"\r\n"), table)

    def test_bom_is_the_default(self):
        self.assertEqual(self.raw["bom"], lyncplan("plan", DR, "--format", "csv").stdout)

    def test_firewall_table(self):
        rows = parse_csv(self.raw["firewall"])
        self.assertEqual(rows[0], ["site", "rule_id", "from", "to", "port", "protocol",
                                   "purpose", "source", "from_id", "to_id", "crosses"])
        self.assertEqual(rows[1:], [[f["site"], f["id"], f["from"], f["to"], f["port"],
                                     f["protocol"], f["purpose"], f["source"], f["from_id"],
                                     f["to_id"], f["crosses"]]
                                    for f in self.doc["firewall"]])
        self.assertIn(["HQ", "pool-pairing", "Front End servers fe01-hq, fe02-hq, fe03-hq",
                       "file store fs01-hq-dr, fs02-hq-dr", "445", "TCP"],
                      [r[:6] for r in rows])

    def test_certificates_table(self):
        rows = parse_csv(self.raw["certificates"])
        self.assertEqual(rows[0], ["site", "certificate_id", "certificate", "subject",
                                   "subject_alternative_names", "issuer", "note"])
        self.assertEqual([r[3] for r in rows[1:]], [c["subject"] for c in self.doc["certificates"]])
        self.assertEqual([r[4].split("; ") if r[4] else [] for r in rows[1:]],
                         [c["subject_alternative_names"] for c in self.doc["certificates"]])
        edge = [r for r in rows if r[1] == "edge-external" and r[0] == "HQ"][0]
        self.assertEqual(edge[3:6], ["sip-hq.example.com",
                                     "sip-hq.example.com; webcon-hq.example.com; sip.example.com",
                                     "public"])


class RulesListing(unittest.TestCase):
    def test_rules_lists_both_tables_with_their_lines(self):
        out = lyncplan("rules", "--product", "sfb2019").stdout.decode()
        self.assertRegex(out, r"\n  edge-external +Edge pool, external interface, per site, "
                              r"public CA \(rules/lync2013.rules:[0-9]+\) \(inherited\)\n")
        self.assertRegex(out, r"\n  pool-pairing +445/TCP  SMB: ")


class SeveralDomains(unittest.TestCase):
    def test_each_domain_in_the_names(self):
        doc = plan_json(DR, "--sip-domain", "contoso.com, fabrikam.com")
        self.assertEqual(doc["dns"]["sip_domain"], "contoso.com")
        self.assertEqual(doc["dns"]["sip_domains"], ["contoso.com", "fabrikam.com"])
        fe = certificate(doc, "front-end", "HQ")["subject_alternative_names"]
        for name in ("sip.contoso.com", "sip.fabrikam.com", "lyncdiscover.fabrikam.com",
                     "lyncdiscoverinternal.fabrikam.com", "meet.fabrikam.com"):
            self.assertIn(name, fe)
        self.assertNotIn("dialin.fabrikam.com", fe)  # one dial-in URL for the organization
        self.assertEqual(certificate(doc, "front-end", "HQ")["subject"], "pool01-hq.contoso.com")
        edge = certificate(doc, "edge-external", "HQ")["subject_alternative_names"]
        self.assertEqual(edge, ["sip-hq.contoso.com", "sip-hq.fabrikam.com", "webcon-hq.contoso.com",
                                "sip.contoso.com", "sip.fabrikam.com"])
        records = {(r["name"], r["target"]) for r in doc["dns"]["records"]}
        for record in [("lyncdiscover.fabrikam.com", "reverse proxy at HQ"),
                       ("_sip._tls.fabrikam.com", "sip-hq.fabrikam.com"),
                       ("_sipfederationtls._tcp.fabrikam.com", "sip-hq.fabrikam.com"),
                       ("_sipinternaltls._tcp.fabrikam.com", "sip.fabrikam.com"),
                       ("sip.fabrikam.com", "edg01-hq"),
                       ("meet.fabrikam.com", "reverse proxy at HQ-DR")]:
            self.assertIn(record, records)
        # each domain's SRV records point to names in that domain (L13-DNS), and
        # those names are on the Edge and reverse-proxy certificates
        for r in doc["dns"]["records"]:
            if r["type"] == "SRV":
                self.assertTrue(r["target"].endswith("." + r["name"].split(".", 2)[2]), r)
        rp = certificate(doc, "reverse-proxy", "HQ")["subject_alternative_names"]
        for domain in ("contoso.com", "fabrikam.com"):
            self.assertIn("sip-hq." + domain, edge)
            self.assertIn("sip." + domain, edge)
            self.assertIn("lyncdiscover." + domain, rp)
        self.assertNotIn("dialin.fabrikam.com", {name for name, _ in records})
        text = lyncplan("plan", DR, "--sip-domain", "contoso.com, fabrikam.com").stdout.decode()
        self.assertIn("\nDNS plan (SIP domains contoso.com (default), fabrikam.com)\n", text)

    def test_scenario_file(self):
        p = lptest.run("plan", "-", "--format", "json",
                       input=b"[scenario]\nsip-domain = contoso.com,fabrikam.com\n"
                                 b"dr-rto = 4h\n[site HQ]\nusers = 5000\n")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["dns"]["sip_domains"], ["contoso.com", "fabrikam.com"])

    def test_a_site_name_is_not_a_template(self):
        p = lptest.run("plan", "-", "--format", "json",
                       input=b"[scenario]\ndr-rto = 4h\n[site {pool}{domain}]\nusers = 100\n",
                       timeout=20)
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = json.loads(p.stdout)
        self.assertEqual({c["site"] for c in doc["certificates"]}, {"{pool}{domain}",
                                                                    "{pool}{domain}-DR"})

    def test_bad_domains(self):
        p = lyncplan("plan", DR, "--sip-domain", "contoso.com, Contoso.com", code=2)
        self.assertEqual(p.stderr.decode(),
                         "lyncplan: --sip-domain: the SIP domain 'Contoso.com' is listed twice\n")
        p = lyncplan("plan", DR, "--sip-domain", "contoso.com, fab_rikam.com", code=2)
        self.assertIn("--sip-domain: expected a DNS domain such as contoso.com", p.stderr.decode())
        self.assertIn("got 'fab_rikam.com'", p.stderr.decode())


if __name__ == "__main__":
    lptest.main()
