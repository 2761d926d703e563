/* test-rules.c: mistakes in rule and template files. Each row copies the
 * source tree's rules/ and templates/ to a temporary folder, replaces one
 * piece of text in one file, and pins the exact message. {line} in the
 * expected message stands for the line where the replaced text starts, {first}
 * for the line where the replacement text already stood, if it did. */
#include <glib.h>
#include <glib/gstdio.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "lp-cli.h"
#include "lp-engine.h"
#include "lp-test.h"

typedef struct {
  const char *name;
  const char *file; /* relative to the data folder */
  const char *find;
  const char *replace;
  const char *expected;
  gboolean at_plan; /* the rules load; planning the seed's DR scenario fails */
} RuleRow;

static const RuleRow rows[] = {
  { "template naming an unknown licence", "templates/enterprise-pool.tmpl",
    "back-end-ha = sql-mirroring", "licences = sql-enterprize",
    "templates/enterprise-pool.tmpl:{line}: [template] licences: no [licence sql-enterprize] in the "
    "rule file" },
  { "licence of an unknown role", "rules/lync2013.rules", "role = back-end-sql",
    "role = back-end-sq",
    "rules/lync2013.rules:{line}: [licence sql-enterprise] role: no [role back-end-sq] in the "
    "rule file" },
  { "unknown name in a formula", "templates/enterprise-pool.tmpl",
    "front-end = pools * front-ends-per-pool", "front-end = pools * front-end-per-pool",
    "templates/enterprise-pool.tmpl:{line}: [roles] front-end: column 9: unknown name "
    "'front-end-per-pool' (did you mean 'front-ends-per-pool'?)" },
  { "formula cut short", "rules/lync2013.rules", "rpo = if(paired, pool-failover-rpo, 0)",
    "rpo = if(paired pool-failover-rpo, 0)",
    "rules/lync2013.rules:{line}: [failure pool] rpo: column 11: expected ',' or ')', got "
    "'pool-failover-rpo'" },
  { "failure row with an rto", "rules/lync2013.rules",
    "response = response-time\nrpo = be-failover-rpo",
    "rto = 5\nresponse = response-time\nrpo = be-failover-rpo",
    "rules/lync2013.rules:{line}: [failure back-end] rto: a row's recovery time is its response "
    "time (manual rows) plus its steps: give response and step-N-minutes instead" },
  { "failure step without minutes", "rules/lync2013.rules",
    "step-1 = None while the witness is up: the mirror becomes principal automatically\nstep-1-minutes = be-failover-time\n",
    "step-1 = None while the witness is up: the mirror becomes principal automatically\n",
    "rules/lync2013.rules:{line}: [failure back-end] step-1-minutes: missing: every step says how "
    "long it takes" },
  { "failure step part without its step", "rules/lync2013.rules",
    "source = L13-BE, L13-DB-FAILOVER", "step-7-when = paired\nsource = L13-BE, L13-DB-FAILOVER",
    "rules/lync2013.rules:{line}: [failure back-end] step-7-when: no step-7 in the group" },
  { "manual failure row without a response time", "rules/lync2013.rules",
    "automatic = n-sql-witness > 0\nresponse = response-time\n", "automatic = n-sql-witness > 0\n",
    "rules/lync2013.rules:{line}: [failure back-end] response: missing: a row that may be manual "
    "gives its response time" },
  { "automatic failure row with a response time", "rules/lync2013.rules",
    "rpo = 0\neffect = no effect on users", "response = 5\nrpo = 0\neffect = no effect on users",
    "rules/lync2013.rules:{line}: [failure sql-witness] response: a row that is always automatic "
    "has no response time" },
  { "include of a file that is not a .inc", "templates/standard-paired.tmpl",
    "[include perimeter.inc]", "[include ../rules/lync2013.rules]",
    "templates/standard-paired.tmpl:{line}: [include ../rules/lync2013.rules] expected the name "
    "of a .inc file beside the template" },
  { "include of a template", "templates/perimeter.inc", "[availability edge]",
    "[template]\nid = x\n\n[availability edge]",
    "templates/perimeter.inc:{line}: [template] an included file holds no [template]" },
  { "word without its replacement", "rules/lync2013.rules", "[role standard-edition]",
    "[word lync]\nfrom = Lync Server\n\n[role standard-edition]",
    "rules/lync2013.rules:{line}: [word lync] to: missing key" },
  { "word replacing nothing", "rules/lync2013.rules", "[role standard-edition]",
    "[word lync]\nfrom =\nto = Skype\n\n[role standard-edition]",
    "rules/lync2013.rules:{line}: [word lync] from: expected the phrase to replace" },
  { "figure without a member", "templates/standard-voice-stores.inc", "[figure mediation-capacity]",
    "[figure empty]\napplies = voice\n\n[figure mediation-capacity]",
    "templates/standard-voice-stores.inc:{line}: [figure empty] a figure needs at least one "
    "member (MEMBER = EXPR)" },
  { "figure member with an unknown name", "templates/enterprise-voice-stores.inc",
    "pstn-calls = pstn-calls", "pstn-calls = pstn-cals",
    "templates/enterprise-voice-stores.inc:{line}: [figure mediation-capacity] pstn-calls: column "
    "1: unknown name 'pstn-cals' (did you mean 'pstn-calls'?)" },
  { "availability kind typo", "templates/standard-paired.tmpl", "kind = pair", "kind = pear",
    "templates/standard-paired.tmpl:{line}: [availability standard-edition] kind: expected k-of-n "
    "or pair, got 'pear'" },
  { "availability for unknown users", "templates/standard-paired.tmpl", "users = internal, remote",
    "users = internal, remot",
    "templates/standard-paired.tmpl:{line}: [availability standard-edition] users: expected "
    "internal, remote or both, got 'remot'" },
  { "Topology Builder cluster of an unknown endpoint", "rules/lync2013.rules",
    "[tb-cluster edge]\n", "[tb-cluster edges]\n",
    "rules/lync2013.rules:{line}: [tb-cluster edges] no [endpoint edges] in the rule file" },
  { "Topology Builder service depending on an unknown one", "rules/lync2013.rules",
    "depends = user-store, file-store, conf-services",
    "depends = user-stor, file-store, conf-services",
    "rules/lync2013.rules:{line}: [tb-service user-services] depends: no [tb-service user-stor] "
    "in the rule file" },
  { "Topology Builder port without its protocol", "rules/lync2013.rules",
    "port-9 = urn:component:Lyss WcfMtls Primary 5077 Mtls / false",
    "port-9 = urn:component:Lyss WcfMtls Primary 5077 / false",
    "rules/lync2013.rules:{line}: [tb-service registrar] port-9: expected 'OWNER USAGE SIDE PORT "
    "PROTOCOL URLPATH true|false [NAME=VALUE ...]' (PORT from 1 to 65535), got "
    "'urn:component:Lyss WcfMtls Primary 5077 / false'" },
  { "Topology Builder port out of range", "rules/lync2013.rules",
    "port-9 = urn:component:Lyss WcfMtls Primary 5077 Mtls / false",
    "port-9 = urn:component:Lyss WcfMtls Primary 70000 Mtls / false",
    "rules/lync2013.rules:{line}: [tb-service registrar] port-9: expected 'OWNER USAGE SIDE PORT "
    "PROTOCOL URLPATH true|false [NAME=VALUE ...]' (PORT from 1 to 65535), got "
    "'urn:component:Lyss WcfMtls Primary 70000 Mtls / false'" },
  { "Topology Builder MCU with a bare word", "rules/lync2013.rules",
    "mcus = IMConf, DataConf MinSupportedMode=14", "mcus = IMConf, DataConf 14",
    "rules/lync2013.rules:{line}: [tb-service conf-services] mcus: expected 'NAME [NAME=VALUE "
    "...]', got 'DataConf 14'" },
  { "Topology Builder service with an unknown key", "rules/lync2013.rules",
    "mcus = IMConf, DataConf MinSupportedMode=14", "mcu = IMConf",
    "rules/lync2013.rules:{line}: [tb-service conf-services] mcu: unknown key" },
  { "Topology Builder external name the endpoint lacks", "rules/lync2013.rules",
    "configured-fqdn = AccessEdge sip-{site}.{domain},",
    "configured-fqdn = AccessEdge sipx.{domain},",
    "rules/lync2013.rules:{line}: [tb-service edge-server] configured-fqdn: 'sipx.{domain}' is not "
    "an external name of an endpoint the service is on" },
  { "Topology Builder external name without its component", "rules/lync2013.rules",
    "configured-fqdn = AccessEdge sip-{site}.{domain},", "configured-fqdn = sip-{site}.{domain},",
    "rules/lync2013.rules:{line}: [tb-service edge-server] configured-fqdn: expected 'COMPONENT "
    "TEMPLATE', got 'sip-{site}.{domain}'" },
  { "Topology Builder NAT of an interface the cluster lacks", "rules/lync2013.rules",
    "nat-side = External", "nat-side = Pstn",
    "rules/lync2013.rules:{line}: [tb-cluster edge] nat-side: 'Pstn' is not one of its interfaces" },
  { "Topology Builder NAT without its constant", "rules/lync2013.rules", "nat = tb-edge-nat\n",
    "nat = tb-edge-nap\n",
    "rules/lync2013.rules:{line}: [tb-cluster edge] nat: no [constant tb-edge-nap] in the rule "
    "file" },
  { "Topology Builder NAT side alone", "rules/lync2013.rules",
    "nat = tb-edge-nat\nnat-side = External", "nat-side = External",
    "rules/lync2013.rules:{line}: [tb-cluster edge] nat: nat and nat-side go together" },
  { "Topology Builder own instance of an unknown note", "rules/lync2013.rules",
    "own-instance-notes = monitoring-store\n", "own-instance-notes = monitoring-stor\n",
    "rules/lync2013.rules:{line}: [tb-service monitoring-store] own-instance-notes: no [note "
    "monitoring-stor] in the templates" },
  { "Topology Builder own instance without its notes", "rules/lync2013.rules",
    "own-instance = monitoring\nown-instance-notes = monitoring-store\n",
    "own-instance = monitoring\n",
    "rules/lync2013.rules:{line}: [tb-service monitoring-store] own-instance-notes: own-instance "
    "(a SqlInstance's name) and own-instance-notes (the template notes that give the store one) "
    "go together" },
  { "Topology Builder service version that is no constant", "rules/lync2013.rules",
    "service-version = tb-service-version", "service-version = tb-service-versio",
    "rules/lync2013.rules:{line}: [topology-builder] service-version: no [constant "
    "tb-service-versio] in the rule file" },
  { "unknown source", "rules/lync2013.rules", "source = L13-BE: synchronous",
    "source = L31-BE: synchronous",
    "rules/lync2013.rules:{line}: [constant back-ends-per-pool] source: unknown source 'L31-BE' "
    "(did you mean 'L13-BE'?): expected a key of [sources] or 'assumption: why'" },
  { "duration with an unknown unit", "rules/lync2013.rules", "value = 30m\nsource = L13-RTO",
    "value = 30q\nsource = L13-RTO",
    "rules/lync2013.rules:{line}: [constant pool-failover-time] value: expected a duration with a "
    "unit such as 30m, 4h, 1d or 1h30m, got '30q' ('q' is not a unit: use d, h, m or s)" },
  { "constant without a source", "rules/lync2013.rules",
    "[constant front-ends-max]\nvalue = 12\nunit = servers\nsource = L13-CAP: twelve Front End "
    "servers per pool are sufficient for 80,000 users\n",
    "[constant front-ends-max]\nvalue = 12\nunit = servers\n",
    "rules/lync2013.rules:{line}: [constant front-ends-max] source: missing key" },
  { "unknown role in a template", "templates/standard-paired.tmpl", "edge = if(edge-here",
    "egde = if(edge-here",
    "templates/standard-paired.tmpl:{line}: [roles] egde: unknown role (did you mean 'edge'?): the "
    "rule file's [role ...] groups name them" },
  { "unknown group", "rules/lync2013.rules", "[let]\nremote-users", "[lett]\nremote-users",
    "rules/lync2013.rules:{line}: [lett] unknown group: expected rule-set, sources, input, "
    "constant, role, edition, let, check, failure, data, storage, quorum, dns, endpoint, "
    "certificate, flow, availability, word, topology-builder, tb-cluster or tb-service" },
  { "certificate with an unknown placeholder", "rules/lync2013.rules",
    "subject = edgepool-{site}.{default-domain}", "subject = edgepool-{sight}.{default-domain}",
    "rules/lync2013.rules:{line}: [certificate edge-internal] subject: unknown placeholder "
    "'{sight}': expected {domain}, {default-domain}, {pool}, {partner-pool}, {member}, {server}, "
    "{site}, {site-name}, {published}, {published-urls}, {web-internal}, {web-external} or "
    "{dns:KEY}" },
  { "certificate naming an unknown [dns] key", "rules/lync2013.rules",
    "{dns:discover-internal}.{domain}, {published-urls}\nissuer = internal\nnote = Requested",
    "{dns:discover-internl}.{domain}, {published-urls}\nissuer = internal\nnote = Requested",
    "rules/lync2013.rules:{line}: [certificate director] san: unknown placeholder "
    "'{dns:discover-internl}': expected {domain}, {default-domain}, {pool}, {partner-pool}, {member}, {server}, "
    "{site}, {site-name}, {published}, {published-urls}, {web-internal}, {web-external} or "
    "{dns:KEY}" },
  { "certificate with an unknown issuer", "rules/lync2013.rules",
    "issuer = public\nnote = Assigned", "issuer = publik\nnote = Assigned",
    "rules/lync2013.rules:{line}: [certificate edge-external] issuer: expected internal or public, "
    "got 'publik'" },
  { "certificate with dns neither yes nor no", "rules/lync2013.rules",
    "dns = no\nnote = One certificate", "dns = never\nnote = One certificate",
    "rules/lync2013.rules:{line}: [certificate oauth-token-issuer] dns: expected no or yes, "
    "got 'never'" },
  { "port out of range", "rules/lync2013.rules", "port = 50000-59999\nprotocol = TCP",
    "port = 50000-70000\nprotocol = TCP",
    "rules/lync2013.rules:{line}: [flow edge-ext-media-tcp] port: expected a port from 1 to 65535 "
    "or a range LOW-HIGH, got '50000-70000'" },
  { "flow from an unknown endpoint", "rules/lync2013.rules",
    "from = front-end-pool\nto = file-store\n", "from = front-end-pools\nto = file-store\n",
    "rules/lync2013.rules:{line}: [flow pool-pairing] from: no [endpoint front-end-pools] in the "
    "rule file" },
  { "flow pairing every instance of two per-site endpoints", "rules/lync2013.rules",
    "between = uses-edge\nport = 5061\n", "between = any\nport = 5061\n",
    "rules/lync2013.rules:{line}: [flow edge-int-sip-in] between: 'any' pairs every instance of "
    "two endpoints: one of them must be per = organization" },
  { "endpoint of an unknown role", "rules/lync2013.rules",
    "roles = survivable-branch-appliance, survivable-branch-server\nper = server",
    "roles = survivable-branch-appliances, survivable-branch-server\nper = server",
    "rules/lync2013.rules:{line}: [endpoint branch-appliance] roles: no [role "
    "survivable-branch-appliances] in the rule file" },
  { "certificate of an unknown endpoint", "rules/lync2013.rules",
    "endpoint = branch-appliance\nsubject", "endpoint = branch-appliances\nsubject",
    "rules/lync2013.rules:{line}: [certificate branch-appliance] endpoint: no [endpoint "
    "branch-appliances] in the rule file" },
  { "role capacity with an unknown name", "rules/lync2013.rules", "capacity = users-per-edge\n",
    "capacity = users-per-edgy\n",
    "rules/lync2013.rules:{line}: [role edge] capacity: column 1: unknown name 'users-per-edgy' "
    "(did you mean 'users-per-edge'?)" },
  { "role capacity-unit without a capacity", "rules/lync2013.rules",
    "capacity = users-per-edge\ncapacity-unit", "capacity-unit",
    "rules/lync2013.rules:{line}: [role edge] capacity-unit: a capacity-unit without a capacity" },
  { "role capacity-failover without a capacity", "rules/lync2013.rules",
    "capacity = se-users-per-server\ncapacity-unit = users\n", "",
    "rules/lync2013.rules:{line}: [role standard-edition] capacity-failover: a capacity-failover "
    "without a capacity" },
  { "role capacity-servers with an unknown name", "rules/lync2013.rules",
    "capacity-servers = min(n-persistent-chat, pchat-active-here)",
    "capacity-servers = min(n-persistent-chat, pchat-active-her)",
    "rules/lync2013.rules:{line}: [role persistent-chat] capacity-servers: column 24: unknown name "
    "'pchat-active-her' (did you mean 'pchat-active-here'?)" },
  { "ignored-because without its formula", "rules/lync2013.rules",
    "ignored-unless = persistent-chat\n", "",
    "rules/lync2013.rules:{line}: [input persistent-chat-compliance] ignored-because: an "
    "ignored-because without an ignored-unless" },
  { "ignored-unless with an unknown name", "rules/lync2013.rules", "ignored-unless = voice\n",
    "ignored-unless = voic\n",
    "rules/lync2013.rules:{line}: [input pstn-calls] ignored-unless: column 1: unknown name 'voic' "
    "(did you mean 'voice'?)" },
  { "storage row without its figure", "rules/lync2013.rules", "gb-per-year = users * archiving-kb",
    "gb-a-year = users * archiving-kb",
    "rules/lync2013.rules:{line}: [storage archiving] gb-a-year: unknown key (did you mean "
    "'gb-per-year'?)" },
  { "storage row with an unknown name", "rules/lync2013.rules",
    "gb-per-year = users * archiving-kb", "gb-per-year = users * archiving-kbs",
    "rules/lync2013.rules:{line}: [storage archiving] gb-per-year: column 9: unknown name "
    "'archiving-kbs' (did you mean 'archiving-kb'?)" },
  { "missing template", "rules/lync2013.rules", "templates = ../templates/standard-single.tmpl",
    "templates = ../templates/standard-singel.tmpl",
    "rules/lync2013.rules:{line}: [rule-set] templates: cannot read templates/standard-singel.tmpl: "
    "No such file or directory" },
  { "let shadowing a constant", "templates/enterprise-pool-let.inc", "pools = ceil(",
    "users-per-edge = 1\npools = ceil(",
    "templates/enterprise-pool-let.inc:{line}: [let] users-per-edge: the name is taken by the rule set" },
  { "failure scope typo", "rules/lync2013.rules", "scope = site\napplies = paired",
    "scope = sites\napplies = paired",
    "rules/lync2013.rules:{line}: [failure site-failover] scope: expected component, multiple, "
    "site or planned, got 'sites'" },
  { "failure row for no template", "rules/lync2013.rules", "templates = standard-single\n",
    "templates = standard-singel\n",
    "rules/lync2013.rules:{line}: [failure se-server] templates: no template 'standard-singel' "
    "in the rule set" },
  { "failure row with an unnumbered step", "rules/lync2013.rules", "label = the SQL witness",
    "step = first\nlabel = the SQL witness",
    "rules/lync2013.rules:{line}: [failure sql-witness] step: unknown key: expected one of label, "
    "scope, templates, edition, applies, automatic, response, rpo, effect, roles, step-N (N from 1 "
    "to 16), step-N-minutes, step-N-when, step-N-after, step-N-needs, step-N-restores, source" },
  { "unknown edition", "templates/enterprise-pool.tmpl", "edition = enterprise",
    "edition = enterprize",
    "templates/enterprise-pool.tmpl:{line}: [template] edition: no [edition enterprize] in the "
    "rule file" },
  { "duplicate constant", "rules/lync2013.rules", "[constant witnesses-per-pool]",
    "[constant back-ends-per-pool]",
    "rules/lync2013.rules:{line}: [constant back-ends-per-pool] duplicate group (first at line {first})" },
  { "check compare typo", "rules/lync2013.rules", "compare = at-least\ntarget = sla",
    "compare = atleast\ntarget = sla",
    "rules/lync2013.rules:{line}: [check sla] compare: expected at-most or at-least, got 'atleast'" },
  { "count that is not whole", "templates/enterprise-paired.tmpl",
    "file-server = file-servers-per-site", "file-server = file-servers-per-site / 4",
    "templates/enterprise-paired.tmpl:{line}: [roles] file-server: gives 0.5 for site HQ: a server "
    "count must be a whole number, 0 or more",
    TRUE },
  { "count from a division by zero", "templates/enterprise-paired.tmpl",
    "file-server = file-servers-per-site", "file-server = file-servers-per-site / 0",
    "templates/enterprise-paired.tmpl:{line}: [roles] file-server: gives no number (a division by "
    "0?) for site HQ: a server count must be a whole number, 0 or more",
    TRUE },
  { "port out of range", "rules/lync2013.rules", "sip-internal-port = 5061",
    "sip-internal-port = 70000",
    "rules/lync2013.rules:{line}: [dns] sip-internal-port: expected a whole number from 1 to 65535, "
    "got '70000'" },
  { "standby SRV priority before the active one", "rules/lync2013.rules",
    "srv-priority-standby = 20", "srv-priority-standby = 5",
    "rules/lync2013.rules:{line}: [dns] srv-priority-standby: expected a whole number from 11 to "
    "65535, got '5'" },
  { "constant outside its own range", "rules/lync2013.rules",
    "value = 12\nunit = servers\nsource = L13-CAP: twelve",
    "value = 0\nunit = servers\nsource = L13-CAP: twelve",
    "rules/lync2013.rules:{line}: [constant front-ends-max] value: expected a value from 1 to 64 "
    "(its range in the rule set), got '0'" },
  { "constant without a range", "rules/lync2013.rules",
    "[constant front-ends-max]\nvalue = 12\nunit = servers\nsource = L13-CAP: twelve Front End "
    "servers per pool are sufficient for 80,000 users\n# range: a pool has a server; [quorum] "
    "lists pools of up to 64\nrange = 1..64\n",
    "[constant front-ends-max]\nvalue = 12\nunit = servers\nsource = L13-CAP: twelve Front End "
    "servers per pool are sufficient for 80,000 users\n",
    "rules/lync2013.rules:{line}: [constant front-ends-max] range: missing key: every constant that "
    "is not yes/no has one" },
  { "range the wrong way round", "rules/lync2013.rules",
    "range = 1..64\n\n[constant front-end-spare]", "range = 64..1\n\n[constant front-end-spare]",
    "rules/lync2013.rules:{line}: [constant front-ends-max] range: expected MIN..MAX with MIN <= "
    "MAX, both written as the value is (such as 1..12 or 0m..7d), got '64..1'" },
  { "range of a duration without units", "rules/lync2013.rules",
    "range = 0m..90d\n\n[constant site-rebuild-time]",
    "range = 0..90\n\n[constant site-rebuild-time]",
    "rules/lync2013.rules:{line}: [constant restore-time] range: expected MIN..MAX with MIN <= "
    "MAX, both written as the value is (such as 1..12 or 0m..7d), got '0..90'" },
  { "let giving no number", "templates/enterprise-paired-let.inc",
    "pair-users = (users + partner-users) / pools", "pair-users = 0 / 0 * pools",
    "templates/enterprise-paired-let.inc:{line}: [let] pair-users: gives no number (0 / 0?) for site "
    "HQ: a [let] value must be a finite number",
    TRUE },
  { "let giving infinity", "rules/lync2013.rules",
    "edge-users = if(edge-here, remote-users + partner-remote-users + ceil(edge-guest-users), 0)",
    "edge-users = remote-users / 0",
    "rules/lync2013.rules:{line}: [let] edge-users: gives infinity (a division by 0?) for site HQ: "
    "a [let] value must be a finite number",
    TRUE },
  { "NaN not absorbed by max()", "templates/standard-paired.tmpl",
    "edge = if(edge-here, max(edges-min-ha, ceil(edge-users / users-per-edge)), 0)",
    "edge = max(edges-min-ha, 0 / 0)",
    "templates/standard-paired.tmpl:{line}: [roles] edge: gives no number (a division by 0?) for "
    "site HQ: a server count must be a whole number, 0 or more",
    TRUE },
  { "range on a yes/no constant", "rules/lync2013.rules",
    "source = assumption: Directors are optional",
    "range = 0..1\nsource = assumption: Directors are optional",
    "rules/lync2013.rules:{line}: [constant deploy-directors] range: only a constant that is not "
    "yes/no takes a range" },
};

