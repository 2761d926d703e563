/* lp-scenario.h: a planning scenario, from a scenario file and command-line
 * flags (flags override the file), validated before the engine sees it. */
#pragma once

#include <glib.h>

#include "lp-keyfile.h"
#include "lp-prices.h"
#include "lp-ruleset.h"

/* The rule set a scenario is planned with when it names none. */
#define LP_DEFAULT_PRODUCT "lync2013"

/* A site key that names another site or says a word instead: dr-site
 * (a site or none), home (a central site), edge (here, none or a site),
 * office-web-apps (here or a site). */
typedef enum { LP_LINK_DR, LP_LINK_HOME, LP_LINK_EDGE, LP_LINK_OWA, LP_N_LINKS } LpLinkKey;

/* The keys of LpLinkKey, in its order: "dr-site", "home", "edge", "office-web-apps". */
extern const char *const lp_site_link_keys[LP_N_LINKS];

typedef enum {
  LP_LINK_UNSET, /* not written: the default */
  LP_LINK_HERE,
  LP_LINK_NONE,
  LP_LINK_SITE,
} LpLinkKind;

typedef struct {
  LpLinkKind kind;
  char *name;  /* nullable: as written */
  gint index;  /* LP_LINK_SITE: the site named, set by lp_scenario_resolve() */
  char *where; /* nullable: message prefix where it was written */
} LpSiteLink;

typedef struct {
  char *name;
  guint64 users;
  gboolean branch;  /* kind = branch: no pools of its own, its users homed at links[LP_LINK_HOME] */
  char *kind_where; /* nullable: where kind was written */
  char *code;       /* nullable: its part of server names and FQDNs, lower case (code) */
  char *code_where; /* nullable: where code was written */
  LpSiteLink links[LP_N_LINKS];
  /* per rule-set site input (LpRuleset.site_inputs): the site's own value,
   * where texts[i] is not NULL (as written); else the scenario's applies */
  double *values;
  char **texts;
  guint n_values;
  guint n_set; /* the texts that are not NULL */
  char *where; /* message prefix for the site: "f.ini:7: [site NYC]" or "--site 'NYC=...'" */
  /* private: the scenarios holding the site (lp_scenario_copy() shares
   * sites, a site is copied when changed: lp_scenario_site_mut()) */
  gint ref_count;
  /* private: what is known of the site while it is unchanged (a change
   * forgets both): its group as saved (lp_scenario_site_group()), and the
   * rule set its saved group loaded back under, as a group named by the
   * site's own name (lp_session_summarise()'s cache; NULL: not known) */
  struct _LpSiteGroup *group;
  gconstpointer loads_under;
} LpSite;

/* A scenario's value for a rule-set name: an input (rto, sla, edition, ...)
 * or a constant overridden with [set] / --set. */
typedef struct {
  char *name;
  char *text; /* as the user wrote it */
  double value;
  guint slot; /* inputs: set when made; constants: by lp_scenario_resolve() */
  gboolean is_input;
  char *where; /* message prefix: "f.ini:12: [set] name:" or "--set:" */
} LpSetting;

/* The [scenario] keys that are not a rule set's inputs and that `set` in the
 * shell also takes: "name", "author", "company", "customer", "date",
 * "sip-domain", "paper"; NULL-terminated. */
extern const char *const lp_scenario_words[];

/* The paper a deliverable is printed on (paper = a4|letter). */
typedef enum {
  LP_PAPER_A4,
  LP_PAPER_LETTER,
} LpPaper;

/**
 * lp_paper_from_string:
 * @text: (nullable): "a4" or "letter", as written; NULL for the default
 * Returns: the LpPaper, LP_PAPER_A4 for NULL, or -1 for any other text.
 */
gint lp_paper_from_string (const char *text);

/* A scenario speaks the vocabulary of one rule set (its [input] groups):
 * made with that rule set, it can only be planned with it. */
typedef struct {
  const LpRuleset *rs; /* the vocabulary; not owned, outlives the scenario */
  char *filename;      /* nullable: flags only */
  char *title;         /* nullable: the engagement, from [scenario] name */
  char *product;       /* rule set id */
  gboolean product_set;
  GPtrArray *settings;       /* of LpSetting: inputs and constants the scenario sets */
  GPtrArray *sites;          /* of LpSite, in file order, then flag order */
  GHashTable *setting_index; /* name -> LpSetting: 100,000 [set] keys stay linear */
  /* private: name -> site (lp_scenario_find_site()), shared between copies: so do 40,000 sites */
  struct _LpSiteIndex *site_index;
  LpPrices *prices;       /* nullable, a reference: costs become money */
  char *author;           /* nullable: document properties of deliverables */
  char *company;          /* nullable: who prepared the plan ("Prepared by") */
  char *customer;         /* nullable: whom it is for ("Prepared for") */
  char *paper;            /* nullable: a4 (the default) or letter, as written */
  char *date;             /* nullable: YYYY-MM-DD, the plan's date */
  char *sip_domain;       /* nullable: the SIP domains as written, the default first */
  char *sip_domain_where; /* nullable: message prefix where sip-domain was set */
} LpScenario;

