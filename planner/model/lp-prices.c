/* lp-prices.c: price-list files. */
#include "lp-prices.h"

#include <math.h>
#include <string.h>

#include "lp-error.h"
#include "lp-keyfile.h"
#include "lp-text.h"
#include "lp-units.h"

LpPrices *
lp_prices_ref (LpPrices *prices)
{
  g_atomic_int_inc (&prices->refs);
  return prices;
}

void
lp_prices_unref (LpPrices *prices)
{
  if (prices == NULL || !g_atomic_int_dec_and_test (&prices->refs))
    return;
  g_free (prices->filename);
  g_free (prices->currency);
  g_free (prices->note);
  g_free (prices->hardware);
  g_free (prices->licence);
  g_free (prices->priced);
  g_free (prices->licence_price);
  g_free (prices->licence_priced);
  g_free (prices);
}

double
lp_prices_licence (const LpPrices *prices, const LpTemplate *t, guint role)
{
  gint k = t->licences[role];

  if (k >= 0 && prices->licence_priced[k])
    return prices->licence_price[k];
  return prices->priced[role] ? prices->licence[role] : 0;
}

double
lp_prices_unit (const LpPrices *prices, const LpTemplate *t, guint role)
{
  return (prices->priced[role] ? prices->hardware[role] : 0) + lp_prices_licence (prices, t, role);
}

static gboolean
load_header (LpPrices *p, const LpKeyfile *kf, const LpKfGroup *g, GError **error)
{
  static const char *const keys[] = { "currency", "note", NULL };
  static const char *const req[] = { "currency", NULL };
  const LpKfEntry *currency;

  if (!lp_kf_group_check_keys (kf, g, keys, req, LP_ERROR_INPUT, error))
    return FALSE;
  currency = lp_kf_group_lookup (g, "currency");
  if (currency->value[0] == '\0')
    return lp_kf_set_error (error, LP_ERROR_INPUT, kf, currency->line, g->name, "currency",
                            "empty value: expected a currency such as USD or EUR");
  for (guint i = 0; i < g->entries->len; i++) {
    const LpKfEntry *e = g_ptr_array_index (g->entries, i);
    g_autofree char *where = g_strdup_printf ("%s:%u: [%s] %s:", kf->filename, e->line, g->name,
                                              e->key);
    /* both are shown in every priced output */
    if (!lp_text_check (e->value, where, error))
      return FALSE;
  }
  p->currency = g_strdup (currency->value);
  p->note = lp_kf_group_lookup (g, "note") ? g_strdup (lp_kf_group_lookup (g, "note")->value)
                                           : NULL;
  return TRUE;
}

static gboolean
price_value (const LpKeyfile *kf, const LpKfGroup *g, const char *key, double *out, GError **error)
{
  const LpKfEntry *e = lp_kf_group_lookup (g, key);

  if (e == NULL)
    return TRUE;
  /* a price at most LP_PRICE_MAX, on at most the engine's 100,000 servers and
   * appliances, keeps every total exact to the cent in a double (under 2^53 cents) */
  if (!lp_parse_number (e->value, out, NULL) || *out < 0 || *out > LP_PRICE_MAX)
    return lp_kf_set_error (error, LP_ERROR_INPUT, kf, e->line, g->name, key,
                            "expected a price from 0 to 100,000,000, such as 1200 or 99.50, "
                            "got '%s'",
                            e->value);
  return TRUE;
}

static gboolean
load_role (LpPrices *p, const LpRuleset *rs, const LpKeyfile *kf, const LpKfGroup *g,
           GError **error)
{
  static const char *const keys[] = { "hardware", "licence", NULL };
  g_autofree const char **ids = g_new0 (const char *, rs->roles->len + 1);
  g_autofree char *hint = NULL;
  const char *id = g->name + strlen ("role ");

  for (guint r = 0; r < rs->roles->len; r++) {
    ids[r] = ((LpRole *) g_ptr_array_index (rs->roles, r))->id;
    if (strcmp (ids[r], id) != 0)
      continue;
    p->priced[r] = TRUE;
    return lp_kf_group_check_keys (kf, g, keys, NULL, LP_ERROR_INPUT, error) &&
           price_value (kf, g, "hardware", &p->hardware[r], error) &&
           price_value (kf, g, "licence", &p->licence[r], error);
  }
  /* a role the product removed: the list may be its parent's */
  if (rs->removed != NULL && g_hash_table_contains (rs->removed, g->name))
    return lp_kf_group_check_keys (kf, g, keys, NULL, LP_ERROR_INPUT, error);
  hint = lp_error_did_you_mean (id, ids);
  return lp_kf_set_error (error, LP_ERROR_INPUT, kf, g->line, g->name, NULL,
                          "unknown role '%s'%s ('lyncplan rules' lists the roles)", id, hint);
}

