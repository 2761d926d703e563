/* lp-scenario.h: a planning scenario, from a scenario file and command-line
 * flags (flags override the file), validated before the engine sees it. */
#pragma once

#include <glib.h>

#include "lp-prices.h"
#include "lp-ruleset.h"

/* The rule set a scenario is planned with when it names none. */
#define LP_DEFAULT_PRODUCT "lync2013"

typedef enum {
  LP_EDITION_AUTO,
  LP_EDITION_STANDARD,
  LP_EDITION_ENTERPRISE,
} LpEditionChoice;

typedef struct {
  char *name;
  guint64 users;
  double remote_percent;
  gboolean remote_set; /* else the scenario's or the rule file's default */
  char *dr_site;       /* nullable */
  gint dr_index;       /* the index of the site dr_site names, set by lp_scenario_resolve() */
  char *where;         /* message prefix for the site: "f.ini:7: [site NYC]" or "--site 'NYC=...'" */
  char *dr_site_where; /* message prefix for its dr-site */
} LpSite;

/* A scenario's value for a rule-set name: an input (rto, sla, ...) or a
 * constant overridden with [set] / --set. */
typedef struct {
  char *name;
  char *text;  /* as the user wrote it */
  double value;
  guint slot;  /* set by lp_scenario_resolve() */
  gboolean is_input;
  char *where; /* message prefix: "f.ini:12: [set] name:" or "--set:" */
} LpSetting;

typedef struct {
  char *filename;  /* nullable: flags only */
  char *title;     /* nullable: the engagement, from [scenario] name */
  char *product;   /* rule set id */
  gboolean product_set;
  gboolean persistent_chat;
  gboolean persistent_chat_set;
  LpEditionChoice edition;
  gboolean edition_set;
  GPtrArray *settings; /* of LpSetting */
  GPtrArray *sites;    /* of LpSite, in file order, then flag order */
  GHashTable *setting_index; /* name -> LpSetting: 100,000 [set] keys stay linear */
  GHashTable *site_index;    /* name -> site index + 1: so do 40,000 sites */
  LpPrices *prices;    /* nullable, owned: costs become money */
  char *author;        /* nullable: document properties of deliverables */
  char *company;       /* nullable */
  char *date;          /* nullable: YYYY-MM-DD, the plan's date */
  char *sip_domain;    /* nullable: the SIP domain of the DNS plan */
} LpScenario;

/* The scenario keys whose values are durations or percentages, in the order
 * every output lists them. */
extern const char *const lp_scenario_value_keys[];

/**
 * lp_scenario_new:
 * Returns: (transfer full): an empty scenario (product lync2013, no sites).
 */
LpScenario *lp_scenario_new (void);
void lp_scenario_free (LpScenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpScenario, lp_scenario_free)

/**
 * lp_scenario_load:
 * @path: a scenario file: [scenario], [site NAME] groups and an optional [set]
 * @error: LP_ERROR_IO if unreadable; LP_ERROR_INPUT naming
 *   "file:line: [group] key:" for anything wrong in it
 *
 * Returns: (transfer full) (nullable): the scenario, or NULL.
 */
LpScenario *lp_scenario_load (const char *path, GError **error);

/**
 * lp_scenario_set_value:
 * @key: one of lp_scenario_value_keys, "persistent-chat", "edition",
 *   "product" or "name"
 * @text: the value as typed
 * @where: message prefix, e.g. "--rto:"
 * @error: LP_ERROR_INPUT, "@where expected ..., got ..."
 *
 * Sets or replaces a scenario-level value.
 */
gboolean lp_scenario_set_value (LpScenario *sc, const char *key, const char *text,
                                const char *where, GError **error);

/**
 * lp_scenario_add_site_flag:
 * @spec: "NAME=USERS[,remote=PCT][,dr-site=NAME]"; a site of that name is
 *   updated, else one is added
 * @error: LP_ERROR_INPUT naming the flag
 */
gboolean lp_scenario_add_site_flag (LpScenario *sc, const char *spec, GError **error);

/**
 * lp_scenario_add_set_flag:
 * @spec: "NAME=VALUE" for a rule constant; checked by lp_scenario_resolve()
 * @error: LP_ERROR_INPUT if @spec has no '='
 */
gboolean lp_scenario_add_set_flag (LpScenario *sc, const char *spec, GError **error);

/**
 * lp_scenario_resolve:
 * @rs: the rule set the scenario will be planned with
 * @error: LP_ERROR_INPUT for an unknown constant (with a suggestion), a value
 *   of the wrong kind, no site at all, or a dr-site naming no site
 *
 * Binds every setting to its slot in @rs and checks what needs the rule set.
 */
gboolean lp_scenario_resolve (LpScenario *sc, const LpRuleset *rs, GError **error);

/**
 * lp_scenario_find_setting:
 * Returns: (transfer none) (nullable): the scenario's setting for @name.
 */
const LpSetting *lp_scenario_find_setting (const LpScenario *sc, const char *name);

/**
 * lp_scenario_find_site:
 * Returns: the index of the site called @name, or -1.
 */
gint lp_scenario_find_site (const LpScenario *sc, const char *name);

/**
 * lp_scenario_check_text:
 * @text: a text value as the user wrote it: a name, an author, a company
 * @where: message prefix, e.g. "--author:"
 * @error: LP_ERROR_INPUT "@where not valid UTF-8", or naming the first
 *   control character (C0 including TAB, DEL and C1): they would reach a
 *   terminal raw and make the workbook's XML invalid
 */
gboolean lp_scenario_check_text (const char *text, const char *where, GError **error);

/**
 * lp_scenario_check_domain:
 * @text: a SIP domain
 * @where: message prefix, e.g. "--sip-domain:"
 * @error: LP_ERROR_INPUT unless @text is a DNS name of two labels or more,
 *   each 1 to 63 letters, digits and hyphens, not starting or ending with a
 *   hyphen, at most 253 characters in all
 */
gboolean lp_scenario_check_domain (const char *text, const char *where, GError **error);

/* Returns: (transfer none): "auto", "standard" or "enterprise". */
const char *lp_edition_choice_to_string (LpEditionChoice e);