static guint
line_of (const char *data, const char *at)
{
  guint line = 1;

  for (const char *p = data; p < at; p++)
    line += *p == '\n';
  return line;
}

/* Replaces row->find in the copy; returns the line it starts on, and in
 * @first the line where row->replace stood already (0 if nowhere). */
static guint
mutate (const char *dir, const RuleRow *row, guint *first)
{
  g_autofree char *path = g_build_filename (dir, row->file, NULL);
  g_autofree char *data = NULL;
  g_autoptr (GString) s = NULL;
  const char *at;
  guint line = 1;

  g_assert_true (g_file_get_contents (path, &data, NULL, NULL));
  at = strstr (data, row->find);
  if (at == NULL)
    fail_msg ("'%s' is not in %s: update the test row", row->find, row->file);
  line = line_of (data, at);
  *first = strstr (data, row->replace) ? line_of (data, strstr (data, row->replace)) : 0;
  s = g_string_new (data);
  g_string_replace (s, row->find, row->replace, 1);
  g_assert_true (g_file_set_contents (path, s->str, -1, NULL));
  return line;
}

static char *
plan_error (const LpRuleset *rs)
{
  g_autoptr (LpScenario) sc = lp_scenario_new (rs);
  g_autoptr (LpPlan) plan = NULL;
  GError *error = NULL;
  char *msg;

  g_assert_true (lp_scenario_add_site_flag (sc, "HQ=5000", NULL));
  g_assert_true (lp_scenario_set_value (sc, "dr-rto", "4h", "test:", NULL));
  g_assert_true (lp_scenario_resolve (sc, rs, NULL));
  plan = lp_engine_plan (rs, sc, FALSE, &error);
  assert_null (plan);
  assert_non_null (error);
  msg = g_strdup (error->message);
  g_error_free (error);
  return msg;
}

