/* lp-ruleset.h: a rule file and its templates, loaded and compiled once.
 *
 * A rule set is immutable after loading: the engine reads it for every
 * scenario it plans, from any number of threads. */
#pragma once

#include <glib.h>

#include "lp-expr.h"

/* How a rule value is written, and so how an override must be written. */
typedef enum {
  LP_VALUE_NUMBER,
  LP_VALUE_DURATION, /* minutes */
  LP_VALUE_PERCENT,
  LP_VALUE_BOOL,   /* 1 or 0 */
  LP_VALUE_CHOICE, /* the index of one of an input's choices */
} LpValueType;

/* An [input NAME] default or a [constant NAME]. */
typedef struct {
  char *name;
  gboolean is_input;
  LpValueType type;
  double value;
  char *text;   /* the value as written in the rule file */
  char *unit;   /* nullable */
  char *source; /* a [sources] key, or "assumption: why" */
  char *note;   /* nullable */
  guint slot;
  gboolean has_range;        /* a constant's range (yes/no constants and inputs have none) */
  double min, max;           /* its bounds, inclusive, in the value's own units */
  char *min_text, *max_text; /* as the rule file writes them */
  char *where;               /* "rules/NAME.rules:line" of its group: a parent's when inherited */
} LpRuleVar;

/* Where a scenario may set an input: in [scenario] (and by flag), in a
 * [site NAME] group (and in --site), or both. */
typedef enum {
  LP_SCOPE_SCENARIO = 1 << 0,
  LP_SCOPE_SITE = 1 << 1,
} LpInputScope;

/* At most this many inputs of site scope (the engine keeps their values per plan). */
#define LP_MAX_SITE_INPUTS 64

/* How the sites of a pairing group combine their values of a site-scope
 * input ([input] group = min, max or same): each site its own (the
 * default), the whole group the smallest or largest of them (the stricter
 * of two sites' requirements), or each its own where both must be equal
 * (virtual: paired pools alike; a pair that differs is refused). */
typedef enum {
  LP_INPUT_GROUP_OWN,
  LP_INPUT_GROUP_MIN,
  LP_INPUT_GROUP_MAX,
  LP_INPUT_GROUP_SAME,
} LpInputGroup;

/* @a and @b combined as @group says: the smaller, the larger, or @a (each
 * site its own; for LP_INPUT_GROUP_SAME the planner has checked a == b). */
static inline double
lp_input_group_combine (LpInputGroup group, double a, double b)
{
  return group == LP_INPUT_GROUP_MIN ? MIN (a, b) : group == LP_INPUT_GROUP_MAX ? MAX (a, b) : a;
}

/* An [input KEY] group: one key of the scenario's vocabulary. Everything
 * that reads or shows the scenario's inputs (its keys, --KEY options, --vary
 * axes, --help, the Inputs section of every output) is made from these. */
typedef struct _LpInput {
  char *key;
  LpValueType type;
  GStrv choices; /* LP_VALUE_CHOICE: the words, a value is an index */
  gboolean list; /* a choice that takes several words, "a, b": the value has bit i for word i */
  gboolean none; /* "none" is a value: no such requirement (infinity) */
  gboolean has_range; /* a percentage's bounds */
  gboolean open;      /* the bounds themselves are excluded */
  double min, max;
  char *min_text, *max_text;
  guint scope;       /* LpInputScope flags */
  char *help;        /* the option's help */
  char *title;       /* what a customer reads: its title key, else the key */
  char *placeholder; /* nullable (yes/no): the option's value, "DUR" */
  char *alias;       /* nullable: a shorter key in --site NAME=USERS,KEY=VALUE */
  gboolean sweepable;
  LpInputGroup group; /* a site-scope input: the value a group of sites is planned with */
  LpRuleVar *var;     /* its default, slot and source */
  gboolean
    partner; /* partner = true (site scope): formulas read partner-KEY, the DR partner's value */
  guint partner_slot;     /* the slot of partner-KEY, when partner */
  guint index;            /* in LpRuleset.inputs */
  gint site_index;        /* in LpRuleset.site_inputs, or -1 (scenario scope only) */
  LpExpr *ignored_unless; /* nullable: a value other than the default takes effect only where
                           * this holds; elsewhere the plan warns that it is ignored */
  char *ignored_because;  /* with ignored_unless: why, as the warning says it ("voice is off") */
} LpInput;

/* Inputs with an ignored-unless formula have an index below this (a bit each). */
#define LP_IGNORED_INPUTS_MAX 64

