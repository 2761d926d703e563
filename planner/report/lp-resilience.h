/* lp-resilience.h: the design review of a plan: how each failure is judged
 * against the targets, pool quorum, the SLA budget and the DNS plan. The
 * failure table itself is in the plan (LpSiteSizing.failures). */
#pragma once

#include <glib.h>

#include "lp-inventory.h"
#include "lp-plan.h"
#include "lp-topology.h"

typedef struct {
  const LpPool *pool;
  guint servers;
  gboolean listed; /* the rule set's quorum tables know this pool size */
  guint must_run;
  guint of_first; /* 0: any servers; else the pool's first N */
  guint to_start;
  guint can_lose;   /* servers that can fail, whichever they are, before it stops */
  gboolean flagged; /* cannot lose one server, or the size is not listed */
} LpQuorumRow;

typedef struct {
  double sla; /* the target, percent */
  gboolean sla_default;
  double allowed[4];    /* minutes of downtime allowed a year, quarter, month, week */
  gboolean modeled;     /* the rule set has the sla check */
  double modeled_year;  /* minutes of downtime a year the design is modeled to have */
  double supported_sla; /* the availability the design supports, percent */
  gboolean meets;
} LpSlaBudget;

/* One part of a component's downtime, as the downtime budget lists it. */
typedef struct {
  char *component;  /* lp_availability_part_label() */
  double minutes;   /* a year */
  gboolean planned; /* a patch window that takes the service down by itself */
  gboolean counted; /* toward the SLA: unplanned, or planned with sla-includes-maintenance */
  const char *cut;  /* nullable: what the rule says would cut it */
} LpAvailContributor;

/* The downtime budget of one user class of a group: the figures of the site
 * that loses most (the worst site decides the SLA). */
typedef struct {
  guint site;              /* plan site index */
  double downtime;         /* counted minutes a year: the sum of the counted contributors */
  double percent;          /* 100 * (1 - downtime / the year), 0 at the least */
  gboolean never;          /* down all the year: the rule constants make it never available */
  GPtrArray *contributors; /* of LpAvailContributor, largest first; planned ones included */
} LpAvailClass;

typedef struct {
  guint group;
  LpAvailClass classes[LP_AVAIL_N_CLASSES]; /* internal, remote users */
} LpGroupAvailability;

/* "internal" and "remote", the user classes' names in every output. */
extern const char *const lp_avail_class_names[LP_AVAIL_N_CLASSES];

/* A record's texts are borrowed: from the model, from its LpResilience's
 * texts (an SRV record's, each kept once), or from the walk that made it (an
 * address record's, lp_dns_walk_next()). */
typedef struct {
  const char *name;
  const char *type; /* "SRV", "A", "GeoDNS" */
  const char *target;
  const char *target_id; /* the model node it points at (LpTopoNode.id, borrowed) */
  const char *zone;      /* "internal" or "external" DNS */
  const char *domain;    /* the SIP domain whose zone holds it (borrowed) */
  guint port;            /* 0: none */
  guint priority;        /* SRV only */
  guint weight;          /* SRV only */
  const char *note;
} LpDnsRecord;

typedef struct {
  const LpTopology *topo; /* borrowed: the model the DNS plan is a view of */
  GArray *quorum;         /* of LpQuorumRow */
  LpSlaBudget sla;
  gboolean dns_needed;    /* the model has names (every plan with servers) */
  const char *sip_domain; /* the default SIP domain: sip_domains[0] */
  gboolean sip_domain_default;
  GStrv sip_domains;        /* owned: every SIP domain, the default first */
  GPtrArray *srv;           /* of LpDnsRecord: the SRV records, first of the DNS plan; its
                             * address records are made when walked (lp_dns_walk_next()) */
  LpArena *arena;           /* owned: the SRV records */
  GStringChunk *texts;      /* the SRV records' names, targets and notes, each once (those
                             * that are not the model's own, borrowed from topo) */
  const char *statement;    /* the plain statement on remote sign-in */
  GArray *data;             /* of LpDataRow: the [data] classes that apply */
  GArray *availability;     /* of LpGroupAvailability, one per group with a sized site */
  gboolean planned_counted; /* planned maintenance counts toward the SLA */
  const LpPlan *plan;       /* borrowed: the plan the address records name sites of */
  GHashTable *domain_index; /* SIP domain (any case) -> its place in sip_domains + 1: keeps
                             * the DNS plan linear in SIP domains */
  /* while building only */
  GHashTable *names_in[2]; /* LpTopoNode -> (place + 1 -> its first internal ([0]) or
                            * external ([1]) name in that domain) */
} LpResilience;

/* The periods of the SLA budget: a year of 365.25 days (the rule set's
 * minutes-per-year), a quarter and a month of 1/4 and 1/12 year, a week of
 * 7 days. */
extern const char *const lp_sla_periods[4];

