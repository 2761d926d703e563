/* lp-plan.h: the result of planning one scenario, and its summary. The
 * engine fills a plan; the writers only read it.
 *
 * A plan holds results only: the engine's working storage (the formula
 * environment, the memos a replan reuses, the fold) lives in the LpPlanner
 * of lp-engine.h. A plan from lp_planner_plan() or lp_engine_plan() owns
 * what it reports, a copy of its scenario included, so editing the scenario
 * afterwards leaves the plan as it was; it borrows only the rule set, which
 * is read only and must outlive it. The planner's own working plan
 * (lp_planner_replan()) is the exception: it reads the caller's scenario and
 * lasts until the next replan.
 *
 * An LpPlanSummary is what a sweep keeps of each row and what a session
 * compares from one change to the next: it owns its buffers and outlives
 * the plan it was taken from. */
#pragma once

#include <glib.h>

#include "lp-availability.h"
#include "lp-ruleset.h"
#include "lp-scenario.h"

/* One site the plan sizes, or one pool of a site: a scenario's site, a
 * warm standby site the engine adds ("HQ-DR"), or a backup pool that a
 * site named as the DR site of several holds for one of them ("HUB-S1",
 * its host the hub). Each is sized on its own by its group's design. */
typedef struct {
  const char *name;        /* a scenario's site name, or one of the plan's unit_names */
  guint64 users;           /* users homed on it: its own and its branches' (what it is sized for) */
  guint64 own_users;       /* its site's own users */
  double remote_percent;   /* of users: its own and its branches' users together */
  gboolean remote_default; /* the rule file's or the scenario's default */
  gint partner;            /* index of the paired site, or -1 */
  gboolean warm;           /* a standby site the planner added for DR */
  gint host;               /* a backup pool: the index of the site that holds it; else -1 */
  gint scenario;           /* the scenario's site whose values apply (a warm site: its partner's) */
  gboolean branch;         /* a branch site: its users are homed at home */
  gint home;               /* a branch: the index of its home site; else -1 */
  gboolean dr_none;        /* disaster recovery is asked but the site says dr-site = none */
  gboolean edge_here;      /* it carries its site's Edge pool */
  gboolean owa_here;       /* it carries its site's Office Web Apps farm */
  gint edge_at;            /* the site whose Edge pool its remote users use, or -1: none */
  gint owa_at;             /* the site whose Office Web Apps farm it uses */
  double edge_guests;      /* remote users of other sites its Edge pool carries */
  guint group;
  guint64 ignored; /* a full plan's: bit k for rs->inputs[k], set here to other than its
                    * default where its ignored-unless does not hold (a warning) */
} LpPlanSite;

typedef struct {
  gboolean applies;
  gboolean met;
  double target;
  double achieved;  /* the worst over the group's sites */
  double shortfall; /* > 0 when missed: minutes, or percentage points for yes/no */
} LpCheckResult;

/* One [failure] row evaluated for a site of a candidate: rto is response
 * (0 when automatic) plus the minutes of the steps that apply and restore
 * service. Plain values, so that two results compare with memcmp(). */
typedef struct {
  gboolean applies;
  gboolean automatic;
  double response; /* 0 for an automatic row */
  double rto;
  double rpo;
  guint32 step_applies;                      /* bit i: step i applies here */
  double step_minutes[LP_FAILURE_MAX_STEPS]; /* 0 where it does not apply */
  double step_end[LP_FAILURE_MAX_STEPS];     /* minutes from the failure to its end (response in) */
  guint32 services_back;                     /* bit k: an applying step restores service class k */
  guint32 services_scoped; /* bit k: class k is in the scenario's dr-scope (counts in rto) */
  double service_back[LP_MAX_SERVICES]; /* minutes from the failure until class k is back */
} LpFailureResult;

/* A role's [role] capacity at one site: NAN where the rule set gives none. */
typedef struct {
  double each;     /* what one of its servers carries (capacity) */
  double servers;  /* how many of its servers carry (capacity-servers); NAN: all */
  double failover; /* what the survivor of a pair of one-server pools carries (capacity-failover) */
} LpRoleCapacity;