/* A named formula: a [let] entry or a template's role count. */
typedef struct {
  char *name;
  char *where; /* "templates/NAME.tmpl:line", the same on every machine */
  LpExpr *expr;
  guint slot; /* where a [let] stores its value; unused for roles */
} LpFormula;

typedef struct {
  char *id;
  char *short_name; /* its part of generated server names: "fe" */
  char *name;
  char *hardware;
  char *source;
  gboolean appliance; /* category = appliance (or appliance = true): counted apart from servers */
  gboolean reverse_proxy; /* category = reverse-proxy: counted apart from both */
  gboolean per_pool;      /* its servers belong to the site's pools */
  char *where;            /* "rules/NAME.rules:line" of its group: a parent's when inherited */
  char *pool;       /* nullable: its servers at a site form one pool of this name ("Edge pool") */
  LpExpr *capacity; /* nullable: what one of its servers carries at the site being sized */
  char *capacity_unit; /* what @capacity counts ("users", "PSTN calls"); set with it */
  /* nullable, with a capacity only: how many of its servers at the site carry
   * (the others stand by; all when NULL) */
  LpExpr *capacity_servers;
  /* nullable, with a capacity only: what the survivor of a pair of one-server
   * pools carries after a failover (both servers' users) */
  LpExpr *capacity_failover;
} LpRole;

/* A [licence ID]: a licence the servers of one role need in the designs whose
 * [template] licences names it, instead of the role's own (SQL Server Enterprise
 * edition for an Availability Group's replicas). A price list's [licence ID]
 * price is then their licence price. */
typedef struct {
  char *id;
  char *name;
  guint role; /* the role whose servers it licenses */
  char *source;
  char *where; /* "rules/NAME.rules:line" of its group: a parent's when inherited */
} LpLicence;

typedef enum { LP_CHECK_DURATION, LP_CHECK_PERCENT, LP_CHECK_YES_NO } LpCheckUnit;

typedef struct {
  char *id;
  char *label;
  char *title; /* what a customer reads: its title key, else the label */
  LpCheckUnit unit;
  gboolean at_least; /* met when achieved >= target; else achieved <= target */
  LpExpr *applies;   /* nullable: always */
  LpExpr *target;
  LpExpr *achieved;
  LpExpr *shortfall; /* nullable: the difference, in minutes for durations */
} LpCheck;

typedef enum {
  LP_FAILURE_COMPONENT, /* one server or device inside a site: the server-failure figures */
  LP_FAILURE_MULTIPLE,  /* several at once: reported, not part of the check */
  LP_FAILURE_SITE,      /* the whole site: the site-loss figures */
  LP_FAILURE_PLANNED, /* an operation after recovery (failback): reported, no target, not checked */
} LpFailureScope;

#define LP_FAILURE_MAX_STEPS 16 /* steps a [failure] row may have */
#define LP_MAX_SERVICES 16      /* [service ID] groups a rule set may have */

/* One step of a [failure] row: step-N, step-N-minutes, step-N-when, step-N-after,
 * step-N-needs, step-N-restores. */
typedef struct {
  char *text;
  guint number;       /* its N */
  LpExpr *minutes;    /* how long it takes */
  LpExpr *when;       /* nullable: always; else the step applies only where it holds */
  gboolean after;     /* follows after service is back (rebuild, re-mirror): not in the RTO */
  gboolean has_needs; /* step-N-needs given: it starts when those steps end (none: at once) */
  guint32 needs;      /* bit i: it waits for the row's step i (an index, not an N) */
  guint32 restores;   /* bit k: service class k of the rule set is back when it ends */
  char *needs_text;   /* as written, resolved when the row is complete */
  char *restores_text;
  guint needs_line, restores_line;
} LpFailureStep;

/* A [service ID] group: a class of service whose return a site-loss runbook
 * times (sign-in, voice, ...); in-scope says whether dr-rto holds it. */
typedef struct {
  char *id;
  char *label;
  LpExpr *in_scope; /* 1 where the scenario's dr-scope names the class */
  char *source;
} LpService;

/* A [failure ID] row: what fails, what users notice, who acts, how long. Its
 * RTO is its response time (when manual) plus the service-restoring steps
 * that apply. */
