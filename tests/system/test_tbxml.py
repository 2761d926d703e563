#!/usr/bin/python3
"""--format tbxml, the Topology Builder document (issue 26).

There is no public schema for it: the reference is two public documents,
read with the search tool and reduced here to facts (element paths with their
namespaces and attributes, clusters, machines, services, dependencies), not
copied:
  CONTOSO: github.com AutomatedLab/SfBAutomatedLab,
           "SfBAutomatedLab/Sample Topologies/Contoso.tbxml" (Skype for
           Business Server 2015, commit 44c5b942fba493348e64b757e5b423fb13221610)
  OTC:     github.com alvinchen1/ExchangeSkypeMDTAutomate, "OTC.tbxml"
           (Skype for Business Server 2019 Standard Edition, commit
           bc681998d9f74d9f781716782923727863a56c3d)
examples/contoso-tb.ini describes CONTOSO's topology; its document must have
the same element paths, namespaces and attributes (less what the plan cannot
know and what lyncplan does not write yet, each listed with its reason), the
same clusters, machines and services, and the same dependencies. Every
example under every product gives a well-formed document (xmllint --noout),
the same bytes twice, ids that resolve, FaultDomain from the host placement
of a virtual estate, and a closing note. Environment (set by meson):
LYNCPLAN, LP_SOURCE_ROOT."""
import collections
import glob
import json
import os
import subprocess
import unittest
import xml.etree.ElementTree as ET

import lptest

ROOT = lptest.ROOT
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.ini")))
PRODUCTS = ["lync2013", "sfb2015", "sfb2019", "sfbse"]

B = "urn:schema:Microsoft.Rtc.Management.Deploy.TopologyBuilder.2008"
W = "urn:schema:Microsoft.Rtc.Management.Deploy.WritableTopology.2008"
T = "urn:schema:Microsoft.Rtc.Management.Deploy.Topology.2008"
S = "urn:schema:Microsoft.Rtc.Management.Settings.SimpleUrl.2008"
R = "urn:schema:Microsoft.Rtc.Management.Deploy.ServiceRoles.2008"
WS = "urn:schema:Microsoft.Rtc.Management.Deploy.WebServices.2011"
BT = "urn:schema:Microsoft.Rtc.Management.BaseTypes.2008"

TOP = "TopologyBuilder/NewTopology/PartialTopology"
SITE = TOP + "/CentralSites/CentralSite"
CLUSTER = SITE + "/Clusters/Cluster"
SERVICE = TOP + "/Services/Service"

# CONTOSO's element paths: path -> (namespace, attributes).
CONTOSO_PATHS = {
    "TopologyBuilder": (B, {"IsFreeFromChanges", "FileName"}),
    "TopologyBuilder/NewTopology": (B, set()),
    TOP: (W, {"IsPublished", "Signature"}),
    TOP + "/InternalDomains": (T, {"AllowAllDomains", "DefaultDomain"}),
    TOP + "/InternalDomains/InternalDomain": (T, {"Name", "Authoritative", "AllowSubDomains"}),
    TOP + "/SimpleUrlConfiguration": (S, {"UseBackendDatabase"}),
    TOP + "/SimpleUrlConfiguration/SimpleUrl": (S, {"Component", "Domain", "ActiveUrl"}),
    TOP + "/SimpleUrlConfiguration/SimpleUrl/SimpleUrlEntry": (S, {"Url"}),
    TOP + "/CentralSites": (W, set()),
    SITE: (W, {"SiteId"}),
    SITE + "/Name": (T, set()),
    SITE + "/Location": (T, set()),
    SITE + "/Clusters": (W, set()),
    CLUSTER: (W, {"IsSingleMachineOnly", "UniqueId", "RequiresReplication", "RequiresSetup", "Fqdn"}),
    CLUSTER + "/Machines": (W, set()),
    CLUSTER + "/Machines/Machine": (W, {"Fqdn", "FaultDomain", "UpgradeDomain"}),
    CLUSTER + "/Machines/Machine/NetInterface": (
        T, {"InterfaceSide", "InterfaceNumber", "IPAddress", "ConfiguredIPAddress"}),
    CLUSTER + "/SqlInstances": (W, set()),
    CLUSTER + "/SqlInstances/SqlInstance": (W, {"UniqueId", "Name"}),
    SITE + "/RemoteSites": (W, set()),
    TOP + "/Services": (W, set()),
    SERVICE: (W, {"UniqueId", "RoleName", "RoleVersion", "InstalledOn", "ServiceVersion", "Type"}),
    SERVICE + "/DependsOn": (W, set()),
    SERVICE + "/DependsOn/Dependency": (W, {"ServiceUniqueId", "Usage"}),
    SERVICE + "/Ports": (R, set()),
    SERVICE + "/Ports/Port": (R, {"Owner", "Usage", "InterfaceSide", "InterfaceNumber", "Port",
                                  "Protocol", "UrlPath", "AuthorizesRequests", "GruuType",
                                  "ConfiguredFqdn", "ConfiguredPort", "Range"}),
    SERVICE + "/RegistrarService": (R, {"IsDirector"}),
    SERVICE + "/FileStoreService": (R, {"ShareName"}),
    SERVICE + "/WacService": (R, {"DiscoveryUrl", "IsExternal"}),
    SERVICE + "/WebService": (R, set()),
    SERVICE + "/WebService/ExternalSettings": (R, {"Host"}),
    SERVICE + "/WebService/ExternalSettings/OverrideUrls": (R, set()),
    SERVICE + "/WebService/WebComponents": (WS, set()),
    SERVICE + "/WebService/WebComponents/Component": (WS, {"ComponentName"}),
    SERVICE + "/WebService/UpaSeparator": (BT, set()),
    SERVICE + "/ConfService": (R, set()),
    SERVICE + "/ConfService/MCUs": (R, set()),
    SERVICE + "/ConfService/MCUs/MCU": (R, {"ComponentName", "Vendor", "MinSupportedMode"}),
    SERVICE + "/ApplicationServerService": (R, set()),
}