static gboolean
load_licence (LpPrices *p, const LpRuleset *rs, const LpKeyfile *kf, const LpKfGroup *g,
              GError **error)
{
  static const char *const keys[] = { "price", NULL };
  g_autofree const char **ids = g_new0 (const char *, rs->licences->len + 1);
  g_autofree char *hint = NULL;
  const char *id = g->name + strlen ("licence ");

  for (guint k = 0; k < rs->licences->len; k++) {
    ids[k] = ((LpLicence *) g_ptr_array_index (rs->licences, k))->id;
    if (strcmp (ids[k], id) != 0)
      continue;
    p->licence_priced[k] = TRUE;
    return lp_kf_group_check_keys (kf, g, keys, keys, LP_ERROR_INPUT, error) &&
           price_value (kf, g, "price", &p->licence_price[k], error);
  }
  hint = lp_error_did_you_mean (id, ids);
  return lp_kf_set_error (error, LP_ERROR_INPUT, kf, g->line, g->name, NULL,
                          "unknown licence '%s'%s ('lyncplan rules' lists the licences)", id, hint);
}

/* [host]: a virtualisation host's hardware and licence prices. */
static gboolean
load_host (LpPrices *p, const LpKeyfile *kf, const LpKfGroup *g, GError **error)
{
  static const char *const keys[] = { "hardware", "licence", NULL };

  p->host_priced = TRUE; /* once: the key file refuses a second [host] */
  return lp_kf_group_check_keys (kf, g, keys, NULL, LP_ERROR_INPUT, error) &&
         price_value (kf, g, "hardware", &p->host_hardware, error) &&
         price_value (kf, g, "licence", &p->host_licence, error);
}

LpPrices *
lp_prices_load (const char *path, const LpRuleset *rs, GError **error)
{
  g_autoptr (LpKeyfile) kf = lp_keyfile_load (path, LP_ERROR_INPUT, error);
  g_autoptr (LpPrices) p = NULL;

  if (kf == NULL)
    return NULL;
  p = g_new0 (LpPrices, 1);
  p->refs = 1;
  p->filename = g_strdup (path);
  p->n_roles = rs->roles->len;
  p->hardware = g_new0 (double, p->n_roles);
  p->licence = g_new0 (double, p->n_roles);
  p->priced = g_new0 (gboolean, p->n_roles);
  p->n_licences = rs->licences->len;
  p->licence_price = g_new0 (double, p->n_licences);
  p->licence_priced = g_new0 (gboolean, p->n_licences);
  for (guint i = 0; i < kf->groups->len; i++) {
    const LpKfGroup *g = g_ptr_array_index (kf->groups, i);
    gboolean ok;
    if (strcmp (g->name, "price-list") == 0)
      ok = load_header (p, kf, g, error);
    else if (g_str_has_prefix (g->name, "role "))
      ok = load_role (p, rs, kf, g, error);
    else if (g_str_has_prefix (g->name, "licence "))
      ok = load_licence (p, rs, kf, g, error);
    else if (strcmp (g->name, "host") == 0)
      ok = load_host (p, kf, g, error);
    else
      ok = lp_kf_set_error (error, LP_ERROR_INPUT, kf, g->line, g->name, NULL,
                            "unknown group: expected [price-list], [role ID], [licence ID] or "
                            "[host]");
    if (!ok)
      return NULL;
  }
  if (p->currency == NULL) {
    lp_kf_set_error (error, LP_ERROR_INPUT, kf, 0, "price-list", NULL,
                     "missing group: it names the currency");
    return NULL;
  }
  return g_steal_pointer (&p);
}