/**
 * lp_site_value:
 * @in: a site-scope input of the scenario's rule set
 * @is_default: (out) (optional): TRUE when the site does not set it
 * Returns: the site's own value, else the scenario's (or the rule set's default).
 */
double lp_site_value (const LpScenario *sc, const LpSite *site, const LpInput *in,
                      gboolean *is_default);

/**
 * lp_scenario_new:
 * @rs: the rule set whose vocabulary the scenario speaks; it must outlive
 *   the scenario
 * Returns: (transfer full): an empty scenario (product @rs's id, no sites).
 */
LpScenario *lp_scenario_new (const LpRuleset *rs);
void lp_scenario_free (LpScenario *sc);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpScenario, lp_scenario_free)

/**
 * lp_scenario_copy:
 * Returns: (transfer full): a copy of @sc, speaking the same rule set,
 *   sharing its price list (a reference); changing one changes nothing in
 *   the other. The sites and their index are shared until changed (a
 *   reference each, so a copy of 1,000 sites costs a pointer a site): a
 *   site is changed only through lp_scenario_site_mut() or the functions
 *   here, which copy a site the scenario shares first. Copies may be made
 *   and changed in several threads at once.
 */
LpScenario *lp_scenario_copy (const LpScenario *sc);

/**
 * lp_scenario_site_mut:
 * @i: a site index of @sc
 *
 * Site @i, @sc's own to change: when @sc shares it with a copy
 * (lp_scenario_copy()), @sc's is copied first (the other keeps the old).
 * Pointers to @sc's site @i taken before no longer point at @sc's site.
 * Write a site's fields only through the pointer this returns.
 *
 * Returns: (transfer none): the site, owned by @sc.
 */
LpSite *lp_scenario_site_mut (LpScenario *sc, guint i);

/**
 * lp_scenario_product:
 * @kf: a parsed scenario file
 * Returns: (transfer none) (nullable): the rule set its [scenario] product
 *   names, or NULL when it names none.
 */
const char *lp_scenario_product (const LpKeyfile *kf);

/**
 * lp_scenario_load:
 * @kf: a scenario file, parsed: [scenario], [site NAME] groups and an optional [set]
 * @rs: the rule set whose vocabulary it speaks (lp_scenario_product() names it)
 * @error: LP_ERROR_INPUT naming "file:line: [group] key:" for anything wrong in it
 *
 * Returns: (transfer full) (nullable): the scenario, or NULL.
 */
LpScenario *lp_scenario_load (const LpKeyfile *kf, const LpRuleset *rs, GError **error);

/**
 * lp_scenario_keys:
 * @scope: LP_SCOPE_SCENARIO for [scenario], LP_SCOPE_SITE for [site NAME]
 * Returns: (transfer container): the keys such a group takes, NULL-terminated:
 *   the fixed ones and the rule set's inputs of that scope, in order.
 */
const char **lp_scenario_keys (const LpRuleset *rs, guint scope);

/**
 * lp_scenario_set_value:
 * @key: an input of the scenario's rule set (scope scenario), or one of
 *   "product" or one of lp_scenario_words
 * @text: the value as typed
 * @where: message prefix, e.g. "--rto:"
 * @error: LP_ERROR_INPUT, "@where expected ..., got ..."
 *
 * Sets or replaces a scenario-level value.
 */
gboolean lp_scenario_set_value (LpScenario *sc, const char *key, const char *text,
                                const char *where, GError **error);

/**
 * lp_scenario_unset_value:
 * @key: an input or a rule constant the scenario sets, or one of
 *   lp_scenario_words (name, author, company, date, sip-domain, ...)
 * Returns: TRUE when it was set (it now takes the rule set's default, or
 *   has no value).
 */
gboolean lp_scenario_unset_value (LpScenario *sc, const char *key);

/**
 * lp_scenario_unset_site_key:
 * @site: a site of @sc, its own (lp_scenario_site_mut())
 * @key: a key of a [site NAME] group other than users: kind, a site-scope
 *   input (by its key or alias), dr-site, home, edge, office-web-apps
 * Returns: TRUE when @site set it (it now takes the scenario's value or the
 *   default); FALSE when it did not or @key is no such key.
 */
gboolean lp_scenario_unset_site_key (LpScenario *sc, LpSite *site, const char *key);