# What lyncplan does not write, and why (the document's closing note says so too).
NOT_WRITTEN_PATHS = {}
NOT_WRITTEN_ATTRIBUTES = {
    ("TopologyBuilder", "FileName"): "the author's path of the file",
}
# Where lyncplan's document differs from the sample's values, and why: the
# sample gives one external name (and address) to its three Edge services, on
# Topology Builder's default ports 5061 and 444; the plan names each service
# (sip-, webcon-, av-), so the Access Edge's client port and the Web
# Conferencing Edge's are the plan's firewall's, 443 (rules: TB-HELP-EDGE)
EDGE_PORT_DIFFERENCES = {1: "443", 3: "443"}
# the Edge components whose External ports carry ConfiguredFqdn in the sample,
# and the plan's name of each (its external-names)
EDGE_FQDN = {"AccessEdge": "sip-", "DataEdge": "webcon-", "MediaRelayEdge": "av-"}
# the media ports of the conferencing and application services
MEDIA_PORTS = [("MediaComp", "AudioCommunication", "Primary", "49152", "TcpOrUdp"),
               ("MediaComp", "VideoCommunication", "Primary", "57501", "TcpOrUdp"),
               ("MediaComp", "AppSharingCommunication", "Primary", "49152", "TcpOrUdp")]
