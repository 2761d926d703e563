/* lp-session.h: what `lyncplan shell` and `lyncplan diff` share: a change
 * to a scenario named as --vary names its keys, the plan summarised, the
 * difference of two summaries as a user reads it (compact text or JSON),
 * and a scenario written back as a normalised scenario file. */
#pragma once

#include <glib.h>

#include "lp-engine.h"
#include "lp-formats.h"
#include "lp-plan.h"
#include "lp-scenario.h"

/**
 * lp_session_apply:
 * @sc: the scenario to change
 * @key: as --vary names it: users (of the only site) or users@SITE, a
 *   site-scope input KEY@SITE, dr-site@SITE, a scenario input, name,
 *   author, company, date, sip-domain, or a rule constant ("product" is
 *   not: switching rule sets rebuilds the scenario, lp_session_rebuild())
 * @text: the value as typed
 * @where: message prefix, "shell:3:" or "--with users@NYC=40000:"
 * @error: LP_ERROR_INPUT "@where [scenario] KEY: ..." for an unknown key
 *   (with a suggestion), a site that is not there or a bad value
 *
 * Sets @key. A rule constant's value is checked by lp_scenario_resolve().
 * Returns: FALSE on error; @sc may then be changed in part (callers keep a
 * copy to go back to).
 */
gboolean lp_session_apply (LpScenario *sc, const char *key, const char *text, const char *where,
                           GError **error);

/**
 * lp_session_unset:
 * @key: a scenario input or a rule constant the scenario sets, one of
 *   lp_scenario_words (name, author, ...), or KEY@SITE: a key the site's
 *   group sets (not users)
 * @error: LP_ERROR_INPUT "@where [scenario] KEY: not set", "[site NAME] KEY:
 *   not set for the site", or an unknown key
 */
gboolean lp_session_unset (LpScenario *sc, const char *key, const char *where, GError **error);

/* What a session's earlier checks found (the [site] groups of its saved
 * scenarios that loaded back, the naming of its last plan that passed), so a
 * change checks again only what it changed. */
typedef struct _LpSessionCache LpSessionCache;

/**
 * lp_session_cache_new:
 *
 * Returns: (transfer full): an empty cache for lp_session_summarise(); free
 *   with lp_session_cache_free(). It holds at most about twice the groups
 *   and names of the largest scenario it was given.
 */
LpSessionCache *lp_session_cache_new (void);

/** lp_session_cache_free: @known: (nullable) */
void lp_session_cache_free (LpSessionCache *known);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpSessionCache, lp_session_cache_free)

/**
 * lp_session_summarise:
 * @planner: a planner of @sc's rule set
 * @sc: resolved here (lp_scenario_resolve())
 * @known: (nullable): what earlier calls of this session found (any rule
 *   set), updated; NULL checks everything each time
 * @s: set up detailed for @sc's rule set; filled on success
 *
 * Validates @sc as `lyncplan plan` validates a file and its plan: the
 * scenario as `save` would write it loads back, and the plan's servers can
 * be named (computer-name-max), so the shell and diff accept what plan does.
 * With @known, a [site] group whose saved text loaded before is not read
 * again (its load depends on its text and the rule set alone; the names of
 * all groups are still compared), and only the sites whose server counts
 * changed are named again (lp_name_check_plan()); any fault checks the
 * whole, for the same message.
 *
 * Returns: FALSE on the loader's, the resolver's, the engine's or the
 * naming's error, @s as it was.
 */
gboolean lp_session_summarise (LpPlanner *planner, LpScenario *sc, LpSessionCache *known,
                               LpPlanSummary *s, GError **error);

/**
 * lp_session_diff:
 * @from, @to: detailed summaries, of one rule set or of two
 *
 * The inputs that changed first, when both summaries carry their scenario
 * (lp_session_summarise()): "inputs/KEY", "inputs/KEY@SITE" or
 * "inputs/set KEY", NULL for a side without it. Then as
 * lp_plan_summary_diff(); for summaries of two rule sets, a "product"
 * change first, then the rest with roles and checks matched by id (a role
 * or check only the first rule set has is left out).
 * Returns: (transfer full) (element-type LpPlanChange): the changes.
 */
