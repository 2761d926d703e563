/* lp-report.h: what every plan writer reads, built once per plan: the plan,
 * its named servers and pools, its resilience review and its date. Writers
 * format a report; none builds any part of it (see lp-write.h). */
#pragma once

#include <glib.h>

#include "lp-certificates.h"
#include "lp-hosts.h"
#include "lp-inventory.h"
#include "lp-plan.h"
#include "lp-pools.h"
#include "lp-resilience.h"
#include "lp-unmet.h"
#include "lp-topology.h"

/* One [figure ID] of a site's design that applies there: a JSON site
 * member ID with named counts (the Mediation capacity). */
typedef struct {
  const char *id;             /* borrowed from the template */
  const char *const *members; /* borrowed: one name per value */
  guint64 *counts;            /* owned: one per member, each value rounded up to a count */
} LpSiteFigure;

/* One line of the bill of materials: a role with servers at a site, priced
 * once here for every writer (the text report, the CSV table, the workbook). */
typedef struct {
  guint site;             /* the plan site */
  guint role;             /* the rule set's role index */
  const LpRole *r;        /* borrowed from the rule set */
  const LpTemplate *tmpl; /* borrowed: the site's design */
  guint64 count;          /* above 0 */
  /* with a price list (LpReport.currency not NULL), else 0 and FALSE: */
  gboolean priced; /* the price list names the role */
  double hardware; /* a unit's hardware price (0 when not priced) */
  double licence;  /* a unit's licence price, the design's licence if it needs one */
  double unit;     /* hardware + licence (lp_prices_unit()) */
  double extended; /* unit x count */
} LpBomLine;

/* A virtual site's hosts as one line of the bill of materials, priced once
 * here (the price list's [host]) for every writer: in addition to the
 * servers, whose licences they still count. */
/* What the bill of materials calls a virtual site's hosts. */
#define LP_BOM_HOST_NAME "Virtualisation host"

typedef struct {
  guint site;              /* the plan site */
  guint count;             /* its hosts, spares included (above 0) */
  guint spare;             /* of them spare */
  double cores, memory_gb; /* one host's */
  char *spec;              /* owned: "N cores (hyper-threading off), M GB; S of them spare" */
  /* with a price list (LpReport.currency not NULL), else 0 and FALSE: */
  gboolean priced; /* the price list has a [host] */
  double hardware; /* one host's hardware price */
  double licence;  /* one host's licence price (the hypervisor's) */
  double unit;     /* hardware + licence */
  double extended; /* unit x count */
} LpBomHosts;

/* One scenario-scope input of the rule set's vocabulary and the scenario's
 * value of it: the Inputs section (text, JSON). */
typedef struct {
  const LpInput *in; /* borrowed from the rule set */
  double value;      /* the scenario's, or the rule set's default */
  gboolean is_default;
  gboolean per_site; /* said per site too (remote-percent): a sites table shows it */
} LpReportInput;

