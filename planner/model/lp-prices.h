/* lp-prices.h: a price list: a currency and, per role, a hardware and a
 * licence price, and per [licence ID] of the rule set the licence price that
 * replaces the role's in the designs that need it. With one, a plan's cost is
 * money rather than a count. */
#pragma once

#include <glib.h>

#include "lp-ruleset.h"

/* The highest price of one server's hardware, licence or a licence (README's
 * limits): with the plan's bound of 100,000 servers and appliances no total
 * passes 2 x 10^13, exact to the cent. */
#define LP_PRICE_MAX 100000000.0

typedef struct {
  char *filename;
  char *currency;
  char *note;       /* nullable: what the figures are, e.g. "example figures" */
  double *hardware; /* per rule-set role */
  double *licence;  /* per rule-set role */
  gboolean *priced; /* per rule-set role: the list names it */
  guint n_roles;
  double *licence_price;    /* per rule-set [licence]: its price, one server */
  gboolean *licence_priced; /* per rule-set [licence]: the list names it */
  guint n_licences;
  gboolean host_priced; /* the list has a [host] group */
  double host_hardware; /* one virtualisation host's hardware */
  double host_licence;  /* one host's licence (the hypervisor's) */
  gint refs;            /* scenario copies share one price list, in any thread: atomic */
} LpPrices;

/**
 * lp_prices_load:
 * @path: a price-list file: a [price-list] group (currency, note),
 *   [role ID] groups with hardware and/or licence prices, 0 or more,
 *   [licence ID] groups with a price, and at most one [host] group with a
 *   virtualisation host's hardware and/or licence price (the hosts a
 *   virtual site's servers run on: lp-hosts.h); a [role ID] the rule set removed
 *   (role persistent-chat under sfb2019) is ignored, so one list serves a
 *   product and the ones extending it
 * @rs: the rule set whose role and licence ids the groups name
 * @error: LP_ERROR_IO, or LP_ERROR_INPUT naming file:line, group and key
 *
 * Returns: (transfer full) (nullable): the price list.
 */
LpPrices *lp_prices_load (const char *path, const LpRuleset *rs, GError **error);
/* Returns: @prices, with one more reference (atomic: copies of a scenario in
 * several threads share one price list); lp_prices_unref() drops one. */
LpPrices *lp_prices_ref (LpPrices *prices);
/* Drops a reference to @prices (nullable), freeing it with the last. */
void lp_prices_unref (LpPrices *prices);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LpPrices, lp_prices_unref)

/**
 * lp_prices_licence:
 * @prices: a price list
 * @t: the design the server is in
 * @role: a rule-set role index
 *
 * Returns: the licence price of one server of @role in design @t: the price
 *   of the [licence] @t names for @role when the list prices it, else the
 *   role's own licence price (0 if unpriced).
 */
double lp_prices_licence (const LpPrices *prices, const LpTemplate *t, guint role);
/* Returns: hardware plus licence price (lp_prices_licence()) of one server of
 * @role in design @t (0 if neither is priced). */
double lp_prices_unit (const LpPrices *prices, const LpTemplate *t, guint role);