static void
test_row (void **state)
{
  const RuleRow *row = *state;
  g_autofree char *dir = g_dir_make_tmp ("lyncplan-rules-XXXXXX", NULL);
  g_autofree char *rules = g_build_filename (dir, "rules", "lync2013.rules", NULL);
  g_autofree char *prefix = g_strconcat (dir, "/", NULL);
  g_autofree char *line = NULL;
  g_autofree char *first_text = NULL;
  guint first = 0;
  g_autoptr (GString) expected = g_string_new (row->expected);
  g_autoptr (GString) got = NULL;
  g_autoptr (LpRuleset) rs = NULL;
  GError *error = NULL;

  lp_test_copy_tree (g_getenv ("LP_SOURCE_ROOT"), dir, "rules");
  lp_test_copy_tree (g_getenv ("LP_SOURCE_ROOT"), dir, "templates");
  line = g_strdup_printf ("%u", mutate (dir, row, &first));
  first_text = g_strdup_printf ("%u", first);
  g_string_replace (expected, "{line}", line, 0);
  g_string_replace (expected, "{first}", first_text, 0);
  rs = lp_ruleset_load (rules, &error);
  if (row->at_plan) {
    g_autofree char *msg = NULL;
    assert_non_null (rs);
    msg = plan_error (rs);
    got = g_string_new (msg);
  } else {
    assert_null (rs);
    assert_non_null (error);
    got = g_string_new (error->message);
    g_error_free (error);
    /* a caller that asks for no details gets the same failure, no crash */
    assert_null (lp_ruleset_load (rules, NULL));
  }
  g_string_replace (got, prefix, "", 0);
  assert_string_equal (got->str, expected->str);
}

