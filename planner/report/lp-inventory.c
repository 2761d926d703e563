/* lp-inventory.c: named servers and pools; see lp-inventory.h. */
#include "lp-inventory.h"

#include <string.h>

#include "lp-error.h"
#include "lp-text.h"

static void
server_free (gpointer p)
{
  LpServer *s = p;
  g_free (s->name);
  g_free (s->pool);
  g_free (s->partner);
  g_free (s);
}

static void
pool_free (gpointer p)
{
  LpPool *pool = p;
  g_free (pool->name);
  g_free (pool->backup);
  g_free (pool);
}

void
lp_inventory_free (LpInventory *inv)
{
  if (inv == NULL)
    return;
  g_ptr_array_unref (inv->servers);
  g_ptr_array_unref (inv->pools);
  g_ptr_array_unref (inv->site_tokens);
  g_ptr_array_unref (inv->site_notes);
  g_free (inv);
}

const char *
lp_pool_mode_to_string (LpPoolMode mode)
{
  static const char *const names[] = { "not paired", "same-site pair", "cross-site pair" };

  g_return_val_if_fail ((guint) mode < G_N_ELEMENTS (names), NULL);
  return names[mode];
}

/* Latin letters that Unicode does not decompose into an ASCII letter and a
 * mark, and ligatures: one spelling each, whatever the locale. */
static const struct {
  gunichar c;
  const char *ascii;
} latin_extra[] = {
  { 0x00C6, "ae" }, { 0x00E6, "ae" }, { 0x00D0, "d" },  { 0x00F0, "d" },  { 0x00D8, "o" },
  { 0x00F8, "o" },  { 0x00DE, "th" }, { 0x00FE, "th" }, { 0x00DF, "ss" }, { 0x0110, "d" },
  { 0x0111, "d" },  { 0x0126, "h" },  { 0x0127, "h" },  { 0x0131, "i" },  { 0x0141, "l" },
  { 0x0142, "l" },  { 0x014A, "ng" }, { 0x014B, "ng" }, { 0x0152, "oe" }, { 0x0153, "oe" },
  { 0x0166, "t" },  { 0x0167, "t" },  { 0x1E9E, "ss" },
};

/* Appends @c's Latin form in lower case; FALSE when it has none (another
 * script, or a symbol that is no separator). */
static gboolean
append_latin (GString *s, gunichar c)
{
  gunichar d[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  for (guint i = 0; i < G_N_ELEMENTS (latin_extra); i++) {
    if (latin_extra[i].c == c) {
      g_string_append (s, latin_extra[i].ascii);
      return TRUE;
    }
  }
  if (g_unichar_get_script (c) != G_UNICODE_SCRIPT_LATIN ||
      g_unichar_fully_decompose (c, FALSE, d, G_N_ELEMENTS (d)) == 0 || d[0] >= 0x80 ||
      !g_ascii_isalpha ((char) d[0]))
    return FALSE;
  g_string_append_c (s, g_ascii_tolower ((char) d[0]));
  return TRUE;
}

char *
lp_site_token (const char *site)
{
  GString *s = g_string_new (NULL);

  for (const char *p = site; *p != '\0'; p = g_utf8_next_char (p)) {
    gunichar c = g_utf8_get_char (p);
    if (c < 0x80 && g_ascii_isalnum ((char) c))
      g_string_append_c (s, g_ascii_tolower ((char) c));
    else if (c >= 0x80 && g_unichar_isalnum (c)) {
      if (!append_latin (s, c)) {
        g_string_free (s, TRUE);
        return NULL;
      }
    } else if (s->len > 0 && s->str[s->len - 1] != '-')
      g_string_append_c (s, '-');
  }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "site");
  return g_string_free (s, FALSE);
}

/* Cuts @token to @budget characters: one character at a time off the end of
 * its longest word (the first of equals), keeping every word's first letter,
 * then the hyphens, then the end. "rotterdam-dr", 10 -> "rotterd-dr". */