# CONTOSO's ports by RoleName: (Owner, Usage, InterfaceSide, Port, Protocol) in order
# (OTC, 2019: the same, and WebServices' PlatformService 6008).
CONTOSO_PORTS = {
    "UserServices": [("McuFactory", "WebServer", "Primary", "444", "Mtls"),
                     ("PresenceFocus", "UserPinManagement", "Primary", "443", "Https"),
                     ("McuFactory", "WcfServer", "Primary", "9001", "Tcp")],
    "Registrar": [("Registrar", "SipServer", "Primary", "5061", "Mtls"),
                  ("Registrar", "WebServer", "Primary", "444", "Mtls")] +
                 [("WinFab", u, "Primary", str(p), "Tcp") for u, p in (
                     ("WinFabFederation", 5090), ("WinFabLeaseAgent", 5091),
                     ("WinFabClientConnection", 5092), ("WinFabIPC", 5093),
                     ("WinFabReplication", 5094))] +
                 [("QoE", "SipServer", "Primary", "5061", "Mtls"),
                  ("Lyss", "WcfMtls", "Primary", "5077", "Mtls"),
                  ("XmppFederation", "SipServer", "Primary", "5098", "Mtls")],
    "EdgeServer": [("AccessEdge", "SipServer", "Internal", "5061", "Mtls"),
                   ("AccessEdge", "SipClient", "External", "5061", "Tls"),
                   ("DataEdge", "PsomServer", "Internal", "8057", "Mtls"),
                   ("DataEdge", "PsomClient", "External", "444", "Tls"),
                   ("MediaRelayAuthenticationEdge", "SipServer", "Internal", "5062", "Mtls"),
                   ("MediaRelayEdge", "TURNServer", "Internal", "443", "Tcp"),
                   ("MediaRelayEdge", "TURNServer", "External", "443", "Tcp"),
                   ("MediaRelayEdge", "TURNServer", "Internal", "3478", "Udp"),
                   ("MediaRelayEdge", "TURNServer", "External", "3478", "Udp"),
                   ("MediaRelayEdge", "MediaCommunication", "External", "50000", "TcpOrUdp"),
                   ("AccessEdge", "SipServer", "External", "5061", "Mtls"),
                   ("SkypeSearchProxy", "WebServer", "Internal", "4443", "Mtls"),
                   ("XmppFederationProxy", "XmppServer", "External", "5269", "Tls"),
                   ("XmppFederationProxy", "XptServer", "Internal", "23456", "Mtls")],
    "ManagementServices": [("ReplicationService", "Replication", "Internal", "4443", "Https")],
    "WebServices": [("OCSWebSite", "WebSite", "External", "8080", "Http"),
                    ("OCSWebSite", "WebSite", "External", "4443", "Https"),
                    ("OCSWebSite", "WebSite", "Primary", "80", "Http"),
                    ("OCSWebSite", "WebSite", "Primary", "443", "Https"),
                    ("Reach", "PsomServer", "Primary", "8060", "Mtls"),
                    ("Reach", "PsomServer", "External", "8061", "Mtls"),
                    ("MediaComp", "AppSharingCommunication", "Primary", "49152", "TcpOrUdp"),
                    ("McxService", "SipServer", "Primary", "5086", "Mtls"),
                    ("McxServiceExternal", "SipServer", "Primary", "5087", "Mtls"),
                    ("PersistentChatWebManager", "SipServer", "Primary", "5095", "Mtls"),
                    ("PersistentChatWebManagerExternal", "SipServer", "Primary", "5096", "Mtls"),
                    ("UcwaService", "SipServer", "Primary", "5088", "Mtls"),
                    ("UcwaServiceExternal", "SipServer", "Primary", "5089", "Mtls")],
    "ConfServices": [("IMConf", "SipServer", "Primary", "5062", "Mtls"),
                     ("IMConf", "WebServer", "Primary", "444", "Mtls"),
                     ("DataConf", "PsomClient", "Primary", "8057", "Tls"),
                     ("AVConf", "SipServer", "Primary", "5063", "Mtls"),
                     ("AppSharingConf", "SipServer", "Primary", "5065", "Mtls"),
                     ("DataConf", "WebServer", "Primary", "444", "Mtls"),
                     ("AVConf", "WebServer", "Primary", "444", "Mtls"),
                     ("AppSharingConf", "WebServer", "Primary", "444", "Mtls"),
                     *MEDIA_PORTS],
    "MediationServer": [("Mediation", "SipServer", "Primary", "5070", "Mtls"),
                        ("Mediation", "SipClient", "Pstn", "5067", "Tls"),
                        ("MediaComp", "AudioCommunication", "Primary", "49152", "TcpOrUdp")],
    "ApplicationServer": [("testbot", "SipServer", "Primary", "5076", "Mtls"),
                          ("Cps", "SipServer", "Primary", "5075", "Mtls"),
                          ("RGS", "SipServer", "Primary", "5071", "Mtls"),
                          ("RGS", "WcfMtls", "Primary", "8404", "Mtls"),
                          ("PDP", "SipServer", "Primary", "5080", "Mtls"),
                          ("PDP", "TURNServer", "Primary", "448", "Tcp"),
                          *MEDIA_PORTS],
}
CONTOSO_MCUS = [("IMConf", None), ("DataConf", "14"), ("AppSharingConf", None), ("AVConf", None)]
CONTOSO_WEB_COMPONENTS = 27  # ABHandler ... HybridConfigService

# CONTOSO's clusters: (single machine, machines, machines named, fault domains, SQL instance).
CONTOSO_CLUSTERS = sorted([
    ("false", 4, True, True, False),  # the Front End pool
    ("false", 3, True, False, False),  # the Edge pool
    ("true", 1, False, False, False),  # Office Web Apps
    ("true", 1, False, False, True),  # the SQL server
    ("true", 1, False, False, False),  # a file server
    ("true", 1, False, False, False),  # the other
])
# CONTOSO's services: RoleName -> (count, RoleVersion); every ServiceVersion 7.
CONTOSO_SERVICES = {
    "UserServices": (1, "2"), "Registrar": (1, "2"), "EdgeServer": (1, "2"),
    "ManagementServices": (1, "1"), "UserStore": (1, "1"), "FileStore": (2, "1"),
    "WacService": (1, "1"), "WebServices": (1, "1"), "ConfServices": (1, "1"),
    "MediationServer": (1, "1"), "ApplicationServer": (1, "1"), "ApplicationStore": (1, "1"),
    "ArchivingStore": (1, "1"), "MonitoringStore": (1, "1"),
}
# CONTOSO's dependencies, by RoleName.
CONTOSO_DEPENDS = {
    "UserServices": {"UserStore", "FileStore", "ConfServices"},
    "Registrar": {"UserServices", "WebServices", "ArchivingStore", "MonitoringStore", "EdgeServer"},
    "EdgeServer": {"Registrar"},
    "WebServices": {"FileStore", "UserServices"},
    "ConfServices": {"FileStore", "WebServices", "UserServices", "WacService", "EdgeServer"},
    "MediationServer": {"Registrar", "EdgeServer"},
    "ApplicationServer": {"Registrar", "FileStore", "ApplicationStore"},
}
# CONTOSO's stores are installed on the SQL server's instance.
CONTOSO_ON_SQL = {"UserStore", "ApplicationStore", "ArchivingStore", "MonitoringStore"}