typedef struct {
  const LpPlan *plan;           /* borrowed: it must outlive the report */
  LpInventory *inventory;       /* owned */
  LpHosts *hosts;               /* owned: the virtualisation hosts (none when no site is virtual) */
  LpTopology *topology;         /* owned: the model every network plan is a view of */
  LpResilience *resilience;     /* owned; points into plan and inventory */
  LpCertificates *certificates; /* owned: the certificate and firewall plans */
  gint64 created;               /* the creation time, seconds since 1970: LP_NO_DATE_EPOCH
                             * until lp_report_read_date() finds a date */
  char *date;                   /* nullable: that date as YYYY-MM-DD; NULL for none */
  /* the deliverable's cover, from the scenario (borrowed, nullable) */
  const char *title;       /* the engagement: [scenario] name */
  const char *product;     /* the product's name, never NULL */
  const char *company;     /* who prepared the plan */
  const char *customer;    /* whom it is for */
  LpPaper paper;           /* what it is printed on */
  GPtrArray *unmet;        /* owned, of LpUnmet: what no design of the product meets */
  GPtrArray *figures;      /* owned, per plan site: a GArray of LpSiteFigure, in template order */
  gboolean *without_dr;    /* owned, per plan site: planned without disaster recovery */
  GPtrArray *site_notes;   /* owned, per plan site: a GPtrArray of the notes (char *) its
                           * bill of materials carries (lp_site_notes()) */
  GArray *storage;         /* owned, of LpStorageRow: each store's GB a year, site by site
                           * (lp_plan_storage()) */
  GPtrArray *pools;        /* owned, of LpPoolRow: every pool, its capacity (lp-pools.h) */
  GPtrArray *assumptions;  /* owned, of LpRuleVar (borrowed from the rule set): the rule
                           * constants that shaped the plan (read by a chosen design's
                           * formulas at one of its sites, lp-shaped.h) or that the scenario
                           * set, in rule-file order */
  GArray *bom;             /* owned, of LpBomLine: per non-empty site in plan order, its roles
                           * with servers in rule-set order */
  GArray *bom_hosts;       /* owned, of LpBomHosts: each virtual site's hosts, in plan order */
  gint *bom_hosts_at;      /* owned, per plan site: its line in bom_hosts, -1 for none */
  guint *bom_first;        /* owned, per plan site and one more: the index in bom of the
                           * site's first line; bom_first[i + 1] ends it */
  const char *currency;    /* borrowed, nullable: the price list's; NULL: no price list */
  const char *price_note;  /* borrowed, nullable: the price list's note */
  char *heading;           /* owned: "PRODUCT plan: TITLE" ("PRODUCT plan" untitled) */
  const char *rule_set_id; /* borrowed: the rule set's id, "lync2013" */
  const char *rule_set_version; /* borrowed: its version */
  const char *author;           /* borrowed, nullable: who wrote the plan */
  const char *scenario_product; /* borrowed: the product the scenario names (its id) */
  gboolean product_default;     /* the scenario did not name its product */
  GArray *inputs;               /* owned, of LpReportInput: the rule set's scenario-scope inputs,
                           * in rule-file order */
  GPtrArray *overrides;         /* owned, of LpSetting (borrowed from the plan's scenario): the rule
                           * constants the scenario sets ([set], --set), in its order */
  GPtrArray *caveats;           /* owned, of LpEdition (borrowed): the editions of the chosen
                           * designs of the groups that are not empty, each once, in group
                           * order: whose caveats the report shows */
  GPtrArray *trace;             /* owned, nullable: the plan's trace in words, a char * a step
                                 * (lp_trace_lines()); NULL when the plan has none */
  /* the rule set's tables that the plan's indexes point into, borrowed (read only): what
   * the writers name a role, a requirement, a failure or a store by */
  const GPtrArray *roles;    /* of LpRole: LpServer.role, LpTopoNode.role, LpPoolRow.role */
  const GPtrArray *checks;   /* of LpCheck: LpCandidate.checks, LpGroup.best */
  const GPtrArray *failures; /* of LpFailure: lp_site_failure() rows, the recovery rows */
  const GPtrArray *stores;   /* of LpStorage: LpSiteSizing.storage_gb */
  guint n_templates;         /* the candidates of each group (LpGroup.candidates) */
  const LpEdition *edition;  /* nullable: the edition of the plan's design (lp_plan_edition()) */
} LpReport;

/**
 * lp_report_new:
 * @plan: a plan; it must outlive the report
 * @naming: (nullable): the server naming pattern, LP_DEFAULT_NAMING when NULL
 * @error: as for lp_inventory_new(); LP_ERROR_INVARIANT "invariant NAME:
 *   ..." when the plan breaks an invariant of its model (lp_report_check())
 *
 * Names the plan's servers and pools (every name fits computer-name-max,
 * whichever output is asked for), places the virtual sites' servers on hosts
 * (lp_hosts_new(): its errors too), reviews its resilience and builds its
 * certificate and firewall plans, once for every writer. The date is not read: see lp_report_read_date().
 *
 * Returns: (transfer full) (nullable): the report; free with
 *   lp_report_free(). On error, NULL is returned and nothing is kept.
 */
LpReport *lp_report_new (const LpPlan *plan, const char *naming, GError **error);

