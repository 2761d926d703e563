/* lp-prices.h: a price list: a currency and, per role, a hardware and a
 * licence price. With one, a plan's cost is money rather than a count. */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"

typedef struct {
  char *filename;
  char *currency;
  char *note;       /* nullable: what the figures are, e.g. "example figures" */
  double *hardware; /* per rule-set role */
  double *licence;  /* per rule-set role */
  gboolean *priced; /* per rule-set role: the list names it */
  guint n_roles;
  guint refs; /* scenario copies share one price list */
} LpPrices;

/**
 * lp_prices_load:
 * @path: a price-list file: a [price-list] group (currency, note) and
 *   [role ID] groups with hardware and/or licence prices, 0 or more
 * @rs: the rule set whose role ids the groups name
 * @error: LP_ERROR_IO, or LP_ERROR_INPUT naming file:line, group and key
 *
 * Returns: (transfer full) (nullable): the price list.
 */
LpPrices *lp_prices_load (const char *path, const LpRuleset *rs, GError **error);
/* Returns: @prices, with one more reference; lp_prices_free() drops one. */
LpPrices *lp_prices_ref (LpPrices *prices);
void lp_prices_free (LpPrices *prices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPrices, lp_prices_free)

/* Returns: hardware plus licence price of one server of @role (0 if unpriced). */
double lp_prices_unit (const LpPrices *prices, guint role);