typedef struct {
  /* made afresh by every plan (the engine's reset_sizing() zeroes each) */
  guint64 servers;
  guint64 appliances;
  guint64 reverse_proxies; /* roles of category reverse-proxy, apart from both */
  double cost;       /* priced sum with a price list, else servers + appliances + reverse proxies */
  gboolean empty;    /* no users and nobody's partner: gets nothing */
  gboolean paired;   /* paired with the group's other site */
  guint64 pools;     /* pools of the template's pool role (0: none) */
  double pool_users; /* users homed on each pool */
  double pool_capacity;     /* users each pool may carry */
  gboolean same_site_pairs; /* pools pair with a neighbour in the site */
  guint64 *roles;           /* one count per rule-set role; a buffer kept for replans */
  /* the recovery figures, meaningless for an empty sizing: the planner keeps
   * them from one replan to the next while the values the failure rows read
   * stay the same (it remembers those values), and makes them again when
   * they change */
  double server_failure_rto, server_failure_rpo, site_loss_rto, site_loss_rpo;
  LpFailureResult *failures; /* one per rule-set [failure] row; NULL for a design
                              * not chosen once the plan is made (lp_engine_plan()), and
                              * for the chosen one only the rows that apply, in row order,
                              * with failure_slot: read it with lp_site_failure() */
  guint16 *failure_slot;     /* nullable: per rule-set row, its place in failures, or
                              * LP_FAILURE_NO_SLOT where it does not apply */
  gboolean failures_shared;  /* failures and failure_slot are borrowed from the plan's
                              * shared tables (lp_site_failures_settle()) */
  guint worst_component;     /* the component row with the longest RTO */
  guint site_row;            /* the site row that applies */
  gboolean worst_component_automatic, site_row_automatic; /* those rows' recovery */
  /* the availability of the service, kept as the recovery figures are */
  LpAvailComponent *avail;             /* one per template [availability] group */
  double downtime[LP_AVAIL_N_CLASSES]; /* counted minutes a year: internal, remote users */
  gboolean planned_counted;            /* planned parts are in downtime */
  guint64 notes;                       /* bit k: the template's note k applies here */
  guint64 figures;                     /* bit k: the template's figure k applies here */
  gboolean without_dr; /* its template's without-dr holds here (a full report only) */
  double *note_values; /* owned: the values of its {EXPR}s (lp_site_notes() formats them) */
  /* what only a full report evaluates (lp_planner_plan()), as notes are */
  guint64 storage;               /* bit k: the rule set's [storage] k applies here */
  double *storage_gb;            /* owned: per [storage] group, GB a year here (where it applies) */
  LpRoleCapacity *role_capacity; /* owned: per rule-set role, its [role] capacity here */
} LpSiteSizing;

typedef struct {
  const LpTemplate *tmpl;
  const char *excluded;   /* nullable: why it was not considered */
  gboolean other_kind;    /* a design for the other kind of site (branch, central): not shown */
  gboolean over_limit;    /* excluded by its template's [exclude]: the fallback when
                          * every design is (the plan then meets no requirement) */
  LpSiteSizing *sites;    /* one per site of the group; NULL for a design not chosen once
                          * a plan is made (lp_engine_plan()) */
  LpCheckResult *checks;  /* one per rule-set check */
  gboolean checks_shared; /* checks is borrowed from the plan's shared tables */
  guint n_missed;
  double shortfall; /* summed over missed checks, in minutes */
  guint64 servers;
  guint64 appliances;
  guint64 reverse_proxies;
  double cost;
  gboolean feasible;
  gboolean pruned; /* a replan stopped sizing it: it would cost more than a design that
                    * meets every requirement (never in a plan a report reads) */
} LpCandidate;

typedef struct {
  guint sites[2]; /* plan site indices */
  guint n_sites;
  gboolean empty;          /* no users in any of its sites */
  gboolean branch;         /* a branch site's group: sized by the branch designs only */
  gboolean dr;             /* planned for disaster recovery: paired, or asked and not opted out */
  LpCandidate *candidates; /* one per template, in rule-set order */
  guint chosen;
  gboolean feasible;
  double *best;   /* per check: the best figure any considered candidate achieves */
  guint *best_by; /* per check: the template index that achieves it */
} LpGroup;