typedef struct {
  char *id;
  char *label;
  LpFailureScope scope;
  char *templates;        /* nullable: the template ids it is for, as written */
  guint templates_line;   /* the line of its templates key, for messages */
  char *templates_file;   /* the rule file it is written in (a parent's when inherited) */
  char *edition;          /* nullable: the edition it is for */
  gboolean *for_template; /* per template: the row belongs to it */
  LpExpr *applies;        /* nullable: always */
  LpExpr *automatic;
  LpExpr *response; /* nullable (automatic = true): time before staff act, for manual rows */
  LpExpr *rpo;
  char *effect;
  GStrv roles;      /* owned, never NULL: the role ids whose loss the row covers (roles key) */
  guint roles_line; /* the line of its roles key, for messages */
  gboolean timed_services; /* a step restores a service class: the RTO is the in-scope classes' */
  LpFailureStep *steps;
  guint n_steps;
  char *source;
  char *where; /* "rules/NAME.rules:line" of its group */
} LpFailure;

/* A [data ID] row: a class of data and how much of it a loss may take.
 * checked: the rpo and dr-rpo checks count it (no loss figure of its own);
 * else its loss is evaluated over the scenario's values, beside the checks. */
typedef struct {
  char *id;
  char *label;
  gboolean checked;
  LpExpr *applies; /* nullable: always */
  LpExpr *loss;    /* nullable when checked: minutes */
  char *note;
  char *source;
} LpDataClass;

/**
 * LpNameScope:
 * @LP_PER_POOL: one per pool of the roles (Front End pools, Standard
 *   Edition servers: the inventory's pools)
 * @LP_PER_SITE: one per site where any of the roles has servers
 * @LP_PER_SERVER: one per server of the roles (an appliance)
 * @LP_PER_ORGANIZATION: one for the organization (where any of the roles
 *   has servers, or always when it names no roles: the Internet)
 *
 * What an [endpoint ID] is repeated for; its certificates likewise.
 */
typedef enum {
  LP_PER_POOL,
  LP_PER_SITE,
  LP_PER_SERVER,
  LP_PER_ORGANIZATION,
} LpNameScope;

/**
 * LpZone:
 * Where an endpoint sits: the internal network, the perimeter network
 * (Edge servers, reverse proxies) or the Internet. A flow between two
 * zones crosses a firewall.
 */
typedef enum {
  LP_ZONE_INTERNAL,
  LP_ZONE_PERIMETER,
  LP_ZONE_INTERNET,
} LpZone;

/**
 * lp_zone_word:
 * Returns: (transfer none): "internal", "perimeter" or "internet".
 */
const char *lp_zone_word (LpZone zone);

/* An [endpoint ID]: a kind of node of the topology model (lp-topology.h):
 * the servers of its roles grouped per pool, site or server, or one of the
 * customer's parts (no roles: the Internet, federated partners, the PSTN
 * gateways). Its names are templates as a certificate's are, plus
 * {server} (the server of a per = server endpoint). fqdn is its own name
 * (internal DNS); names and external-names the other names it answers to in
 * internal and external DNS; web-internal and web-external its web
 * services names (web-external is published by a reverse proxy). */
typedef struct {
  char *id;
  char *label;
  GArray *roles; /* of guint: role indices; empty for a customer's part */
  LpNameScope per;
  LpZone zone;
  char *fqdn;           /* nullable: a customer's part has none of ours */
  GStrv names;          /* internal names (templates), empty for none */
  GStrv external_names; /* external names (templates), empty for none */
  char *web_internal;   /* nullable */
  char *web_external;   /* nullable */
  gboolean customer;    /* the customer's part (gateways): its roles only say where it is */
  gboolean publishes;   /* a reverse proxy: publishes the external web names of the sites whose
                        * Edge pool is at its site, and their partners' (GeoDNS) */
  LpExpr *applies;      /* nullable: always; over the scenario's values (voice) */
  char *source;
  char *where; /* "rules/lync2013.rules:LINE" of its group */
} LpEndpointRule;

/* A [certificate ID]: the certificate an endpoint presents and its names.
 * Names are templates: {domain} (each SIP domain), {default-domain} (the
 * first), {pool} (the endpoint's pool), {partner-pool} (the pool backing it
 * up), {member} (each server of the endpoint), {server} (the server of a
 * per = server endpoint), {site} (the site as a name part), {site-name},
 * {published} (each external web name a reverse proxy publishes),
 * {published-urls} (each external name of the organization-wide endpoints:
 * none without a reverse proxy), {web-internal} and {web-external} (the
 * endpoint's web names, where it has them) and
 * {dns:KEY} (a [dns] value). A name with a list placeholder stands for one
 * name per value. Every name must be one the topology model has. */