/**
 * lp_report_read_date:
 * @r: a report
 * @error: LP_ERROR_INPUT "SOURCE_DATE_EPOCH: expected seconds since 1970,
 *   got '...'"; @r is left without a date
 *
 * Sets @r's creation time and date from the scenario's date (--date or
 * [scenario] date), else SOURCE_DATE_EPOCH, else today (the local calendar
 * day, at 00:00 UTC): a deliverable carries the day it was made, and
 * --date or SOURCE_DATE_EPOCH (the reproducible-builds convention) fix it
 * for the same bytes from the same inputs. Called
 * once, for the writers that carry a date (LpWriter.dated), after their
 * checks: an environment the other outputs ignore fails nothing else.
 */
/**
 * lp_report_check:
 * @r: a report
 * @error: LP_ERROR_INVARIANT "invariant NAME: what broke", for the first
 *   invariant that does not hold
 *
 * The invariants of the topology model and its views, checked wherever a
 * report is built (lp_report_new() calls it; a sweep's rows build none).
 * A broken one is a bug of the planner or its rule set (exit 4):
 * cert-name-has-dns (every name on a certificate has a DNS record),
 * srv-target-in-domain (every SRV record's target is in the SRV's own
 * domain), web-name-published (every external web name is published by a
 * reverse proxy whose certificate carries it and which has flows to the
 * node behind it), remote-edge-flows (every pool
 * whose Edge pool is at another site has flows to it), appliance-flows
 * (every appliance has a certificate and flows to its home pool and its
 * Edge pool), gateway-flows (every gateway has flows to and from its
 * site's Mediation), edge-next-hop (every Edge pool's internal next hop is
 * a pool of the inventory at its own site: a Front End pool, never a
 * Director), pairing-flows (every paired pool has flows to its
 * partner pool and its partner's site), flow-source (every flow names its
 * source). Linear in the model.
 *
 * Returns: TRUE when every invariant holds.
 */
gboolean lp_report_check (const LpReport *r, GError **error);

gboolean lp_report_read_date (LpReport *r, GError **error);

/**
 * lp_report_role_counts:
 * @r: a report
 *
 * The inventory's servers counted by plan site and role, in one pass: entry
 * `site * n_roles + role` of the result, n_roles the rule set's role count
 * (lp_report_role_title() names each). For drawings that collapse pools
 * into counts.
 * Returns: (transfer full): sites x roles counts; free with g_free().
 */
guint64 *lp_report_role_counts (const LpReport *r, guint *n_roles);

/**
 * lp_report_role_title:
 * Returns: (transfer none): how a role is named to a reader: its pool's name
 *   ("Front End pool") when its servers form one, else its name.
 */
const char *lp_report_role_title (const LpReport *r, guint role);

/**
 * lp_report_words:
 * @r: a report
 * @text: (nullable): a text of the plan
 * @cited: (nullable): the [sources] ids of what was dropped are added to it
 * Returns: (transfer full) (nullable): @text in the customer's words:
 *   lp_words_customer() with the plan's rule set.
 */
char *lp_report_words (const LpReport *r, const char *text, GPtrArray *cited);

/**
 * lp_report_source_title:
 * Returns: (transfer full) (nullable): the title of the document the
 *   [sources] id @id names (lp_words_source_title()).
 */
char *lp_report_source_title (const LpReport *r, const char *id);

/**
 * lp_report_var:
 * Returns: (transfer none) (nullable): the rule set's input or constant
 *   @name (lp_ruleset_find_var()).
 */
const LpRuleVar *lp_report_var (const LpReport *r, const char *name);

/**
 * lp_report_edition:
 * Returns: (transfer none) (nullable): the rule set's edition @id
 *   (lp_ruleset_find_edition()).
 */
const LpEdition *lp_report_edition (const LpReport *r, const char *id);

/**
 * lp_report_source_text:
 * Returns: (transfer none) (nullable): the whole [sources] text of @id.
 */
const char *lp_report_source_text (const LpReport *r, const char *id);

void lp_report_free (LpReport *r);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpReport, lp_report_free)