/* What one step of a traced plan records (lp_planner_plan() with a trace):
 * the engine keeps data, the report stage words it (report/lp-trace.h). */
typedef enum {
  LP_TRACE_NO_DR,          /* no site needs disaster recovery: each is planned on its own */
  LP_TRACE_PAIRED,         /* site is paired with other, its dr-site */
  LP_TRACE_BACKUP_POOL,    /* site's dr-site other holds a backup pool for it, unit */
  LP_TRACE_WARM_STANDBY,   /* site, the only central one, gets the warm standby site unit */
  LP_TRACE_MUTUAL,         /* the two sites site and other back each other up */
  LP_TRACE_WITHOUT_DR,     /* site is planned without disaster recovery (dr-site = none) */
  LP_TRACE_FORMULA,        /* tmpl at site: formula gave value, reading values */
  LP_TRACE_RECOVERY,       /* tmpl at site: the recovery figures and the rows they come from */
  LP_TRACE_EMPTY_SITE,     /* tmpl at site: no users and nobody's partner, so nothing */
  LP_TRACE_NOT_CONSIDERED, /* tmpl is left out, for reason */
  LP_TRACE_CANDIDATE,      /* tmpl's totals in a group and the checks it misses */
  LP_TRACE_CHOSEN,         /* group's choice, tmpl, with its totals */
} LpTraceKind;

/* One step of a plan's trace. The names are borrowed from the plan (its
 * scenario's site names and the names it gave the sites it added, which it
 * keeps while it lives), the template, formula, failure rows and reason
 * from the rule set; what the engine computed is copied, since the
 * engine's environment changes after the step. Fields a kind does not use
 * are 0 or NULL. */
typedef struct {
  LpTraceKind kind;
  const LpTemplate *tmpl;   /* FORMULA, RECOVERY, EMPTY_SITE, NOT_CONSIDERED, CANDIDATE, CHOSEN */
  const char *site;         /* the site (or pool) the step is about */
  const char *other;        /* PAIRED, BACKUP_POOL: the dr-site; MUTUAL: the second site */
  const char *unit;         /* BACKUP_POOL, WARM_STANDBY: the pool or site the engine added */
  const LpFormula *formula; /* FORMULA */
  double value;             /* FORMULA: what it gave */
  /* owned, FORMULA: the values of lp_expr_names (formula->expr), in its order, as the
   * formula read them */
  double *values;
  const char *reason; /* NOT_CONSIDERED: why (borrowed) */
  /* RECOVERY: rows of rs->failures, the worst component and the site row that applies;
   * the server failure RTO and RPO, the site loss RTO and RPO (minutes) */
  guint worst, lost;
  double recovery[4];
  guint group;                 /* CHOSEN: the index in plan->groups */
  guint64 servers, appliances; /* CANDIDATE, CHOSEN */
  gboolean feasible;           /* CANDIDATE, CHOSEN: meets every requirement */
  guint *missed; /* owned, CANDIDATE: the indexes in rs->checks of the checks it misses */
  guint n_missed;
} LpTraceStep;

/* A name the engine gave a site or pool it added, and the last run that gave
 * it (so that two units of one run never share it). */
typedef struct {
  char *name;
  guint64 serial;
} LpUnitName;

/* Writers read a plan through its report (LpReport, report/lp-report.h), which
 * has what they print from the rule set and the scenario: in the write stage
 * (built with LP_STAGE_WRITE) the plan's rule set and scenario go by other
 * names, so `plan->rs` or `plan->sc` in a writer does not compile. */
#ifdef LP_STAGE_WRITE
#define LP_NOT_IN_WRITERS(member) member##_read_the_report_instead
#else
#define LP_NOT_IN_WRITERS(member) member
#endif