static void
shorten_token (GString *token, gsize budget)
{
  while (token->len > budget) {
    g_auto (GStrv) words = g_strsplit (token->str, "-", -1);
    guint longest = 0;
    for (guint i = 1; words[i] != NULL; i++)
      longest = strlen (words[i]) > strlen (words[longest]) ? i : longest;
    if (strlen (words[longest]) > 1) {
      words[longest][strlen (words[longest]) - 1] = '\0';
      g_string_assign (token, "");
      for (guint i = 0; words[i] != NULL; i++)
        g_string_append_printf (token, "%s%s", i ? "-" : "", words[i]);
    } else if (strchr (token->str, '-') != NULL) {
      g_autofree char *joined = g_strjoinv ("", words);
      g_string_assign (token, joined);
    } else {
      g_string_truncate (token, budget);
    }
  }
}

typedef struct {
  const LpPlan *plan;
  const char *pattern;
  guint max_length;
  GHashTable *taken;      /* name -> site name */
  GPtrArray **pool_names; /* per plan site: names of its pools */
  LpInventory *inv;
  GError *too_long; /* nullable: the first name past max_length */
} LpNaming;

static gboolean
expand (const LpNaming *nm, const char *role, guint n, const char *token, GString *out,
        GError **error)
{
  g_string_truncate (out, 0);
  for (const char *p = nm->pattern; *p != '\0'; p++) {
    const char *close = *p == '{' ? strchr (p, '}') : NULL;
    g_autofree char *key = close ? g_strndup (p + 1, (gsize) (close - p - 1)) : NULL;

    if (*p != '{') {
      g_string_append_c (out, *p);
      continue;
    }
    if (key != NULL && strcmp (key, "role") == 0)
      g_string_append (out, role);
    else if (key != NULL && strcmp (key, "nn") == 0)
      g_string_append_printf (out, "%02u", n);
    else if (key != NULL && strcmp (key, "n") == 0)
      g_string_append_printf (out, "%u", n);
    else if (key != NULL && strcmp (key, "site") == 0)
      g_string_append (out, token);
    else {
      g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                   "--naming '%s': unknown placeholder '%s': use {role}, {nn}, {n} and {site}",
                   nm->pattern, close ? key : p);
      return FALSE;
    }
    p = close;
  }
  return TRUE;
}

static char *
make_name (LpNaming *nm, const char *role, guint n, guint i, GError **error)
{
  const char *site = g_array_index (nm->plan->sites, LpPlanSite, i).name;
  g_autoptr (GString) name = g_string_new (NULL);

  if (!expand (nm, role, n, g_ptr_array_index (nm->inv->site_tokens, i), name, error))
    return NULL;
  if (name->len == 0) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--naming '%s' gives an empty server name: use {role}, {nn}, {n} and {site}, "
                 "as in the default %s",
                 nm->pattern, LP_DEFAULT_NAMING);
    return NULL;
  }
  /* reported once every name is made: any other error comes first */
  if (name->len > nm->max_length && nm->too_long == NULL) {
    g_set_error (&nm->too_long, LP_ERROR, LP_ERROR_USAGE,
                 "--naming '%s': the server name '%s' (site %s) has %u characters; Windows "
                 "computer names take at most %u (computer-name-max): shorten the pattern",
                 nm->pattern, name->str, site, (guint) name->len, nm->max_length);
  }
  if (g_hash_table_contains (nm->taken, name->str)) {
    g_set_error (error, LP_ERROR, LP_ERROR_USAGE,
                 "--naming '%s' gives two servers the name '%s': include {nn} and {site}",
                 nm->pattern, name->str);
    return NULL;
  }
  g_hash_table_add (nm->taken, g_strdup (name->str));
  return g_string_free (g_steal_pointer (&name), FALSE);
}

static const LpRole *
role_at (const LpPlan *plan, guint r)
{
  return g_ptr_array_index (plan->rs->roles, r);
}

/* The characters {site} may take in the names of site @i: what the longest
 * of them leaves of max_length, shared by each {site} of the pattern;
 * G_MAXSIZE when the pattern has none or the site has no servers. */