typedef struct {
  char *id;
  char *label;
  const LpEndpointRule *endpoint; /* the endpoint that presents it */
  GArray *roles;                  /* of guint: the endpoint's roles (borrowed copy) */
  LpNameScope per;                /* the endpoint's */
  char *subject;
  GStrv san;          /* name templates, in order; empty for none */
  gboolean public_ca; /* issuer = public; else internal */
  gboolean no_dns;    /* dns = no: its names are not host names (a token issuer's SIP
                       * domain): the plan asks no DNS record of them */
  char *note;         /* nullable */
  char *source;
  char *where; /* "rules/lync2013.rules:LINE" of its group */
} LpCertRule;

/**
 * LpFlowBetween:
 * Which instances of a flow's two endpoints talk: every pair (one side
 * must be per = organization), those at the same site, a site's pools and
 * the Edge pool its remote users use (uses-edge: from uses to; edge-for:
 * to uses from), a pool and its partner, a branch and its home site, a
 * branch and its home site's Edge pool, or the first instance of from (the
 * pool that holds the Central Management store) and every to, or a reverse
 * proxy and every endpoint whose external web name it publishes.
 */
typedef enum {
  LP_BETWEEN_ANY,
  LP_BETWEEN_SAME_SITE,
  LP_BETWEEN_USES_EDGE,
  LP_BETWEEN_EDGE_FOR,
  LP_BETWEEN_PARTNER,
  LP_BETWEEN_HOME,
  LP_BETWEEN_HOME_EDGE,
  LP_BETWEEN_FIRST,
  LP_BETWEEN_PUBLISHES,
} LpFlowBetween;

/* A [flow ID]: traffic between two endpoints, one row of the firewall
 * plan where it crosses a zone or a site boundary. */
typedef struct {
  char *id;
  const LpEndpointRule *from, *to;
  LpFlowBetween between;
  char *from_name, *to_name;   /* nullable: which of the endpoint's names is addressed
                              * (a template); NULL: its fqdn */
  char *from_label, *to_label; /* nullable: what the firewall plan calls the end
                                * ("Access Edge"); NULL: the endpoint's label */
  gboolean from_members;       /* each server of from, not its pool name */
  GArray *absent;              /* of guint: not where to's site has servers of these roles */
  LpExpr *applies;             /* nullable: always */
  char *port;                  /* "443" or "50000-59999" */
  char *protocol;              /* TCP or UDP */
  char *purpose;
  char *source;
  char *where; /* "rules/lync2013.rules:LINE" of its group */
} LpPortRule;

/* A [storage ID] row: a data store and the disk it takes a year at a site.
 * Evaluated per site of the chosen design, for a full report only (a sweep
 * never pays for it): applies and gb-per-year read the sized site's values,
 * its lets and role counts (n-ROLE) included. */
typedef struct {
  char *id;
  char *label;
  LpExpr *applies;     /* nullable: always */
  LpExpr *gb_per_year; /* GB a year at the site */
  char *note;          /* nullable */
  char *source;
  char *where; /* "rules/NAME.rules:line" of its group */
} LpStorage;

#define LP_STORAGE_MAX 64 /* [storage] groups a rule set may have (a bit set per site) */

/* Returns: (transfer none): "component", "multiple" or "site", as rule files write it. */
const char *lp_failure_scope_name (LpFailureScope scope);

#define LP_QUORUM_MAX 64 /* pool sizes a quorum table may list */

/* Pool-level quorum of Enterprise Edition pools, by pool size (0: not listed). */
typedef struct {
  guint must_run[LP_QUORUM_MAX + 1];
  guint must_run_of_first[LP_QUORUM_MAX + 1]; /* 0: of any */
  guint to_start[LP_QUORUM_MAX + 1];
  char *source;
} LpQuorum;

/* Which servers of a template form pools, and how they pair. */
typedef struct {
  gboolean defined;
  guint role;              /* index of the role whose servers make up the pools */
  LpExpr *count;           /* nullable: every server is a pool of its own */
  LpExpr *capacity;        /* users one pool may carry */
  LpExpr *same_site_pairs; /* nullable: never; pools pair within the site */
} LpPoolRule;

/* A template's [note ID]: a remark the plan shows for a site when @applies
 * holds there; every {EXPR} of @text is replaced by its value, a count.
 * A template's [figure ID] is the same value with named members instead of
 * a text: the JSON's site member ID, { MEMBER: count, ... }. */