typedef struct {
  const LpRuleset *LP_NOT_IN_WRITERS (rs); /* borrowed: read only, outlives the plan */
  /* the scenario as planned: sc_copy, or for the planner's working plan the
   * caller's (borrowed) */
  const LpScenario *LP_NOT_IN_WRITERS (sc);
  LpScenario *LP_NOT_IN_WRITERS (sc_copy); /* nullable, owned: the plan's own copy */
  gboolean dr;
  GArray *sites;  /* of LpPlanSite */
  GArray *groups; /* of LpGroup */
  guint64 servers;
  guint64 appliances;
  guint64 reverse_proxies;
  double cost;
  gboolean feasible;
  GArray *trace;          /* of LpTraceStep, nullable: rules fired, in order (a plan made
                           * with a trace; its words: report/lp-trace.h) */
  GHashTable *warm_names; /* owned: name -> LpUnitName, the names of the sites
                                * and pools the engine added ("HQ-DR", "HUB-S1") */
  guint64 warm_serial;    /* the run that is naming them (lp-engine.c) */
  guint8 *shaped;         /* owned, nullable (a full plan's): bit v (rs->vars order) for each
                                * rule constant a chosen design's formulas read at one of its
                                * sites (lp-shaped.h) */
  GHashTable *shared;     /* owned, nullable: of GBytes, a made plan's read-only tables
                       * (failure rows and maps, check results) each once: sites and
                       * designs whose tables are the same share one (lp_plan_share()) */
} LpPlan;

/**
 * lp_plan_trace_new:
 *
 * Returns: (transfer full): an empty trace for LpPlan.trace, an array of
 *   LpTraceStep that frees what each step owns when it is cleared.
 */
GArray *lp_plan_trace_new (void);

/* Frees @plan and everything it owns (its scenario copy included); NULL is
 * ignored. */
void lp_plan_free (LpPlan *plan);

/**
 * lp_plan_share:
 * @plan: a made plan
 * @data: (transfer full): @size bytes of a table a report only reads
 *
 * Returns: (transfer none): @data, or the same bytes @plan already keeps
 *   (@data is then freed); the plan owns either until it is freed.
 */
gconstpointer lp_plan_share (LpPlan *plan, gpointer data, gsize size);

/**
 * lp_sizings_free:
 * @sites: (nullable): @n sizings of a candidate, and what each owns
 *
 * Frees them (failure tables borrowed from a plan's shared tables stay).
 */
void lp_sizings_free (LpSiteSizing *sites, guint n);

/**
 * lp_group_clear:
 * @g: a group of a plan
 * @n_templates: the rule set's number of templates
 *
 * Frees the results @g owns (its candidates with their sizings, checks and
 * best figures); @g itself is not freed. A group holds no engine memo.
 */
void lp_group_clear (LpGroup *g, guint n_templates);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPlan, lp_plan_free)

/**
 * lp_plan_group_choice:
 * Returns: (transfer none): the candidate chosen for @group.
 */
const LpCandidate *lp_plan_group_choice (const LpPlan *plan, guint group);

/**
 * lp_plan_design:
 * Returns: (transfer none): the template id all groups with users chose, or
 * "mixed" when they differ ("none" when no site has users).
 */
const char *lp_plan_design (const LpPlan *plan);

/**
 * lp_plan_edition:
 * Returns: (transfer none): "standard", "enterprise" (edition ids of the
 * rule set), "mixed", or "none", as for lp_plan_design().
 */
const char *lp_plan_edition (const LpPlan *plan);

/**
 * lp_plan_setting_text:
 * @name: a scenario input or rule constant
 * @is_default: (out) (optional): TRUE when the scenario did not set it
 *
 * Returns: (transfer full): the value in force, as a user would write it.
 */
char *lp_plan_setting_text (const LpPlan *plan, const char *name, gboolean *is_default);

/**
 * lp_plan_input_text:
 * @in: an input of the plan's rule set
 * @is_default: (out) (optional): TRUE when the scenario did not set it
 *
 * Returns: (transfer full): its value as the reports show it ("yes" for a
 *   yes/no input, the word of a choice, "none").
 */
char *lp_plan_input_text (const LpPlan *plan, const LpInput *in, gboolean *is_default);

/**
 * lp_plan_group_label:
 * Returns: (transfer full): "NYC" or "NYC + NYC-DR".
 */
char *lp_plan_group_label (const LpPlan *plan, guint group);