static gboolean
token_budget (const LpNaming *nm, guint i, gsize *budget, GError **error)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);
  g_autoptr (GString) name = g_string_new (NULL);
  guint sites = 0;
  gsize fixed = 0;

  for (const char *p = strstr (nm->pattern, "{site}"); p != NULL; p = strstr (p + 1, "{site}"))
    sites++;
  *budget = G_MAXSIZE;
  for (guint r = 0; !z->empty && r <= nm->plan->rs->roles->len; r++) {
    gboolean pools = r == nm->plan->rs->roles->len;
    guint64 n = pools ? (c->tmpl->pools.count != NULL ? z->pools : 0) : z->roles[r];
    if (n == 0)
      continue;
    if (!expand (nm, pools ? "pool" : role_at (nm->plan, r)->short_name, (guint) n, "", name,
                 error))
      return FALSE;
    fixed = MAX (fixed, name->len);
  }
  if (sites > 0 && fixed > 0 && nm->max_length != G_MAXUINT)
    *budget = nm->max_length > fixed ? (nm->max_length - fixed) / sites : 0;
  return TRUE;
}

/* The scenario site whose code names plan site @i, or NULL: a site of the
 * scenario itself (not a warm standby site or a backup pool the planner
 * added) with a code. */
static const LpSite *
coded_site (const LpPlan *plan, guint i)
{
  const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
  const LpSite *ss;

  if (ps->warm || ps->host >= 0 || ps->scenario < 0 || (guint) ps->scenario >= plan->sc->sites->len)
    return NULL;
  ss = g_ptr_array_index (plan->sc->sites, ps->scenario);
  return ss->code != NULL ? ss : NULL;
}

/* Site @i's code as its token: never shortened or numbered, so one too long
 * for computer-name-max is refused. */
static gboolean
code_token (LpNaming *nm, guint i, const LpSite *ss, GError **error)
{
  gsize budget;

  if (!token_budget (nm, i, &budget, error))
    return FALSE;
  if (strlen (ss->code) > budget) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
                 "%s '%s' makes server names longer than computer-name-max (%u "
                 "characters): at most %" G_GSIZE_FORMAT " characters here",
                 ss->code_where, ss->code, nm->max_length, budget);
    return FALSE;
  }
  g_ptr_array_add (nm->inv->site_tokens, g_strdup (ss->code));
  g_ptr_array_add (nm->inv->site_notes, NULL);
  return TRUE;
}

/* The codes, each once among the sites, reserved before any site's token
 * is made, so a site without one is numbered around them. */
static gboolean
reserve_codes (LpNaming *nm, GError **error)
{
  for (guint i = 0; i < nm->plan->sites->len; i++) {
    const LpSite *ss = coded_site (nm->plan, i);
    if (ss == NULL)
      continue;
    if (g_hash_table_contains (nm->taken, ss->code)) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "%s another site has the code '%s'",
                   ss->code_where, ss->code);
      return FALSE;
    }
    g_hash_table_add (nm->taken, g_strdup (ss->code));
  }
  return TRUE;
}

/* Site @i's part of every name: its token (lp_site_token(), "site" and its
 * number for a name with no Latin form), shortened to its budget and, if an
 * earlier site has it, numbered; how, in inv->site_notes. */
/* A site the planner added for a scenario site with a code ("HQ-DR" for
 * HQ, code nyc): the code and the rest of its name's token ("nyc-dr"). */
static char *
added_site_token (const LpPlan *plan, guint i)
{
  const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
  const LpSite *ss;
  g_autofree char *rest = NULL;

  if ((!ps->warm && ps->host < 0) || ps->scenario < 0 ||
      (guint) ps->scenario >= plan->sc->sites->len)
    return NULL;
  ss = g_ptr_array_index (plan->sc->sites, ps->scenario);
  if (ss->code == NULL || !g_str_has_prefix (ps->name, ss->name))
    return NULL;
  rest = lp_site_token (ps->name + strlen (ss->name));
  return rest != NULL ? g_strconcat (ss->code, "-", rest, NULL) : NULL;
}