typedef struct {
  char *id;
  LpExpr *applies;  /* nullable: always */
  char *text;       /* a note's, as written, {EXPR} included; NULL for a figure */
  GStrv members;    /* a figure's member names, one per expr; NULL for a note */
  GPtrArray *exprs; /* of LpExpr: one per {EXPR} of text or per member, in order */
  guint first;      /* where its values start in a sizing's note_values */
} LpNote;

/* How an [availability ID] component of a template serves its users. */
typedef enum {
  LP_AVAIL_K_OF_N, /* n servers, up while k of them are (a pool's quorum, an Edge pool) */
  LP_AVAIL_PAIR,   /* an active server and its partner: a failover when the active one fails */
} LpAvailKind;

/* The user classes a component serves (bits of LpAvailRule.users). */
#define LP_AVAIL_INTERNAL 1u
#define LP_AVAIL_REMOTE 2u
#define LP_AVAIL_N_CLASSES 2

/* A template's [availability ID] group: one component a user's service
 * depends on, its figures formulas over the sized site. */
typedef struct {
  char *id;
  char *label;
  LpAvailKind kind;
  guint users;           /* LP_AVAIL_INTERNAL and/or LP_AVAIL_REMOTE */
  LpExpr *applies;       /* nullable: always */
  LpExpr *servers;       /* n; a pair has 2 (1 makes it a single server) */
  LpExpr *needed;        /* nullable: the [quorum must-run] table for n; k of n */
  LpExpr *failure_rate;  /* failures a server-year */
  LpExpr *repair_time;   /* minutes to repair a failed server */
  LpExpr *failover;      /* nullable (pair: required): minutes a failover takes */
  LpExpr *automatic;     /* nullable: manual; a pair's failover is automatic */
  LpExpr *patch_cycles;  /* nullable: none; patch cycles a year */
  LpExpr *patch_minutes; /* nullable: 0; k of n: each server's window, one at a
                          * time; a pair: the outage each cycle */
  char *cut[3];          /* nullable: what would cut each part (LpAvailPart) */
  char *cut_manual;      /* nullable: a pair's manual failover's instead of cut[1] */
  char *where;           /* "templates/NAME.tmpl:line" */
} LpAvailRule;

#define LP_TEMPLATE_MAX_NOTES 64 /* [note] groups a template may have (a bit each) */

typedef struct {
  char *id;
  char *name;
  char *edition; /* an LpEdition id */
  char *description;
  char *back_end_ha;  /* sql-mirroring, always-on-ag, failover-cluster or none (the default) */
  gboolean branch;    /* kind = branch: the design of branch sites, "none" its edition */
  char *file;         /* the path it was read from */
  char *display;      /* "templates/NAME.tmpl", the same on every machine */
  LpExpr *applies;    /* nullable: always */
  LpExpr *paired;     /* nullable: never */
  LpExpr *without_dr; /* nullable: never; a site it holds at is planned without disaster
                       * recovery (a branch with an appliance: its vendor's page says so) */
  GPtrArray *lets;    /* of LpFormula, in order */
  LpFormula **roles;  /* one per rule-set role, NULL where the template builds none */
  gint
    *licences; /* per rule-set role: its LpLicence index in this design, or -1 (the role's own) */
  LpPoolRule pools;
  LpExpr *exclude;      /* nullable: never; evaluated per site once sized */
  char *exclude_reason; /* why, when exclude holds at a site */
  GPtrArray *notes;     /* of LpNote, in file order */
  GPtrArray *figures;   /* of LpNote with members: its [figure ID] groups, in file order */
  guint n_note_values;  /* the {EXPR}s of all its notes and the members of its figures */
  GArray
    *recovery_inputs; /* of guint: the distinct slots its [failure] rows read, planned rows aside */
  GArray *planned_rows;        /* of guint: its rows of scope planned, made again by every plan */
  GPtrArray *availability;     /* of LpAvailRule, in file order */
  GArray *availability_inputs; /* of guint: the slots they and [availability] read */
} LpTemplate;

typedef struct {
  char *id;
  char *name;
  GStrv caveats;
  char *source;
  char *where; /* "rules/NAME.rules:line" of its group: a parent's when inherited */
} LpEdition;