/**
 * lp_check_format_value:
 * @check: the check @value belongs to
 * @value: a target or achieved figure
 *
 * Returns: (transfer full): "30m", "none", "99.9%", "yes" or "no".
 */
char *lp_check_format_value (const LpCheck *check, double value);

/**
 * lp_check_format_shortfall:
 * Returns: (transfer full): how far a missed check is off: "30m", "0.05%"
 * (percentage points of availability), or "" for yes/no checks.
 */
char *lp_check_format_shortfall (const LpCheck *check, const LpCheckResult *r);

/**
 * lp_candidate_first_sized:
 * Returns: (transfer none) (nullable): the first site sizing of @c in @group
 * that is not empty (the recovery figures of the design), or NULL.
 */
const LpSiteSizing *lp_candidate_first_sized (const LpCandidate *c, const LpGroup *group);

/**
 * lp_site_notes:
 * @c: the candidate @z belongs to
 * @z: one of its site sizings
 *
 * Returns: (transfer full): the texts of the template's notes that apply at
 *   the site, each {EXPR} replaced by its value (a count); empty for an
 *   empty sizing. Free with g_ptr_array_unref().
 */
GPtrArray *lp_site_notes (const LpCandidate *c, const LpSiteSizing *z);

/* One store's storage a year at one site of a plan. */
typedef struct {
  const LpStorage *store;
  guint site; /* index into plan->sites */
  double gb_per_year;
} LpStorageRow;

/**
 * lp_plan_storage:
 * @plan: a plan made for a report (lp_planner_plan(): a replan evaluates no storage)
 *
 * The [storage] rows that apply at each site of the chosen designs, site by
 * site in the plan's order, each site's in the rule file's order.
 *
 * Returns: (transfer full): an array of LpStorageRow, borrowing from @plan.
 */
GArray *lp_plan_storage (const LpPlan *plan);

/**
 * lp_plan_scenario_hash:
 * Returns: (transfer full): the SHA-256, in hex, of the scenario as planned
 * (product, requirements in force, sites, overrides): equal scenarios, equal
 * hashes, whatever file or flags they came from.
 */
char *lp_plan_scenario_hash (const LpPlan *plan);

/**
 * lp_plan_value:
 * @name: a scenario input or rule constant
 *
 * Returns: its value in force for @plan (minutes for durations); infinity
 * for an unset dr-rto or dr-rpo.
 */
double lp_plan_value (const LpPlan *plan, const char *name);

/**
 * lp_plan_site_sizing:
 * @site: a plan site index
 * @c: (out) (optional): the candidate chosen for the site's group
 *
 * Returns: (transfer none): what the chosen design builds at @site.
 */
const LpSiteSizing *lp_plan_site_sizing (const LpPlan *plan, guint site, const LpCandidate **c);

/* A failure row that does not apply at a site of a made plan (failure_slot). */
#define LP_FAILURE_NO_SLOT G_MAXUINT16

/**
 * lp_site_failure:
 * @z: a site's sizing
 * @k: a rule-set [failure] row
 *
 * Returns: (transfer none) (nullable): row @k's result at @z, or NULL where it
 *   does not apply (or @z keeps no table: a design not chosen, an empty site).
 *   A made plan keeps only the rows that apply (lp_site_failures_settle()).
 */
const LpFailureResult *lp_site_failure (const LpSiteSizing *z, guint k);

/**
 * lp_site_failures_settle:
 * @z: a site's sizing whose failures hold every one of @n_rows rows
 * @plan: the plan @z is of, whose shared tables keep the settled ones
 *
 * Keeps only the rows that apply, with the map lp_site_failure() reads: a
 * made plan's tables are read, never evaluated again, and hold a few of the
 * rule set's rows each (7 of 42 for a plain site), which on 10,000 sites was
 * the largest part of the heap. A table (or map) byte for byte the same as
 * one already settled is that one, shared: sites sized alike keep one copy.
 * Fails (keeps the whole table) only for a rule set of more rows than the
 * map counts, which no loader accepts.
 */
void lp_site_failures_settle (LpSiteSizing *z, guint n_rows, LpPlan *plan);