static gboolean
site_token (LpNaming *nm, guint i, GHashTable *used, GError **error)
{
  const char *site = g_array_index (nm->plan->sites, LpPlanSite, i).name;
  g_autofree char *added = added_site_token (nm->plan, i);
  g_autofree char *plain = added != NULL ? g_steal_pointer (&added) : lp_site_token (site);
  g_autoptr (GString) token = NULL;
  g_autoptr (GString) note = g_string_new (NULL);
  const LpSite *coded = coded_site (nm->plan, i);
  gsize budget;

  if (coded != NULL)
    return code_token (nm, i, coded, error);
  if (!token_budget (nm, i, &budget, error))
    return FALSE;
  if (plain == NULL) {
    plain = g_strdup_printf ("site%u", i + 1);
    g_string_append_printf (note, "no Latin form: named by its number, %s", plain);
  }
  token = g_string_new (plain);
  if (token->len > budget && budget > 0) {
    g_string_append_printf (note, "%sshortened from %s to fit computer-name-max (%u characters)",
                            note->len ? "; " : "", token->str, nm->max_length);
    shorten_token (token, budget);
  }
  for (guint n = 2; g_hash_table_contains (used, token->str); n++) {
    g_autofree char *digits = g_strdup_printf ("%u", n);
    gsize room = MIN (budget, strlen (plain) + strlen (digits));
    g_string_assign (token, plain);
    if (room > strlen (digits))
      shorten_token (token, room - strlen (digits));
    g_string_append (token, digits);
    if (!g_hash_table_contains (used, token->str))
      g_string_append_printf (note, "%snumbered: another site has the same name part",
                              note->len ? "; " : "");
  }
  g_hash_table_add (used, g_strdup (token->str));
  g_ptr_array_add (nm->inv->site_tokens, g_string_free (g_steal_pointer (&token), FALSE));
  g_ptr_array_add (nm->inv->site_notes,
                   note->len ? g_string_free (g_steal_pointer (&note), FALSE) : NULL);
  return TRUE;
}

/* Names every server of site @i, in role order, and its pools. */
static gboolean
name_site (LpNaming *nm, guint i, GError **error)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);
  const LpPoolRule *pr = &c->tmpl->pools;

  nm->pool_names[i] = g_ptr_array_new_with_free_func (g_free);
  for (guint r = 0; !z->empty && r < nm->plan->rs->roles->len; r++) {
    for (guint j = 0; j < z->roles[r]; j++) {
      LpServer *s = g_new0 (LpServer, 1);
      s->site = i;
      s->role = r;
      g_ptr_array_add (nm->inv->servers, s);
      s->name = make_name (nm, role_at (nm->plan, r)->short_name, j + 1, i, error);
      if (s->name == NULL)
        return FALSE;
      if (r == pr->role && pr->count == NULL)
        g_ptr_array_add (nm->pool_names[i], g_strdup (s->name));
    }
  }
  for (guint k = 0; pr->count != NULL && k < z->pools; k++) {
    char *name = make_name (nm, "pool", k + 1, i, error);
    if (name == NULL)
      return FALSE;
    g_ptr_array_add (nm->pool_names[i], name);
  }
  return TRUE;
}

/* The pool that takes over pool @k of site @i, or NULL. */
static const char *
backup_of (const LpNaming *nm, guint i, guint k, LpPoolMode *mode)
{
  const LpPlanSite *site = &g_array_index (nm->plan->sites, LpPlanSite, i);
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);
  const GPtrArray *own = nm->pool_names[i];

  *mode = LP_POOL_NOT_PAIRED;
  if (z->same_site_pairs) {
    guint other = k % 2 == 0 ? k + 1 : k - 1;
    *mode = LP_POOL_SAME_SITE_PAIR;
    return other < own->len ? g_ptr_array_index (own, other) : NULL;
  }
  if (z->paired && site->partner >= 0) {
    const GPtrArray *theirs = nm->pool_names[site->partner];
    *mode = LP_POOL_CROSS_SITE_PAIR;
    return k < theirs->len ? g_ptr_array_index (theirs, k) : NULL;
  }
  return NULL;
}