/* The slots the engine fills for each site it sizes. */
typedef struct {
  guint users, partner_users, remote_percent, partner_remote_percent;
  guint paired, dr, first_site;
  guint edge_here, owa_here, edge_guest_users; /* where a site's Edge and Office Web Apps are */
  guint edge_elsewhere, owa_elsewhere, branch;
  guint dr_rto, dr_rpo, edition; /* inputs the engine itself reads */
  const struct _LpInput *remote_input, *dr_rto_input, *dr_rpo_input;
  guint server_failure_rto, server_failure_rpo, site_loss_rto, site_loss_rpo;
  guint downtime[LP_AVAIL_N_CLASSES]; /* downtime-internal, downtime-remote: counted minutes */
  guint *role_counts;                 /* per role: the slot of n-ROLE */
} LpEngineSlots;

/* The numbers of the [dns] group (its names stay in LpRuleset.dns). */
typedef struct {
  guint sip_external_port, sip_internal_port, sip_federation_port;
  guint srv_priority_active;  /* SRV records of sites with users */
  guint srv_priority_standby; /* of warm standby sites: tried after the active ones */
  guint srv_weight_total;     /* what the weights of one priority add up to */
} LpDnsNumbers;

/* The Topology Builder document (--format tbxml): how the topology model's
 * endpoints become Topology Builder's clusters and services. Loaded from
 * [topology-builder], [tb-cluster ENDPOINT] and [tb-service ID] (lp-ruleset-tbxml.c);
 * every name, version and urn is the rule file's. */
#define LP_MAX_TB_GROUPS 64 /* [tb-cluster] and [tb-service] groups, each kind */

typedef enum {
  LP_TB_POOL,   /* one cluster named by the endpoint's FQDN, a machine a member server */
  LP_TB_FARM,   /* one single-machine cluster named by the endpoint's FQDN, one empty machine */
  LP_TB_SERVER, /* one single-machine cluster a member server, named by its FQDN */
} LpTbShape;

typedef struct {
  guint endpoint; /* the [endpoint] it turns into clusters */
  LpTbShape shape;
  GArray *single_roles;      /* of guint: a pool of one server of these roles is a single
                          * machine named by that server (Standard Edition) */
  gboolean replication;      /* RequiresReplication */
  gboolean setup;            /* RequiresSetup */
  gboolean fault_domains;    /* machines carry FaultDomain and UpgradeDomain */
  GStrv interfaces;          /* each machine's NetInterface sides, in order */
  char *sql_instance;        /* nullable: the SqlInstance each cluster holds ("" the default) */
  char *single_sql_instance; /* nullable: the one a single-machine pool holds */
  char *nat_side;            /* nullable: the interface side whose address is translated by
                              * NAT (its NetInterface carries ConfiguredIPAddress) ... */
  const LpRuleVar *nat;      /* ... where this constant is not 0 (nat = CONSTANT) */
  char *source;
} LpTbClusterRule;

typedef struct {
  char *id;
  char *role_name;     /* RoleName */
  guint role_version;  /* RoleVersion */
  GArray *on;          /* of guint: [tb-cluster] indices; the first with a cluster at the site */
  GArray *roles;       /* of guint, may be empty: only on pools whose servers have one */
  gboolean sql;        /* installed on the cluster's SqlInstance, not the cluster */
  gboolean each;       /* one service a cluster of the endpoint, not the first only */
  gboolean per_pool;   /* on a per-server endpoint: one service for each pool its servers
                        * belong to ([role] per-pool), on that pool's first server */
  GStrv depends;       /* [tb-service] ids it depends on */
  char *depends_where; /* nullable: "rules/NAME.rules:line" of that key, for messages */
  GArray *depends_on;  /* of guint: the same, resolved */
  char *type;          /* nullable: the Type attribute */
  char *element;       /* nullable: the element after Ports */
  GStrv attributes;    /* NAME=VALUE of that element; {fqdn} is the cluster's FQDN */
  char *partner_usage; /* nullable: the Usage of a dependency on the paired pool's service */
  char *partner_unverified;   /* with partner_usage: why it is not from a public sample */
  gint unless_at_site;        /* a [tb-cluster] index: not at a site where it has a cluster; -1 */
  LpExpr *applies;            /* nullable: over the scenario's inputs */
  char *unverified;           /* nullable: why no public sample shows it */
  GPtrArray *ports;           /* of GStrv: each port-N's attributes, NAME=VALUE in order */
  gboolean external_settings; /* the element holds ExternalSettings (Host: the pool's
                               * external web name, else its FQDN) and OverrideUrls */
  GStrv web_components;       /* the element's WebComponents (and an UpaSeparator) */
  GStrv mcus;                 /* the element's MCUs: "NAME" or "NAME NAME=VALUE ..." */
  GStrv configured_fqdn;      /* "COMPONENT TEMPLATE": the External ports of Owner
                               * urn:component:COMPONENT carry ConfiguredFqdn, TEMPLATE (one of
                               * its endpoint's external-names) in the default SIP domain */
  char *own_instance;         /* nullable: with own_instance_notes, the name of a SqlInstance
                               * of its own on the cluster ... */
  GStrv own_instance_notes;   /* ... at a site whose design carries one of these template
                               * [note ID]s (the text plan's "a SQL instance of its own") */
  char *own_instance_where;   /* nullable: "rules/NAME.rules:line" of own-instance-notes */
  char *source;
} LpTbServiceRule;