/**
 * lp_plan_group_value:
 * @group: a group of @plan
 * @name: an input of the rule set
 *
 * Returns: the value @group was planned with: a site-scope input's as its
 *   [input] group rule makes it from the group's sites (the strictest of a
 *   pair's requirements), else the scenario's; infinity for an unset dr-rto.
 */
double lp_plan_group_value (const LpPlan *plan, guint group, const char *name);

/**
 * lp_plan_site_without_dr:
 * @site: a plan site index
 *
 * Returns: whether @site is planned without disaster recovery: it says
 *   dr-site = none while disaster recovery is asked, or its design's
 *   without-dr holds there (a branch whose users are homed on an appliance,
 *   which Microsoft does not extend disaster recovery to). The second is
 *   known only in a full report's plan (lp_planner_plan()).
 */
gboolean lp_plan_site_without_dr (const LpPlan *plan, guint site);

/**
 * lp_plan_site_facts:
 * @site: a plan site index
 *
 * Returns: (transfer full): what the site model says of it, as a reader
 *   reads it, parts joined by ", ", or "" when nothing: "20,000 own and
 *   400 from branches", "a branch of A, survivable sba", "a backup pool
 *   at HUB for S1", "its Edge pool at A", "Office Web Apps at A", "planned
 *   without disaster recovery (dr-site = none)", and the site's own values
 *   of the rule set's inputs ("rto 4h", "pstn-calls 2,000"). Without
 *   @keys, in a customer's words: no key, each input by its title ("Peak
 *   concurrent PSTN calls: 2,000").
 */
char *lp_plan_site_facts (const LpPlan *plan, guint site, gboolean keys);

/**
 * lp_check_result_text:
 * Returns: (transfer full): "pass", or "MISS by 30m" ("MISS" for yes/no).
 */
char *lp_check_result_text (const LpCheck *check, const LpCheckResult *r);

/**
 * lp_candidate_misses_words:
 * Returns: (transfer full): the requirements @c misses as a customer reads
 *   them, joined by "; ": "Recovery time after losing a site: 68h30m over
 *   the target", "Persistent Chat: not provided"; "" when none.
 */
char *lp_candidate_misses_words (const LpPlan *plan, const LpCandidate *c);

/**
 * lp_candidate_misses_text:
 * Returns: (transfer full): "rto by 30m, dr-rto by 68h", or "" when @c
 * meets every requirement.
 */
char *lp_candidate_misses_text (const LpPlan *plan, const LpCandidate *c);

/* ---- the plan summary ---- */

/* One site of a detailed summary. */
typedef struct {
  char *name;         /* owned */
  guint64 *roles;     /* owned: per rule-set role, what the chosen design builds there */
  const char *design; /* the chosen template's id there (the rule set's) */
} LpSiteSummary;

/* One group of a detailed summary. */
typedef struct {
  char *label;           /* owned: "NYC" or "NYC + NYC-DR" */
  char *key;             /* owned: the group's identity, its sites' names joined by a
                          * newline (no name holds one): a site "A + B" alone and the
                          * pair of A and B have one label but two keys */
  const char *design;    /* the chosen template's id (the rule set's) */
  LpCheckResult *checks; /* owned: per rule-set check, the chosen design's figures */
} LpGroupSummary;

/* What a sweep keeps of each row, and what a session compares from one
 * change to the next: the totals always; with detail, every site's role
 * counts and every group's design and requirement figures. It owns its
 * buffers (made by lp_plan_summary_init() for one rule set, reused by every
 * lp_plan_summary_set()) and outlives the plan it was taken from; the ids
 * it names are the rule set's. */