static void
test_source_tree_loads (void **state)
{
  g_autofree char *path = g_build_filename (g_getenv ("LP_SOURCE_ROOT"), "rules", "lync2013.rules",
                                            NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (LpRuleset) rs = lp_ruleset_load (path, &error);

  assert_null (error);
  /* the seed's four, the failover cluster's two and the branch sites' */
  assert_int_equal (rs->templates->len, 7);
  /* a caller that wants no error details gets the same result */
  {
    g_autoptr (LpRuleset) quiet = lp_ruleset_load (path, NULL);
    assert_non_null (quiet);
  }
  assert_non_null (lp_ruleset_find_var (rs, "pool-failover-time"));
}

/* --rules-dir rules: a relative folder, whose templates are found relative
 * to the rule file all the same (GLib's canonicalizing takes only an
 * absolute base). */
static void
test_relative_rules_dir (void **state)
{
  g_autofree char *here = g_get_current_dir ();
  g_autoptr (GError) error = NULL;
  g_autoptr (LpRuleset) rs = NULL;

  assert_int_equal (g_chdir (g_getenv ("LP_SOURCE_ROOT")), 0);
  rs = lp_ruleset_load_product ("rules", "lync2013", &error);
  assert_int_equal (g_chdir (here), 0);
  assert_null (error);
  assert_non_null (rs);
  assert_int_equal (rs->templates->len, 7);
}

int
main (void)
{
  LP_TEST_TABLE (tests, rows, test_row);
  LP_TEST_ADD (tests, test_source_tree_loads);
  LP_TEST_ADD (tests, test_relative_rules_dir);
  return LP_TEST_RUN ("rules", tests);
}