static void
add_pools (LpNaming *nm, guint i)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);

  for (guint k = 0; k < nm->pool_names[i]->len; k++) {
    LpPool *p = g_new0 (LpPool, 1);
    const char *backup = backup_of (nm, i, k, &p->mode);
    p->name = g_strdup (g_ptr_array_index (nm->pool_names[i], k));
    p->site = i;
    p->edition = c->tmpl->edition;
    p->role = c->tmpl->pools.role;
    p->servers = z->roles[p->role] / MAX (z->pools, 1);
    p->users = z->pool_users;
    p->capacity = z->pool_capacity;
    p->backup = g_strdup (backup);
    g_ptr_array_add (nm->inv->pools, p);
  }
}

/* Puts servers of the pool role and of per-pool roles into pools, evenly,
 * and names the pool or server that takes over their users. */
static void
assign_pools (LpNaming *nm)
{
  guint n_roles = nm->plan->rs->roles->len;
  g_autofree guint *seen = g_new0 (guint, n_roles); /* servers of each role met at this site */
  guint site = G_MAXUINT;

  for (guint i = 0; i < nm->inv->servers->len; i++) {
    LpServer *s = g_ptr_array_index (nm->inv->servers, i);
    const LpCandidate *c;
    const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, s->site, &c);
    const GPtrArray *pools = nm->pool_names[s->site];
    gboolean pooled = s->role == c->tmpl->pools.role || role_at (nm->plan, s->role)->per_pool;
    guint k;
    LpPoolMode mode;

    if (s->site != site) {
      memset (seen, 0, n_roles * sizeof (guint));
      site = s->site;
    }
    k = (guint) ((guint64) seen[s->role]++ * pools->len / MAX (z->roles[s->role], 1));
    if (!pooled || pools->len == 0)
      continue;
    s->pool = g_strdup (g_ptr_array_index (pools, k));
    if (s->role == c->tmpl->pools.role)
      s->partner = g_strdup (backup_of (nm, s->site, k, &mode));
  }
}

LpInventory *
lp_inventory_new (const LpPlan *plan, const char *pattern, GError **error)
{
  const LpRuleVar *max = lp_ruleset_find_var (plan->rs, "computer-name-max");
  const LpSetting *set = lp_scenario_find_setting (plan->sc, "computer-name-max");
  guint n = plan->sites->len;
  LpNaming nm = { .plan = plan, .pattern = pattern ? pattern : LP_DEFAULT_NAMING };
  LpInventory *inv = g_new0 (LpInventory, 1);
  gboolean ok = TRUE;

  if (!lp_text_check (nm.pattern, "--naming:", error)) {
    g_free (inv);
    return NULL;
  }
  inv->servers = g_ptr_array_new_with_free_func (server_free);
  inv->pools = g_ptr_array_new_with_free_func (pool_free);
  inv->site_tokens = g_ptr_array_new_with_free_func (g_free);
  inv->site_notes = g_ptr_array_new_with_free_func (g_free);
  nm.inv = inv;
  nm.max_length = set ? (guint) set->value : max ? (guint) max->value : G_MAXUINT;
  nm.taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  nm.pool_names = g_new0 (GPtrArray *, n);
  ok = reserve_codes (&nm, error);
  for (guint i = 0; ok && i < n; i++)
    ok = site_token (&nm, i, nm.taken, error);
  g_hash_table_remove_all (nm.taken);
  for (guint i = 0; ok && i < n; i++)
    ok = name_site (&nm, i, error);
  for (guint i = 0; ok && i < n; i++)
    add_pools (&nm, i);
  if (ok)
    assign_pools (&nm);
  if (ok && nm.too_long != NULL) {
    g_propagate_error (error, g_steal_pointer (&nm.too_long));
    ok = FALSE;
  }
  g_clear_error (&nm.too_long);
  for (guint i = 0; i < n; i++)
    if (nm.pool_names[i] != NULL)
      g_ptr_array_unref (nm.pool_names[i]);
  g_free (nm.pool_names);
  g_hash_table_unref (nm.taken);
  if (!ok)
    g_clear_pointer (&inv, lp_inventory_free);
  return inv;
}