GPtrArray *lp_session_diff (const LpPlanSummary *from, const LpPlanSummary *to);

/**
 * lp_session_plans_differ:
 * @changes: from lp_session_diff()
 * Returns: TRUE when a change is of the plans, not only of their inputs.
 */
gboolean lp_session_plans_differ (const GPtrArray *changes);

/**
 * lp_session_changes_text:
 * @rs: the rule set of the summary after (its role names and check labels)
 * @changes: from lp_session_diff()
 *
 * Returns: (transfer full): one line per change, each ending in a newline,
 *   in the order design per group, totals, per-site roles ("NYC: Front End
 *   server 6 -> 8"), requirement figures ("NYC + CHI: RTO, site loss 1h35m
 *   -> 2h05m, misses by 5m"), cost; "" when nothing changed.
 */
char *lp_session_changes_text (const LpRuleset *rs, const GPtrArray *changes);

/**
 * lp_session_changes_json:
 * @rs: unused (an LpChangesFunc)
 * @changes: from lp_session_diff()
 *
 * Returns: (transfer full): {"same": bool, "changes": [{path, old, new}]},
 *   pretty-printed, ending in a newline; an absent side is null.
 */
char *lp_session_changes_json (const LpRuleset *rs, const GPtrArray *changes);

/* Writes the changes of lp_session_diff(): lp_session_changes_text() or
 * lp_session_changes_json(). */
typedef char *(*LpChangesFunc) (const LpRuleset *rs, const GPtrArray *changes);

typedef struct {
  LpFormat format;
  LpChangesFunc write;
} LpChangesWriter;

/* diff's --format values, text (the default, the shell's too) and json: a
 * table of lp-formats.h, ended by a row with a NULL name. */
extern const LpChangesWriter lp_changes_writers[];

/**
 * lp_session_scenario_text:
 * @product: (nullable): the product to write instead of @sc's
 *
 * Returns: (transfer full): @sc as a scenario file: [scenario] with the
 *   product, the fixed values and the inputs it sets, a [site NAME] group
 *   per site in order, [set] with the constants it overrides; values as
 *   the user typed them. No comments: a normalised scenario that plans the
 *   same as @sc.
 */
char *lp_session_scenario_text (const LpScenario *sc, const char *product);

/**
 * lp_session_ruleset:
 * @rulesets: (element-type LpRuleset): the rule sets loaded so far, owned;
 *   one is added when @product is not among them
 * @rules_dir: (nullable): as for lp_ruleset_load_product()
 *
 * Returns: (transfer none) (nullable): rule set @product, owned by @rulesets.
 */
const LpRuleset *lp_session_ruleset (GPtrArray *rulesets, const char *rules_dir,
                                     const char *product, GError **error);

/**
 * lp_session_load:
 * @path: a scenario file
 * @rulesets, @rules_dir: as for lp_session_ruleset(); the file's product
 *   (lync2013 when it names none) is loaded there
 * @error: the file's errors, "file:line: [group] key: ..."
 *
 * Returns: (transfer full) (nullable): the scenario, not yet resolved.
 */
LpScenario *lp_session_load (const char *path, GPtrArray *rulesets, const char *rules_dir,
                             GError **error);

/**
 * lp_session_rebuild:
 * @sc: a scenario
 * @product: the rule set to speak
 *
 * Returns: (transfer full) (nullable): @sc rebuilt from its saved keys
 *   (lp_session_scenario_text()) in @product's vocabulary; NULL with the
 *   new rule set's message for a key it does not know.
 */
LpScenario *lp_session_rebuild (const LpScenario *sc, GPtrArray *rulesets, const char *rules_dir,
                                const char *product, GError **error);

/**
 * lp_session_load_prices:
 * @path: (nullable): a price list for @sc's rule set; NULL for none
 * @error: as for lp_prices_load()
 *
 * Replaces @sc's price list (costs become money), or leaves it when @path
 * is NULL.
 */
gboolean lp_session_load_prices (LpScenario *sc, const char *path, GError **error);