/**
 * lp_scenario_input_value:
 * @in: an input of the scenario's rule set
 * @is_default: (out) (optional): TRUE when the scenario does not set it
 * Returns: the value in force: the scenario's, else the rule set's default.
 */
double lp_scenario_input_value (const LpScenario *sc, const LpInput *in, gboolean *is_default);

/**
 * lp_scenario_set_site_key:
 * @site: a site of @sc, its own (lp_scenario_site_mut())
 * @key: a key of a [site NAME] group: users, kind, dr-site, home, edge,
 *   office-web-apps, or an input of site scope (or its alias, e.g. "remote")
 * @text: the value as typed
 * @where: message prefix, e.g. "f.ini:7: [site NYC] users:"
 * @error: LP_ERROR_INPUT, "@where expected ..., got ..."
 *
 * Sets one key of a site, checked as a scenario file's is wherever it is
 * written (file, --site, shell). Names of other sites are checked by
 * lp_scenario_resolve(), once every site is known.
 */
gboolean lp_scenario_set_site_key (LpScenario *sc, LpSite *site, const char *key, const char *text,
                                   const char *where, GError **error);

/**
 * lp_scenario_site_text:
 * @site: a site of @sc
 * Returns: (transfer full): the site's keys as a [site NAME] group writes
 *   them, one "key = value" line each ("users = 600\nedge = A\n"), the
 *   keys it does not set left out.
 */
char *lp_scenario_site_text (const LpScenario *sc, const LpSite *site);

/**
 * lp_scenario_site_text_append:
 * @out: where the text goes
 *
 * Appends lp_scenario_site_text() of @site to @out.
 */
void lp_scenario_site_text_append (GString *out, const LpScenario *sc, const LpSite *site);

/**
 * lp_scenario_site_group:
 * @site: a site of @sc
 * @len: (out): the text's length
 *
 * The site as a scenario file's group: "[site NAME]\n" and the lines of
 * lp_scenario_site_text(). Made once while the site is unchanged and kept
 * with it (a site shared by copies is written once for all), so a session
 * writes 1,000 sites' groups for the price of the one that changed. Any
 * thread may ask.
 *
 * Returns: (transfer none): the text, owned by @site.
 */
const char *lp_scenario_site_group (const LpScenario *sc, const LpSite *site, gsize *len);

/**
 * lp_scenario_site_usage:
 * Returns: (transfer full): what --site takes, e.g. "NAME=USERS[,remote=PCT][,dr-site=NAME]".
 */
char *lp_scenario_site_usage (const LpRuleset *rs);

/**
 * lp_scenario_remove_site:
 * Returns: TRUE when a site called @name was there and is gone; sites that
 *   named it (as their dr-site, home, edge or office-web-apps) no longer do.
 */
gboolean lp_scenario_remove_site (LpScenario *sc, const char *name);

/**
 * lp_scenario_add_site_flag:
 * @spec: "NAME=USERS[,remote=PCT][,dr-site=NAME]"; a site of that name is
 *   updated, else one is added
 * @error: LP_ERROR_INPUT naming the flag
 */
gboolean lp_scenario_add_site_flag (LpScenario *sc, const char *spec, GError **error);

/**
 * lp_scenario_set_constant:
 * @name: a rule constant (checked by lp_scenario_resolve())
 * @where: message prefix, e.g. "shell:3: [set] name:"
 * @error: LP_ERROR_INPUT when @name is a scenario input
 */
gboolean lp_scenario_set_constant (LpScenario *sc, const char *name, const char *text,
                                   const char *where, GError **error);

/**
 * lp_scenario_add_site:
 * @where: message prefix for the site, kept for its later messages
 * Returns: (transfer none) (nullable): the site called @name (@sc's own to
 *   change, as lp_scenario_site_mut() gives it), added (0 users) when there
 *   was none; NULL for an invalid name.
 */
LpSite *lp_scenario_add_site (LpScenario *sc, const char *name, const char *where, GError **error);

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
 * lp_scenario_check_domain:
 * @text: a SIP domain
 * @where: message prefix, e.g. "--sip-domain:"
 * @error: LP_ERROR_INPUT unless @text is a DNS name of two labels or more,
 *   each 1 to 63 letters, digits and hyphens, not starting or ending with a
 *   hyphen, at most 253 characters in all
 */
gboolean lp_scenario_check_domain (const char *text, const char *where, GError **error);

/**
 * lp_scenario_sip_domains:
 * @sc: a scenario
 *
 * The scenario's SIP domains, as sip-domain lists them ("contoso.com,
 * fabrikam.com", each checked by lp_scenario_check_domain() when set): the
 * first is the default domain.
 *
 * Returns: (transfer full) (nullable): the domains, NULL when sip-domain is
 *   not set; free with g_strfreev().
 */
GStrv lp_scenario_sip_domains (const LpScenario *sc);