# The sample's one SQL server, without a mirror or witness: the mirroring
# constants of Lync Server 2013 and Skype for Business Server 2015, set here so
# that the example itself plans under every product (2019 has no mirroring).
CONTOSO_ARGS = ["examples/contoso-tb.ini", "--set", "back-ends-per-pool=1",
                "--set", "witnesses-per-pool=0", "--format", "tbxml"]


def run(*args, ok=(0, 3)):
    return lptest.run_ok(*args, ok=ok).stdout


def split(tag):
    ns, _, local = tag[1:].partition("}")
    return ns, local


def paths(root):
    """path -> (set of namespaces, set of attributes) over the whole document."""
    out = {}

    def walk(e, prefix):
        ns, local = split(e.tag)
        p = f"{prefix}/{local}" if prefix else local
        nss, attrs = out.setdefault(p, (set(), set()))
        nss.add(ns)
        attrs.update(e.attrib)
        for c in e:
            walk(c, p)
    walk(root, "")
    return out


def q(ns, local):
    return f"{{{ns}}}{local}"


class Tbxml(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.contoso_raw = run("plan", *CONTOSO_ARGS, ok=(0,))
        cls.contoso = ET.fromstring(cls.contoso_raw)

    def services(self, root):
        return list(root.iter(q(W, "Service")))

    def test_contoso_paths_namespaces_attributes(self):
        ours = paths(self.contoso)
        expected = {p: v for p, v in CONTOSO_PATHS.items() if p not in NOT_WRITTEN_PATHS}
        self.assertEqual(set(ours), set(expected), "the element paths of the sample")
        for p, (ns, attrs) in expected.items():
            with self.subTest(path=p):
                self.assertEqual(ours[p][0], {ns}, "its namespace")
                want = {a for a in attrs if (p, a) not in NOT_WRITTEN_ATTRIBUTES}
                self.assertEqual(ours[p][1], want, "its attributes")

    def test_contoso_clusters_and_machines(self):
        got = []
        for c in self.contoso.iter(q(W, "Cluster")):
            machines = c.findall(f"{q(W, 'Machines')}/{q(W, 'Machine')}")
            got.append((c.get("IsSingleMachineOnly"), len(machines),
                        all("Fqdn" in m.attrib for m in machines),
                        all("FaultDomain" in m.attrib for m in machines),
                        c.find(f"{q(W, 'SqlInstances')}/{q(W, 'SqlInstance')}") is not None))
        self.assertEqual(sorted(got), CONTOSO_CLUSTERS)
        # the pool's machines in four fault and upgrade domains, as the sample's
        fe = next(c for c in self.contoso.iter(q(W, "Cluster")) if len(c.find(q(W, "Machines"))) == 4)
        self.assertEqual(len({m.get("FaultDomain") for m in fe.iter(q(W, "Machine"))}), 4)
        self.assertEqual(len({m.get("UpgradeDomain") for m in fe.iter(q(W, "Machine"))}), 4)

    def test_contoso_services(self):
        got = collections.Counter(s.get("RoleName") for s in self.services(self.contoso))
        self.assertEqual(dict(got), {k: n for k, (n, _) in CONTOSO_SERVICES.items()})
        for s in self.services(self.contoso):
            self.assertEqual(s.get("RoleVersion"), CONTOSO_SERVICES[s.get("RoleName")][1])
            self.assertEqual(s.get("ServiceVersion"), "7")

    def test_contoso_dependencies(self):
        by_id = {s.get("UniqueId"): s for s in self.services(self.contoso)}
        sql = {i.get("UniqueId") for i in self.contoso.iter(q(W, "SqlInstance"))}
        for s in self.services(self.contoso):
            deps = {by_id[d.get("ServiceUniqueId")].get("RoleName")
                    for d in s.iter(q(W, "Dependency"))}
            with self.subTest(service=s.get("RoleName")):
                self.assertEqual(deps, CONTOSO_DEPENDS.get(s.get("RoleName"), set()))
                self.assertEqual(s.get("InstalledOn") in sql, s.get("RoleName") in CONTOSO_ON_SQL)

    def ports(self, s):
        return [(p.get("Owner").rsplit(":", 1)[1], p.get("Usage"), p.get("InterfaceSide"),
                 p.get("Port"), p.get("Protocol")) for p in s.iter(q(R, "Port"))]

    def test_contoso_ports_web_services_and_mcus(self):
        for s in self.services(self.contoso):
            want = list(CONTOSO_PORTS.get(s.get("RoleName"), []))
            if s.get("RoleName") == "EdgeServer":
                for i, port in EDGE_PORT_DIFFERENCES.items():
                    want[i] = want[i][:3] + (port,) + want[i][4:]
            with self.subTest(service=s.get("RoleName")):
                self.assertEqual(self.ports(s), want)
        web = next(s for s in self.services(self.contoso) if s.get("RoleName") == "WebServices")
        pool = next(c for c in self.contoso.iter(q(W, "Cluster"))
                    if c.get("UniqueId") == web.get("InstalledOn"))
        host = web.find(f"{q(R, 'WebService')}/{q(R, 'ExternalSettings')}").get("Host")
        # the pool's external web name (the plan's reverse proxy publishes it): a name of the
        # pool, as the sample's is its FQDN
        plan = json.loads(run("plan", *CONTOSO_ARGS[:-2], "--format", "json"))
        pool_node = next(p for p in plan["topology"]["pools"] if p["fqdn"] == pool.get("Fqdn"))
        self.assertIn(host, (pool_node["fqdn"], pool_node["web_external"]))
        self.assertEqual(len(list(web.iter(q(WS, "Component")))), CONTOSO_WEB_COMPONENTS)
        conf = next(s for s in self.services(self.contoso) if s.get("RoleName") == "ConfServices")
        mcus = [(m.get("ComponentName"), m.get("MinSupportedMode")) for m in conf.iter(q(R, "MCU"))]
        self.assertEqual(mcus, CONTOSO_MCUS)
        self.assertEqual({m.get("Vendor") for m in conf.iter(q(R, "MCU"))}, {"Microsoft"})
        # OTC (2019): the web services' PlatformService port, the registrar's
        # IsPoolEnabledForSAOnEdge
        root = ET.fromstring(run("plan", "--product", "sfb2019", "--site", "HQ=500", "--edition",
                                 "standard", "--format", "tbxml"))
        web = next(s for s in self.services(root) if s.get("RoleName") == "WebServices")
        self.assertEqual(self.ports(web), CONTOSO_PORTS["WebServices"] +
                         [("PlatformService", "SipServer", "Primary", "6008", "Mtls")])
        reg = next(s for s in self.services(root) if s.get("RoleName") == "Registrar")
        self.assertEqual(reg.find(q(R, "RegistrarService")).get("IsPoolEnabledForSAOnEdge"), "false")

    def test_edge_external_names_nat_and_firewall(self):
        # the sample's ConfiguredFqdn on exactly the External ports of the
        # Access, Web Conferencing and A/V Edge; each the plan's name of that
        # service; the ports the plan's firewall opens to those names
        plan = json.loads(run("plan", *CONTOSO_ARGS[:-2], "--format", "json"))
        edge = next(p for p in plan["topology"]["pools"] if p["endpoint"] == "edge")
        flows = {f["id"]: f["port"] for f in plan["topology"]["flows"] if f["to_id"] == edge["id"]}
        service = next(s for s in self.services(self.contoso) if s.get("RoleName") == "EdgeServer")
        seen = set()
        for p in service.iter(q(R, "Port")):
            owner = p.get("Owner").rsplit(":", 1)[1]
            if p.get("InterfaceSide") == "External" and owner in EDGE_FQDN:
                name = p.get("ConfiguredFqdn")
                self.assertIn(name, edge["external_names"])
                self.assertTrue(name.startswith(EDGE_FQDN[owner]), (owner, name))
                seen.add(owner)
            else:
                self.assertNotIn("ConfiguredFqdn", p.attrib)
        self.assertEqual(seen, set(EDGE_FQDN))
        client = {p.get("Usage"): p.get("Port") for p in service.iter(q(R, "Port"))
                  if p.get("InterfaceSide") == "External" and p.get("Usage") in ("SipClient",
                                                                                  "PsomClient")}
        self.assertEqual(client, {"SipClient": flows["edge-ext-sip"],
                                  "PsomClient": flows["edge-ext-webconf"]})
        # NAT: the Edge machines' External interfaces only, where the scenario says
        # so (contoso-tb.ini: the sample's Edge pool is behind NAT)
        for root, nat in ((self.contoso, True), (ET.fromstring(run(
                "plan", *CONTOSO_ARGS, "--set", "tb-edge-nat=0", ok=(0,))), False)):
            for c in root.iter(q(W, "Cluster")):
                is_edge = c.get("Fqdn") == edge["fqdn"]
                for i in c.iter(q(T, "NetInterface")):
                    want = nat and is_edge and i.get("InterfaceSide") == "External"
                    self.assertEqual("ConfiguredIPAddress" in i.attrib, want, (c.get("Fqdn"), i.attrib))

    def test_director_mediation_persistent_chat_ports(self):
        # no public document has them: ports from Microsoft's port tables, the
        # services marked unverified
        raw = run("plan", "examples/reference-large.ini", "--set", "deploy-directors=true",
                  "--format", "tbxml")
        root = ET.fromstring(raw)
        clusters = {c.get("UniqueId"): c.get("Fqdn") for c in root.iter(q(W, "Cluster"))}
        got = collections.defaultdict(set)
        for s in self.services(root):
            fqdn = clusters.get(s.get("InstalledOn"), "")
            kind = ("director" if fqdn.startswith("dirpool") else
                    "mediation" if fqdn.startswith("medpool") else
                    "persistent-chat" if fqdn.startswith("pchat") else None)
            if kind is not None:
                got[kind].update((s.get("RoleName"), *port) for port in self.ports(s))
        self.assertIn(("Registrar", "Registrar", "SipServer", "Primary", "5061", "Mtls"),
                      got["director"])
        self.assertIn(("WebServices", "OCSWebSite", "WebSite", "External", "4443", "Https"),
                      got["director"])
        self.assertEqual({p for p in got["mediation"]},
                         {("MediationServer", *p) for p in CONTOSO_PORTS["MediationServer"]})
        self.assertEqual({p[4] for p in got["persistent-chat"]}, {"5041"})
        self.assertIn("Unverified: no public document has a Director", raw.decode())

    def test_branch_sites_as_comments(self):
        # no public document shows a branch site: each is a comment in its home
        # site's RemoteSites naming it and its survivable servers
        raw = run("plan", "examples/reference-large.ini", "--format", "tbxml").decode()
        plan = json.loads(run("plan", "examples/reference-large.ini", "--format", "json"))
        branches = [s for s in plan["sites"] if s.get("home")]
        self.assertGreater(len(branches), 0)
        remote = raw.split("<RemoteSites>")
        for b in branches:
            text = f"<!-- Branch site {b['name']} (homed at "
            self.assertEqual(raw.count(text), 1, b["name"])
            self.assertTrue(any(text in r.split("</RemoteSites>")[0] for r in remote[1:]))
        self.assertIn("no public Topology Builder document shows a branch site", raw)

    def test_standard_edition_as_otc(self):
        # OTC: a 2019 Standard Edition server is a single-machine cluster named
        # by the server, its machine unnamed with the server as fault and upgrade
        # domain, its SQL instance rtc holding the user store, its own file store
        raw = run("plan", "--product", "sfb2019", "--site", "HQ=500", "--edition", "standard",
                  "--format", "tbxml")
        root = ET.fromstring(raw)
        se = [c for c in root.iter(q(W, "Cluster")) if c.find(
            f"{q(W, 'SqlInstances')}/{q(W, 'SqlInstance')}") is not None]
        self.assertGreater(len(se), 0)
        on = collections.defaultdict(set)
        for s in self.services(root):
            on[s.get("RoleName")].add(s.get("InstalledOn"))
        for c in se:
            m = c.findall(f"{q(W, 'Machines')}/{q(W, 'Machine')}")
            self.assertEqual(len(m), 1)
            self.assertEqual(c.get("IsSingleMachineOnly"), "true")
            self.assertNotIn("Fqdn", m[0].attrib)
            self.assertEqual(m[0].get("FaultDomain"), c.get("Fqdn"))
            self.assertEqual(m[0].get("UpgradeDomain"), c.get("Fqdn"))
            instance = c.find(f"{q(W, 'SqlInstances')}/{q(W, 'SqlInstance')}")
            self.assertEqual(instance.get("Name"), "rtc")
            self.assertIn(instance.get("UniqueId"), on["UserStore"])
            self.assertIn(c.get("UniqueId"), on["FileStore"])
            self.assertIn(c.get("UniqueId"), on["Registrar"])
        self.assertEqual({s.get("ServiceVersion") for s in self.services(root)}, {"8"})

    def test_every_example_every_product(self):
        with lptest.tmpdir() as tmp:
            files = []
            for ini in EXAMPLES:
                for product in PRODUCTS:
                    raw = run("plan", ini, "--product", product, "--format", "tbxml")
                    name = os.path.join(tmp, f"{os.path.basename(ini)}.{product}.xml")
                    with open(name, "wb") as f:
                        f.write(raw)
                    files.append(name)
                    with self.subTest(example=os.path.basename(ini), product=product):
                        self.check_document(ET.fromstring(raw), product)
            # well-formed, namespaces included, by libxml2's own checker
            p = subprocess.run(["xmllint", "--noout", *files], capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr.decode())

    def check_document(self, root, product):
        ids = [e.get("UniqueId") for e in root.iter() if "UniqueId" in e.attrib]
        self.assertEqual(len(ids), len(set(ids)), "every UniqueId once")
        ids = set(ids)
        for s in self.services(root):
            self.assertIn(s.get("InstalledOn"), ids)
            for d in s.iter(q(W, "Dependency")):
                self.assertIn(d.get("ServiceUniqueId"), ids)
        self.assertGreater(len(self.services(root)), 0)
        self.assertGreater(len(list(root.iter(q(W, "Cluster")))), 0)

    def test_closing_note_and_unverified(self):
        text = self.contoso_raw.decode()
        self.assertIn("<!-- Not written", text)
        self.assertIn("has not been imported into Topology Builder", text)
        # lync2013's ServiceVersion and a pair's backup registrar have no public sample
        raw = run("plan", "examples/virtual-dr.ini", "--product", "lync2013", "--format", "tbxml").decode()
        self.assertIn("<!-- Unverified: ServiceVersion 6", raw)
        backup = raw.count('Usage="BackupRegistrar"')
        self.assertGreater(backup, 0)
        self.assertEqual(raw.count("<!-- Unverified: no public document has paired pools"), backup)
        # the sample's 2015 and 2019 versions are not marked
        self.assertNotIn("Unverified: ServiceVersion", text)

    def test_same_bytes(self):
        self.assertEqual(run("plan", *CONTOSO_ARGS), self.contoso_raw)

    def test_fault_domains_from_host_placement(self):
        plan = json.loads(run("plan", "examples/virtual-dr.ini", "--format", "json"))
        host_of = {s: h["name"] for h in plan["vm_hosts"] for s in h["servers"]}
        root = ET.fromstring(run("plan", "examples/virtual-dr.ini", "--format", "tbxml"))
        checked = 0
        for m in root.iter(q(W, "Machine")):
            if "FaultDomain" not in m.attrib or "Fqdn" not in m.attrib:
                continue
            server = m.get("Fqdn").split(".")[0]
            self.assertIn(server, host_of, "a virtual estate's pool server runs on a host")
            self.assertEqual(m.get("FaultDomain"), host_of[server])
            self.assertEqual(m.get("UpgradeDomain"), host_of[server])
            checked += 1
        self.assertGreater(checked, 0)

    def stores(self, root):
        """(service by id: (RoleName, host), the pool cluster's Fqdn of each
        service, dependencies by service id) where host is the short name of
        the cluster a service (or its SqlInstance) is on."""
        on = {}
        for c in root.iter(q(W, "Cluster")):
            host = c.get("Fqdn").split(".")[0]
            on[c.get("UniqueId")] = host
            for i in c.iter(q(W, "SqlInstance")):
                on[i.get("UniqueId")] = host
        services, depends = {}, {}
        for s in self.services(root):
            services[s.get("UniqueId")] = (s.get("RoleName"), on[s.get("InstalledOn")])
            depends[s.get("UniqueId")] = [d.get("ServiceUniqueId")
                                          for d in s.iter(q(W, "Dependency"))]
        return services, depends

    def test_stores_per_sql_server(self):
        # HQ of examples/mixed-sites.ini has two Front End pools, each with its
        # own Back End (the workbook's Servers sheet names the pool of each SQL
        # server): each pool's user and application stores are on the first
        # SQL server of its own Back End, not on the site's first
        openpyxl = lptest.need("openpyxl")
        with lptest.tmpdir() as tmp:
            book = os.path.join(tmp, "plan.xlsx")
            raw = run("plan", "examples/mixed-sites.ini", "--format", "tbxml", "--xlsx", book)
            sheet = openpyxl.load_workbook(book, read_only=True)["Servers"]
            rows = list(sheet.iter_rows(values_only=True))
        head = rows[0]
        name, pool, role = head.index("Name"), head.index("Pool"), head.index("Role")
        back_end = collections.defaultdict(list)
        for r in rows[1:]:
            if r[role] == "Back End SQL server":
                back_end[r[pool]].append(r[name])
        self.assertEqual(len([p for p in back_end if p.endswith("-hq")]), 2, back_end)
        services, depends = self.stores(ET.fromstring(raw))
        checked = 0
        for sid, (role_name, host) in services.items():
            if role_name not in ("UserServices", "ApplicationServer") or host not in back_end:
                continue
            for d in depends[sid]:
                store, sql = services[d]
                if store in ("UserStore", "ApplicationStore"):
                    self.assertEqual(sql, back_end[host][0], f"{role_name} of {host}: {store}")
                    checked += 1
        self.assertEqual(checked, 4, "two pools, each a user and an application store")
        stores = [h for r, h in services.values() if r in ("UserStore", "ApplicationStore")]
        self.assertEqual(len(stores), len(set((r, h) for r, h in services.values()
                                              if r in ("UserStore", "ApplicationStore"))))

    def test_stores_where_the_plan_puts_them(self):
        # reference-large: SiteA and SiteB have Monitoring, Archiving and
        # Persistent Chat SQL servers of their own (separate-stores); SiteC,
        # a Standard Edition pair with monitoring and archiving = false, has
        # neither store and uses SiteA's
        services, depends = self.stores(ET.fromstring(
            run("plan", "examples/reference-large.ini", "--format", "tbxml")))
        where = collections.defaultdict(set)
        for role_name, host in services.values():
            where[role_name].add(host)
        self.assertEqual(where["MonitoringStore"], {"monsql01-sitea", "monsql01-siteb"})
        self.assertEqual(where["ArchivingStore"], {"arcsql01-sitea", "arcsql01-siteb"})
        self.assertEqual(where["PersistentChatStore"], {"pcsql01-sitea", "pcsql01-siteb"})
        for sid, (role_name, host) in services.items():
            if role_name == "Registrar" and host.startswith("se0"):
                deps = {services[d] for d in depends[sid]}
                self.assertIn(("MonitoringStore", "monsql01-sitea"), deps)
        # without separate-stores, the stores share the site's first Back End
        # SQL server; a Standard Edition design's Archiving store is on its
        # Monitoring SQL server, never on a Standard Edition server
        for args, expect in (
                (["--site", "HQ=30000", "--monitoring=true", "--archiving=true"],
                 {"MonitoringStore": {"sql01-hq"}, "ArchivingStore": {"sql01-hq"}}),
                (["--site", "HQ=3000", "--edition", "standard", "--monitoring=true",
                  "--archiving=true"],
                 {"MonitoringStore": {"monsql01-hq"}, "ArchivingStore": {"monsql01-hq"}})):
            with self.subTest(args=args):
                services, _ = self.stores(ET.fromstring(run("plan", *args, "--format", "tbxml")))
                for store, hosts in expect.items():
                    self.assertEqual({h for r, h in services.values() if r == store}, hosts)

    def test_sql_instance_one_fact(self):
        # the text plan's note "a SQL instance of its own" and the document's
        # SqlInstance of the store are one fact: a collocated store the note gives
        # an instance of its own is on a named instance beside the server's
        # default; a store on a SQL server of its own (separate-stores) is on
        # that server's default instance (the contoso sample's stores share the
        # default instance: this plan's design gives Monitoring and Archiving
        # their own, as its text says)
        cases = [CONTOSO_ARGS[:-2], ["examples/reference-large.ini"],
                 ["--site", "HQ=30000", "--monitoring=true", "--archiving=true"],
                 ["--site", "HQ=30000", "--monitoring=true", "--archiving=true",
                  "--separate-stores=true"],
                 ["examples/dr-enterprise-pchat.ini"]]
        stores = {"MonitoringStore": "Monitoring store", "ArchivingStore": "Archiving store",
                  "PersistentChatStore": "Persistent Chat store"}
        checked = collections.Counter()
        for args in cases:
            with self.subTest(args=args):
                plan = json.loads(run("plan", *args, "--format", "json"))
                root = ET.fromstring(run("plan", *args, "--format", "tbxml"))
                instance = {}  # UniqueId -> (site, cluster Fqdn, Name, default)
                for site in root.iter(q(W, "CentralSite")):
                    name = site.find(q(T, "Name")).text
                    for c in site.iter(q(W, "Cluster")):
                        for k, i in enumerate(c.iter(q(W, "SqlInstance"))):
                            instance[i.get("UniqueId")] = (name, c.get("Fqdn"), i.get("Name"), k == 0)
                for s in self.services(root):
                    if s.get("RoleName") not in stores:
                        continue
                    site, fqdn, _, default = instance[s.get("InstalledOn")]
                    notes = next(x["notes"] for x in plan["sites"] if x["name"] == site)
                    own = any(n.startswith(stores[s.get("RoleName")]) and
                              ("instance of its own" in n or "instances of their own" in n)
                              for n in notes)
                    self.assertEqual(not default, own, (site, s.get("RoleName"), fqdn, notes))
                    checked[own] += 1
        self.assertGreater(checked[True], 0)
        self.assertGreater(checked[False], 0)

    def test_rule_set_without_topology_builder(self):
        # [tb-cluster] and [tb-service] groups without [topology-builder]: the
        # rule file is refused (exit 2), naming the group it lacks
        with lptest.tmpdir() as tmp:
            os.symlink(os.path.join(ROOT, "templates"), os.path.join(tmp, "templates"))
            rules = os.path.join(tmp, "rules")
            os.mkdir(rules)
            with open(os.path.join(ROOT, "rules", "lync2013.rules")) as f:
                text = f.read()
            start = text.index("\n[topology-builder]\n") + 1
            end = text.index("\n[", start + 1)
            with open(os.path.join(rules, "lync2013.rules"), "w") as f:
                f.write(text[:start] + text[end + 1:])
            p = lptest.run("plan", "--rules-dir", rules, "--product", "lync2013", "--site",
                           "HQ=500", "--format", "tbxml")
            self.assertEqual(p.returncode, 2, p.stderr.decode())
            self.assertIn("[topology-builder]", p.stderr.decode())
            self.assertEqual(p.stdout, b"")


if __name__ == "__main__":
    lptest.main()