typedef struct {
  const LpRuleVar *service_version; /* the constant of every ServiceVersion: its source
                                     * says whether a public sample shows it */
  GHashTable *values;  /* [topology-builder] key -> value: the urns, simple-url-N, notes */
  char *unverified;    /* nullable: why the document as a whole is not from a public sample */
  GPtrArray *clusters; /* of LpTbClusterRule */
  GPtrArray *services; /* of LpTbServiceRule */
} LpTbRules;

typedef struct {
  char *id;
  char *product;
  char *version;
  char *path;
  char *extends;       /* nullable: the rule set it inherits from ([rule-set] extends) */
  char *support;       /* nullable: its support status, for rules --list and the caveats */
  char *migration;     /* nullable: what a migration from it needs */
  char *caveat;        /* nullable: [rule-set] caveat, the product's own caveat (its
                        * lifecycle), the last of every edition's caveats */
  GHashTable *removed; /* group names ([role persistent-chat]) a rule set of the chain removed */
  LpSymtab *symtab;
  LpEngineSlots slots;
  double *defaults;       /* lp_symtab_size() values: every var's value, other slots 0 */
  GPtrArray *vars;        /* of LpRuleVar, in file order */
  GPtrArray *inputs;      /* of LpInput, in file order: the scenario's vocabulary */
  GPtrArray *site_inputs; /* of LpInput (borrowed from inputs): those of site scope, in order */
  const char *
    *edition_by_choice; /* per choice of the edition input: the edition it names, or NULL (auto) */
  GPtrArray *lets;      /* of LpFormula */
  GArray *let_inputs;   /* of guint: the slots the lets read that no earlier let sets */
  GPtrArray *checks;    /* of LpCheck */
  GPtrArray *roles;     /* of LpRole, in bill-of-materials order */
  GPtrArray *templates; /* of LpTemplate, in the order of [rule-set] templates */
  char
    *templates_where; /* "rules/NAME.rules:line" of that templates key: a parent's when inherited */
  GPtrArray *editions;     /* of LpEdition */
  GPtrArray *licences;     /* of LpLicence, in file order */
  GPtrArray *failures;     /* of LpFailure, in file order */
  GPtrArray *services;     /* of LpService, in file order, at most LP_MAX_SERVICES */
  GPtrArray *data_classes; /* of LpDataClass, in file order */
  GPtrArray *certificates; /* of LpCertRule, in file order */
  GPtrArray *ports;        /* of LpPortRule ([flow ID]), in file order */
  GPtrArray *endpoints;    /* of LpEndpointRule, in file order */

  GPtrArray *storage; /* of LpStorage, in file order */
  LpQuorum quorum;
  LpExpr *avail_year;            /* nullable ([availability] absent): minutes a year */
  LpExpr *avail_planned_counted; /* nullable: 0; planned downtime counts toward the SLA */
  LpTbRules *tb;                 /* nullable: no [topology-builder] group */
  GHashTable *dns;               /* [dns] key -> value */
  LpDnsNumbers dns_numbers;
  guint edge_role;     /* [dns] edge-role: the role index of Edge servers */
  GHashTable *sources; /* key -> description */
  GPtrArray *words;    /* of LpWord: its [word ID] groups, the longest phrase first */
  guint n_exprs;       /* its expressions, numbered 0..n_exprs-1 (lp_expr_id) */
} LpRuleset;

/* A rule file's [word ID]: the rule set says @to where a text it reads says @from
 * (in the groups @in names, when it names any). */
typedef struct {
  char *id;
  char *from;
  char *to;
  char **in; /* nullable: the only groups it applies to ("endpoint office-web-apps") */
} LpWord;

