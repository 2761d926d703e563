/* lp-shaped.h: which rule constants shaped a design at a site: those its
 * formulas read on the branches their evaluation took (lp_expr_live_slots()),
 * through the [let]s they read. The report's Assumptions list them. */
#pragma once

#include <glib.h>

#include "lp-plan.h"
#include "lp-ruleset.h"

typedef struct _LpShaper LpShaper;

/**
 * lp_shaper_new:
 * @rs: the rule set, which must outlive the shaper
 *
 * Returns: (transfer full): what lp_shaper_mark() needs, made once per plan:
 *   the let formula and the constant of each slot. Free with lp_shaper_free().
 */
LpShaper *lp_shaper_new (const LpRuleset *rs);
void lp_shaper_free (LpShaper *sh);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpShaper, lp_shaper_free)

/**
 * lp_shaper_mark:
 * @sh: the shaper
 * @t: the design just sized at a site, the one chosen for its group
 * @ti: its index in the rule set
 * @env: the slots as sizing @t at the site left them
 * @z: that sizing
 * @bits: the plan's set (one bit per rule-set var, in rs->vars order): the
 *   constants read by @t's role counts, pools, exclusion, notes that apply,
 *   the checks, failure rows and availability groups that apply, the
 *   storage rows that apply and the capacities of its roles with servers
 *   there, each through the [let]s it reads, on the branches taken, are
 *   added to it. A formula whose constants (whatever the branches) are all
 *   in @bits already is not walked, so a plan of many sites costs little
 *   more than its first few.
 */
void lp_shaper_mark (LpShaper *sh, const LpTemplate *t, guint ti, const double *env,
                     const LpSiteSizing *z, guint8 *bits);
