/* lp-report.c: the report every plan writer reads; see lp-report.h. */
#include "lp-report.h"

#include "lp-error.h"
#include "lp-output.h"
#include "lp-words.h"

LpReport *
lp_report_new (const LpPlan *plan, const char *naming, GError **error)
{
  g_autoptr (LpInventory) inv = lp_inventory_new (plan, naming, error);
  g_autoptr (LpHosts) hosts = NULL;
  LpReport *r;

  if (inv == NULL)
    return NULL;
  hosts = lp_hosts_new (plan, inv, error);
  if (hosts == NULL)
    return NULL;
  r = g_new0 (LpReport, 1);
  r->plan = plan;
  r->inventory = g_steal_pointer (&inv);
  r->hosts = g_steal_pointer (&hosts);
  r->resilience = lp_resilience_new (plan, r->inventory);
  r->certificates = lp_certificates_new (plan, r->inventory, r->resilience);
  r->created = LP_NO_DATE_EPOCH;
  r->title = plan->sc->title;
  r->product = plan->rs->product;
  r->company = plan->sc->company;
  r->customer = plan->sc->customer;
  r->paper = (LpPaper) MAX (lp_paper_from_string (plan->sc->paper), 0);
  r->unmet = lp_unmet_new (plan);
  return r;
}

/* The date in force: the scenario's, else SOURCE_DATE_EPOCH's, else today's
 * (the local calendar day, at midnight UTC like a --date). */
static gboolean
find_date (const LpScenario *sc, GDateTime **dt, GError **error)
{
  const char *env = g_getenv ("SOURCE_DATE_EPOCH");
  guint64 secs = 0;

  *dt = NULL;
  if (sc->date != NULL) {
    g_autofree char *iso = g_strconcat (sc->date, "T00:00:00Z", NULL);
    *dt = g_date_time_new_from_iso8601 (iso, NULL);
  } else if (env != NULL) {
    if (!g_ascii_string_to_unsigned (env, 10, 0, G_MAXINT64, &secs, NULL)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                   "SOURCE_DATE_EPOCH: expected seconds since 1970, got '%s'", env);
      return FALSE;
    }
    *dt = g_date_time_new_from_unix_utc ((gint64) secs);
  } else {
    g_autoptr (GDateTime) now = g_date_time_new_now_local ();
    *dt = g_date_time_new_utc (g_date_time_get_year (now), g_date_time_get_month (now),
                               g_date_time_get_day_of_month (now), 0, 0, 0);
  }
  return TRUE;
}

gboolean
lp_report_read_date (LpReport *r, GError **error)
{
  g_autoptr (GDateTime) dt = NULL;

  g_clear_pointer (&r->date, g_free);
  r->created = LP_NO_DATE_EPOCH;
  if (!find_date (r->plan->sc, &dt, error))
    return FALSE;
  if (dt == NULL)
    return TRUE;
  r->created = g_date_time_to_unix (dt);
  /* %Y would print year 1 as "1" */
  r->date = g_strdup_printf ("%04d-%02d-%02d", g_date_time_get_year (dt),
                             g_date_time_get_month (dt), g_date_time_get_day_of_month (dt));
  return TRUE;
}

guint64 *
lp_report_role_counts (const LpReport *r, guint *n_roles)
{
  guint roles = r->plan->rs->roles->len;
  guint64 *counts = g_new0 (guint64, (gsize) MAX (r->plan->sites->len, 1) * MAX (roles, 1));

  for (guint i = 0; i < r->inventory->servers->len; i++) {
    const LpServer *v = g_ptr_array_index (r->inventory->servers, i);
    counts[(gsize) v->site * roles + v->role]++;
  }
  *n_roles = roles;
  return counts;
}

const char *
lp_report_role_title (const LpReport *r, guint role)
{
  const LpRole *ro = g_ptr_array_index (r->plan->rs->roles, role);

  return ro->pool != NULL ? ro->pool : ro->name;
}

char *
lp_report_words (const LpReport *r, const char *text, GPtrArray *cited)
{
  return lp_words_customer (r->plan->rs, text, cited);
}

char *
lp_report_source_title (const LpReport *r, const char *id)
{
  return lp_words_source_title (r->plan->rs, id);
}

const char *
lp_report_source_text (const LpReport *r, const char *id)
{
  return g_hash_table_lookup (r->plan->rs->sources, id);
}

void
lp_report_free (LpReport *r)
{
  if (r == NULL)
    return;
  lp_certificates_free (r->certificates);
  lp_resilience_free (r->resilience);
  lp_hosts_free (r->hosts);
  lp_inventory_free (r->inventory);
  g_free (r->date);
  g_ptr_array_unref (r->unmet);
  g_free (r);
}