/**
 * lp_ruleset_say:
 * @text: a text of the planner's own (a fixed phrase of the C code)
 *
 * Returns: (transfer full): @text in the rule set's words: each of its
 *   [word ID] phrases that stands alone in @text replaced, as in the texts
 *   of its rule files and templates.
 */
char *lp_ruleset_say (const LpRuleset *rs, const char *text);

typedef void (*LpExprFunc) (LpExpr *expr, gpointer data);

/**
 * lp_ruleset_foreach_expr:
 * Calls @fn on every expression the rule set and its templates compiled.
 */
void lp_ruleset_foreach_expr (LpRuleset *rs, LpExprFunc fn, gpointer data);

/**
 * lp_ruleset_load:
 * @path: a rule file, e.g. rules/lync2013.rules; its templates are found by
 *   the paths its [rule-set] templates key gives, relative to it
 * @error: LP_ERROR_IO when a file cannot be read, LP_ERROR_RULES naming
 *   "file:line: [group] key:" and what was expected when one is wrong
 *
 * Returns: (transfer full) (nullable): the compiled rule set, or NULL.
 */
LpRuleset *lp_ruleset_load (const char *path, GError **error);
void lp_ruleset_free (LpRuleset *rs);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpRuleset, lp_ruleset_free)

/**
 * lp_ruleset_find_var:
 * Returns: (transfer none) (nullable): the input or constant called @name.
 */
const LpRuleVar *lp_ruleset_find_var (const LpRuleset *rs, const char *name);

/**
 * lp_ruleset_find_input:
 * Returns: (transfer none) (nullable): the input called @key.
 */
const LpInput *lp_ruleset_find_input (const LpRuleset *rs, const char *key);

/**
 * lp_input_parse:
 * @in: the input @text gives a value for
 * @text: what the user wrote
 * @value: (out): minutes, a percentage, 1/0, or a choice's index; infinity for "none"
 * @error: LP_ERROR_INPUT saying what was expected (no prefix: callers add
 *   where the value was written)
 */
gboolean lp_input_parse (const LpInput *in, const char *text, double *value, GError **error);

/**
 * lp_input_format:
 * @shown: TRUE for a report ("yes"/"no" for a yes/no input), FALSE as a
 *   user would write it in a scenario ("true"/"false")
 * Returns: (transfer full): @value of @in as text; "none" for infinity.
 */
char *lp_input_format (const LpInput *in, double value, gboolean shown);

/* Returns: (transfer none): the placeholder of its option's value: "DUR",
 * "PCT", "NUM", or the key in capitals for a choice ("EDITION"). */
const char *lp_input_placeholder (const LpInput *in);

/* lp_input_format() appended to @s without allocating once @s has room. */
void lp_input_append (GString *s, const LpInput *in, double value, gboolean shown);

/**
 * lp_ruleset_find_edition:
 * Returns: (transfer none) (nullable): the edition with id @id.
 */
const LpEdition *lp_ruleset_find_edition (const LpRuleset *rs, const char *id);

/**
 * lp_ruleset_parse_value:
 * @type: how the value must be written
 * @text: what the user wrote
 * @value: (out): the value (minutes for durations, 1/0 for yes/no)
 * @error: LP_ERROR_INPUT saying what was expected
 */
gboolean lp_ruleset_parse_value (LpValueType type, const char *text, double *value, GError **error);

/**
 * lp_ruleset_parse_var:
 * @v: the constant or input @text gives a value for
 * @text: what the user wrote
 * @value: (out): the value, as lp_ruleset_parse_value() gives it
 * @error: LP_ERROR_INPUT saying what was expected, with the constant's
 *   range when the value lies outside it ("expected a value from 1 to 63
 *   (its range in the rule set), got '-1'")
 *
 * Parses a value for @v as its type says and checks it against its range.
 */
gboolean lp_ruleset_parse_var (const LpRuleVar *v, const char *text, double *value, GError **error);

/**
 * lp_ruleset_format_value:
 * Returns: (transfer full): @value written as a user would write it for @type.
 */
char *lp_ruleset_format_value (LpValueType type, double value);

/* lp_ruleset_format_value(), appended to @s without allocating once it has room. */
void lp_ruleset_append_value (GString *s, LpValueType type, double value);

/**
 * lp_ruleset_constant_names:
 * Returns: (transfer container): NULL-terminated array of the constants'
 * names (not the inputs), for suggestions. Free with g_free().
 */
const char **lp_ruleset_constant_names (const LpRuleset *rs);