typedef struct {
  const LpRuleset *rs; /* borrowed: its roles and checks index the arrays */
  const char *design;  /* a template id of rs, "mixed" or "none" */
  const char *edition; /* an edition id of rs, "mixed" or "none" */
  gboolean feasible;
  guint64 servers, appliances, reverse_proxies;
  double cost;
  gboolean priced;    /* cost is money (a price list), else servers + appliances */
  guint64 *roles;     /* owned: per rule-set role, the total over the sites */
  guint64 *missed;    /* owned: a bit per rule-set check, however many: set when
                       * some group misses it (lp_plan_summary_missed()) */
  GArray *sites;      /* nullable, of LpSiteSummary: with detail only */
  GArray *groups;     /* nullable, of LpGroupSummary: with detail only */
  gboolean ids_plain; /* no id of the rule set it can name (design, edition,
                       * check) needs CSV quoting or holds a ';'
                       * (lp_csv_is_plain()): a CSV row copies them unscanned */
  char *inputs;       /* owned, nullable: the scenario planned, as a session writes it
                       * back, for a difference that lists changed inputs (a sweep's
                       * rows have none) */
} LpPlanSummary;

/**
 * lp_plan_summary_init:
 * @s: the summary to set up, uninitialised
 * @rs: the rule set of the plans it will summarise; must outlive @s
 * @detailed: keep sites and groups too
 *
 * Makes @s's buffers: an empty summary (design "none", feasible, nothing
 * built). Free them with lp_plan_summary_clear().
 */
void lp_plan_summary_init (LpPlanSummary *s, const LpRuleset *rs, gboolean detailed);

/* Frees what @s owns; @s itself is not freed and may be set up again. */
void lp_plan_summary_clear (LpPlanSummary *s);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpPlanSummary, lp_plan_summary_clear)

/**
 * lp_plan_summary_set:
 * @plan: a plan of @s's rule set
 *
 * Fills @s from @plan. Without detail it allocates nothing; with detail,
 * only for sites and groups whose names differ from last time.
 */
void lp_plan_summary_set (LpPlanSummary *s, const LpPlan *plan);

/* Makes @to (set up for the same rule set, with detail if @from has it) a
 * copy of @from; allocates nothing without detail. */
void lp_plan_summary_copy (LpPlanSummary *to, const LpPlanSummary *from);

/* Returns: TRUE when some group of the plan @s summarises misses rule-set
 * check @check (FALSE past the last check). Inline: writers ask it of every
 * check of every sweep row. */
static inline gboolean
lp_plan_summary_missed (const LpPlanSummary *s, guint check)
{
  return check < s->rs->checks->len && (s->missed[check / 64] >> (check % 64) & 1);
}

/**
 * lp_plan_summary_equal:
 * @a, @b: summaries of the same rule set
 *
 * Returns: TRUE when @a and @b report the same result: design, edition,
 * feasible, totals, role counts, cost and missed checks, and when both have
 * detail, the same sites and groups with the same counts, designs and
 * requirement figures.
 */
gboolean lp_plan_summary_equal (const LpPlanSummary *a, const LpPlanSummary *b);

/* One difference between two summaries. */
typedef struct {
  char *path;     /* "servers", "roles/front-end", "missed/dr-rto",
                   * "sites/NYC/roles/front-end", "groups/NYC + NYC-DR/design",
                   * "groups/NYC/checks/dr-rto", or "sites/NYC" for a site
                   * (and "groups/LABEL" for a group) only one side has */
  char *old_text; /* nullable (what was there: none when it is new) */
  char *new_text; /* nullable (what is there now: none when it is gone) */
} LpPlanChange;

void lp_plan_change_free (LpPlanChange *change);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPlanChange, lp_plan_change_free)

/**
 * lp_plan_summary_diff:
 * @from: the summary before
 * @to: the summary after, of the same rule set
 *
 * Lists what changed, in a fixed order: design, edition, feasible, servers,
 * appliances, cost (when either is priced), each role, each missed check; then, when both have
 * detail, each site (in @to's order, then the sites gone) and each group
 * likewise. Texts are as a user reads them: counts "8", "1,200"; cost
 * "1250.5"; yes/no; a requirement figure "2h05m", "2h05m, misses by 5m" or
 * "does not apply". A change whose texts are the same (a figure that moved
 * by less than its text shows) is left out.
 *
 * Returns: (transfer full) (element-type LpPlanChange): the changes, empty
 * when @from and @to report the same; the array frees its elements.
 */
GPtrArray *lp_plan_summary_diff (const LpPlanSummary *from, const LpPlanSummary *to);