/**
 * lp_resilience_new:
 * @plan: a plan
 * @inv: its inventory, for pool names
 * @topo: its topology model: the DNS plan is a view of it
 *
 * The DNS plan: for each SIP domain, the SRV records (each target the
 * target node's name in the SRV's own domain), then an A record for every
 * name of the model in the zone that answers it (internal, external): a
 * pool's name once for each server behind it (DNS load balancing), a
 * server's own, an Edge pool's external names once for each Edge server,
 * an external web name at the reverse proxies that publish it (GeoDNS
 * where there are several). Linear in the model's names and servers. The
 * SRV records are kept; the address records, a view of the model's names,
 * are made when walked (lp_dns_walk_next()).
 *
 * Returns: (transfer full): the review. It points into @plan, @inv and @topo.
 */
LpResilience *lp_resilience_new (const LpPlan *plan, const LpInventory *inv,
                                 const LpTopology *topo);
void lp_resilience_free (LpResilience *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpResilience, lp_resilience_free)

/* A walk over the DNS plan's records, in order: the SRV records, then the
 * address records of each of the model's names (internal DNS, then
 * external), made one name at a time when walked rather than kept (10,000
 * sites have hundreds of thousands). Every reader of the DNS plan walks it. */
typedef struct {
  const LpResilience *res;
  guint srv;        /* the next SRV record */
  guint zone, name; /* the next model name whose records to make */
  GArray *batch;    /* of LpDnsRecord: the records of one name */
  guint next;       /* the next of batch */
  GPtrArray *texts; /* of char *, owned: the batch's texts that are not the model's */
} LpDnsWalk;

/**
 * lp_dns_walk_init:
 * @w: (out caller-allocates): the walk
 * @res: the review whose DNS plan to walk; it must outlive the walk
 *
 * Starts a walk; lp_dns_walk_clear() frees what it holds.
 */
void lp_dns_walk_init (LpDnsWalk *w, const LpResilience *res);

/**
 * lp_dns_walk_next:
 * Returns: (transfer none) (nullable): the next record, valid (its texts
 *   too) until the next call or lp_dns_walk_clear(); NULL after the last.
 */
const LpDnsRecord *lp_dns_walk_next (LpDnsWalk *w);

/* lp_dns_walk_clear: frees what @w holds (it may be walked no further). */
void lp_dns_walk_clear (LpDnsWalk *w);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LpDnsWalk, lp_dns_walk_clear)

/**
 * lp_failure_targets:
 * @plan: a plan
 * @site: the plan site the row was evaluated at (its group's targets apply)
 * @f: a failure row
 * @r: its result at a site
 * @rto: (out): the RTO it is held to: rto, or dr-rto for the site row
 *   (infinity for the site row of a site planned without DR)
 * @rpo: (out): likewise rpo or dr-rpo (infinity when unset)
 *
 * Returns: TRUE when the row meets both.
 */
gboolean lp_failure_targets (const LpPlan *plan, guint site, const LpFailure *f,
                             const LpFailureResult *r, double *rto, double *rpo);

/* When one class of service is back after a failure (a row whose steps
 * restore classes). */
typedef struct {
  const char *id, *label; /* the rule set's [service] id and label */
  double minutes;         /* from the failure, the response time included */
  gboolean in_scope;      /* the scenario's dr-scope holds it to dr-rto */
} LpServiceBack;

/**
 * lp_failure_services:
 * @out: (out caller-allocates): room for LP_MAX_SERVICES
 *
 * Fills @out with the classes of service @r's steps bring back, in the rule
 * set's order. Returns: how many (0 for a row whose steps restore none).
 */
guint lp_failure_services (const LpPlan *plan, const LpFailureResult *r, LpServiceBack *out);

/**
 * lp_failure_sum_text:
 * Returns: (transfer full): how the row's RTO adds up, as the report prints
 * it: "2h35m = response 30m + 5m + 30m", "5m = 5m", "0m: no step needed"; for a
 * row whose steps restore service classes, the critical path ("55m = response
 * 30m + 5m (step 2) + 20m (step 4)") and the time each class is back, those
 * in the scenario's dr-scope first. @plan gives the classes' labels.
 */
char *lp_failure_sum_text (const LpPlan *plan, const LpFailure *f, const LpFailureResult *r);

/**
 * lp_failure_step_text:
 * @i: a step of @f that applies at the site of @r
 * Returns: (transfer full): the step with its minutes: "(5m) TEXT", or
 * "(after service is back, 8h) TEXT" for a step that follows after.
 */
char *lp_failure_step_text (const LpFailure *f, const LpFailureResult *r, guint i);

/* A [data ID] class of the plan: its loss, evaluated over the scenario's values. */
typedef struct {
  const LpDataClass *data;
  double loss; /* minutes; meaningless when data->checked */
} LpDataRow;
