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

/* A naming pattern, compiled once: text and placeholders in order. */
typedef enum { PART_TEXT, PART_ROLE, PART_NN, PART_N, PART_SITE } LpPartKind;

typedef struct {
  LpPartKind kind;
  const char *text; /* PART_TEXT: into the pattern */
  gsize len;
} LpPart;

typedef struct {
  const LpPlan *plan;
  const char *pattern;
  GArray *parts;             /* of LpPart: the pattern compiled */
  guint n_of[PART_SITE + 1]; /* parts of each kind; for PART_TEXT, their length */
  GError *bad_part; /* nullable: the pattern's unknown placeholder, reported at its first use */
  guint max_length;
  GHashTable *taken;      /* names (into @chunk) in use -> their site index + 1 */
  GStringChunk *chunk;    /* every token and name, once */
  GString *scratch;       /* the name being made */
  GPtrArray **pool_names; /* per plan site: names of its pools (into @chunk) */
  gboolean check_only;    /* name, refuse, but keep no server or pool */
  guint64 *counts;        /* scratch: site_counts() */
  LpInventory *inv;
  GError *too_long; /* nullable: the first name past max_length */
} LpNaming;

/* Compiles nm->pattern into nm->parts; an unknown placeholder ends it, its
 * error kept for the first name made, where it was always reported. */
static void
compile_pattern (LpNaming *nm)
{
  static const struct {
    const char *key;
    LpPartKind kind;
  } keys[] = { { "role", PART_ROLE }, { "nn", PART_NN }, { "n", PART_N }, { "site", PART_SITE } };

  nm->parts = g_array_new (FALSE, FALSE, sizeof (LpPart));
  for (const char *p = nm->pattern; *p != '\0';) {
    const char *close = *p == '{' ? strchr (p, '}') : NULL;
    LpPart part = { PART_TEXT, p, 0 };
    guint k = 0;

    if (*p != '{') {
      part.len = strcspn (p, "{");
      nm->n_of[PART_TEXT] += (guint) part.len;
      g_array_append_val (nm->parts, part);
      p += part.len;
      continue;
    }
    while (close != NULL && k < G_N_ELEMENTS (keys) &&
           (strlen (keys[k].key) != (gsize) (close - p - 1) ||
            strncmp (keys[k].key, p + 1, (gsize) (close - p - 1)) != 0))
      k++;
    if (close == NULL || k == G_N_ELEMENTS (keys)) {
      g_autofree char *key = close ? g_strndup (p + 1, (gsize) (close - p - 1)) : NULL;
      g_set_error (&nm->bad_part, LP_ERROR, LP_ERROR_USAGE,
                   "--naming '%s': unknown placeholder '%s': use {role}, {nn}, {n} and {site}",
                   nm->pattern, close ? key : p);
      return;
    }
    part.kind = keys[k].kind;
    nm->n_of[part.kind]++;
    g_array_append_val (nm->parts, part);
    p = close + 1;
  }
}

/* The decimal digits of @n, at least @width of them. */
static gsize
digits (guint n, gsize width)
{
  gsize d = 1;

  for (; n >= 10; n /= 10)
    d++;
  return MAX (d, width);
}

static void
append_number (GString *out, guint n, gsize width)
{
  char buf[16];
  gsize d = digits (n, width);

  for (gsize i = d; i > 0; i--, n /= 10)
    buf[i - 1] = (char) ('0' + n % 10);
  g_string_append_len (out, buf, (gssize) d);
}

/* The name of server @n of @role with {site} @token, into @out; FALSE with
 * the pattern's error when it has an unknown placeholder. */
static gboolean
expand (const LpNaming *nm, const char *role, guint n, const char *token, GString *out,
        GError **error)
{
  if (nm->bad_part != NULL) {
    g_propagate_error (error, g_error_copy (nm->bad_part));
    return FALSE;
  }
  g_string_truncate (out, 0);
  for (guint i = 0; i < nm->parts->len; i++) {
    const LpPart *part = &g_array_index (nm->parts, LpPart, i);
    switch (part->kind) {
    case PART_TEXT: g_string_append_len (out, part->text, (gssize) part->len); break;
    case PART_ROLE: g_string_append (out, role); break;
    case PART_NN: append_number (out, n, 2); break;
    case PART_N: append_number (out, n, 1); break;
    case PART_SITE: g_string_append (out, token); break;
    }
  }
  return TRUE;
}

/* The length of expand()'s name for @role and @n with an empty {site}
 * (from the compiled pattern's counts: token_budget() asks it for every
 * role of every site on each shell change). */
static gsize
fixed_length (const LpNaming *nm, const char *role, guint n)
{
  return nm->n_of[PART_TEXT] + (nm->n_of[PART_ROLE] > 0 ? nm->n_of[PART_ROLE] * strlen (role) : 0) +
         (nm->n_of[PART_NN] > 0 ? nm->n_of[PART_NN] * digits (n, 2) : 0) +
         (nm->n_of[PART_N] > 0 ? nm->n_of[PART_N] * digits (n, 1) : 0);
}

/* Makes the name of server @n of @role at site @i and takes it. Returns:
 * (transfer none) the name, kept in nm->chunk, or NULL. */
static const char *
make_name (LpNaming *nm, const char *role, guint n, guint i, GError **error)
{
  const char *site = g_array_index (nm->plan->sites, LpPlanSite, i).name;
  GString *name = nm->scratch;
  const char *kept;

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
  kept = g_string_chunk_insert_len (nm->chunk, name->str, (gssize) name->len);
  g_hash_table_insert (nm->taken, (gpointer) kept, GUINT_TO_POINTER (i + 1));
  return kept;
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
  guint sites = nm->n_of[PART_SITE];
  gsize fixed = 0;

  *budget = G_MAXSIZE;
  for (guint r = 0; !z->empty && r <= nm->plan->rs->roles->len; r++) {
    gboolean pools = r == nm->plan->rs->roles->len;
    guint64 n = pools ? (c->tmpl->pools.count != NULL ? z->pools : 0) : z->roles[r];
    if (n == 0)
      continue;
    if (nm->bad_part != NULL) {
      g_propagate_error (error, g_error_copy (nm->bad_part));
      return FALSE;
    }
    fixed = MAX (fixed,
                 fixed_length (nm, pools ? "pool" : role_at (nm->plan, r)->short_name, (guint) n));
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
    g_hash_table_add (nm->taken, g_string_chunk_insert (nm->chunk, ss->code));
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
  g_hash_table_add (used, g_string_chunk_insert (nm->chunk, token->str));
  g_ptr_array_add (nm->inv->site_tokens, g_string_free (g_steal_pointer (&token), FALSE));
  g_ptr_array_add (nm->inv->site_notes,
                   note->len ? g_string_free (g_steal_pointer (&note), FALSE) : NULL);
  return TRUE;
}

/* The names site @i takes: @counts[r] of role r, then @counts[n_roles] of
 * pools (one a pool when the template counts pools). */
static void
site_counts (const LpNaming *nm, guint i, guint64 *counts)
{
  const LpCandidate *c;
  const LpSiteSizing *z = lp_plan_site_sizing (nm->plan, i, &c);
  guint n_roles = nm->plan->rs->roles->len;

  for (guint r = 0; r < n_roles; r++)
    counts[r] = z->empty ? 0 : z->roles[r];
  counts[n_roles] = c->tmpl->pools.count != NULL ? z->pools : 0;
}

/* The {role} of site_counts()'s entry @r. */
static const char *
count_role (const LpNaming *nm, guint r)
{
  return r < nm->plan->rs->roles->len ? role_at (nm->plan, r)->short_name : "pool";
}

/* Names every server of site @i, in role order, and its pools; keeps the
 * servers unless nm->check_only. */
static gboolean
name_site (LpNaming *nm, guint i, GError **error)
{
  const LpCandidate *c;
  const LpPoolRule *pr;
  guint n_roles = nm->plan->rs->roles->len;

  lp_plan_site_sizing (nm->plan, i, &c);
  pr = &c->tmpl->pools;
  site_counts (nm, i, nm->counts);
  nm->pool_names[i] = g_ptr_array_new ();
  for (guint r = 0; r <= n_roles; r++) {
    for (guint j = 0; j < nm->counts[r]; j++) {
      const char *name = make_name (nm, count_role (nm, r), j + 1, i, error);
      LpServer *s;
      if (name == NULL)
        return FALSE;
      if (r == n_roles || (r == pr->role && pr->count == NULL))
        g_ptr_array_add (nm->pool_names[i], (gpointer) name);
      if (nm->check_only || r == n_roles)
        continue;
      s = g_new0 (LpServer, 1);
      s->site = i;
      s->role = r;
      s->name = g_strdup (name);
      g_ptr_array_add (nm->inv->servers, s);
    }
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

/* The longest name @plan's servers may have: computer-name-max as the
 * scenario sets it or the rule set has it; G_MAXUINT when neither does. */
static guint
max_length_of (const LpPlan *plan)
{
  const LpRuleVar *max = lp_ruleset_find_var (plan->rs, "computer-name-max");
  const LpSetting *set = lp_scenario_find_setting (plan->sc, "computer-name-max");

  return set ? (guint) set->value : max ? (guint) max->value : G_MAXUINT;
}

/* Sets up @nm to name @plan's servers with @pattern (LP_DEFAULT_NAMING
 * when NULL); FALSE on a pattern with a control character. */
static gboolean
naming_init (LpNaming *nm, const LpPlan *plan, const char *pattern, gboolean check_only,
             GError **error)
{
  LpInventory *inv;

  *nm = (LpNaming){ .plan = plan,
                    .pattern = pattern ? pattern : LP_DEFAULT_NAMING,
                    .check_only = check_only };
  if (!lp_text_check (nm->pattern, "--naming:", error))
    return FALSE;
  nm->inv = inv = g_new0 (LpInventory, 1);
  inv->servers = g_ptr_array_new_with_free_func (server_free);
  inv->pools = g_ptr_array_new_with_free_func (pool_free);
  inv->site_tokens = g_ptr_array_new_with_free_func (g_free);
  inv->site_notes = g_ptr_array_new_with_free_func (g_free);
  nm->max_length = max_length_of (plan);
  nm->taken = g_hash_table_new (g_str_hash, g_str_equal);
  nm->chunk = g_string_chunk_new (4096);
  nm->scratch = g_string_new (NULL);
  nm->pool_names = g_new0 (GPtrArray *, plan->sites->len);
  nm->counts = g_new0 (guint64, plan->rs->roles->len + 1);
  compile_pattern (nm);
  return TRUE;
}

/* Frees what naming_init() made but nm->inv, which the caller takes or frees. */
static void
naming_clear (LpNaming *nm, guint n_sites)
{
  g_clear_error (&nm->too_long);
  g_clear_error (&nm->bad_part);
  for (guint i = 0; nm->pool_names != NULL && i < n_sites; i++)
    if (nm->pool_names[i] != NULL)
      g_ptr_array_unref (nm->pool_names[i]);
  g_clear_pointer (&nm->pool_names, g_free);
  g_clear_pointer (&nm->taken, g_hash_table_unref);
  if (nm->chunk != NULL)
    g_string_chunk_free (nm->chunk);
  nm->chunk = NULL;
  if (nm->scratch != NULL)
    g_string_free (nm->scratch, TRUE);
  nm->scratch = NULL;
  g_clear_pointer (&nm->parts, g_array_unref);
  g_clear_pointer (&nm->counts, g_free);
}

/* Names every site's token, then every server and pool, as
 * lp_inventory_new() says; FALSE on its errors. */
static gboolean
naming_run (LpNaming *nm, GError **error)
{
  guint n = nm->plan->sites->len;
  gboolean ok = reserve_codes (nm, error);

  for (guint i = 0; ok && i < n; i++)
    ok = site_token (nm, i, nm->taken, error);
  g_hash_table_remove_all (nm->taken);
  for (guint i = 0; ok && i < n; i++)
    ok = name_site (nm, i, error);
  for (guint i = 0; ok && !nm->check_only && i < n; i++)
    add_pools (nm, i);
  if (ok && !nm->check_only)
    assign_pools (nm);
  if (ok && nm->too_long != NULL) {
    g_propagate_error (error, g_steal_pointer (&nm->too_long));
    ok = FALSE;
  }
  return ok;
}

/* lp_inventory_new(), or its checks alone when @check_only (an empty
 * inventory back). */
static LpInventory *
inventory_new (const LpPlan *plan, const char *pattern, gboolean check_only, GError **error)
{
  LpNaming nm;
  LpInventory *inv;

  if (!naming_init (&nm, plan, pattern, check_only, error))
    return NULL;
  inv = nm.inv;
  if (!naming_run (&nm, error))
    g_clear_pointer (&inv, lp_inventory_free);
  naming_clear (&nm, plan->sites->len);
  return inv;
}

LpInventory *
lp_inventory_new (const LpPlan *plan, const char *pattern, GError **error)
{
  return inventory_new (plan, pattern, FALSE, error);
}

gboolean
lp_inventory_check (const LpPlan *plan, const char *pattern, GError **error)
{
  g_autoptr (LpInventory) inv = inventory_new (plan, pattern, TRUE, error);

  return inv != NULL;
}

/* ---- the check a session repeats ---- */

/* What names a plan site, as the last plan that passed had it. */
typedef struct {
  const char *name;          /* the plan site's (into the check's chunk) */
  const char *scenario_name; /* nullable: its scenario site's */
  const char *code;          /* nullable: its scenario site's code */
  gboolean warm;
  gint host, scenario;
  gsize budget;    /* token_budget() */
  guint64 *counts; /* site_counts() */
} LpNamedSite;

struct _LpNameCheck {
  const LpRuleset *rs; /* of the last plan that passed */
  LpNaming nm;   /* of the last plan that passed (nm.plan may be gone); nm.inv holds its tokens */
  GArray *sites; /* of LpNamedSite; NULL before a plan passed */
  GStringChunk *keys; /* the sites' texts */
  guint stale;        /* names made and no longer taken */
};

LpNameCheck *
lp_name_check_new (void)
{
  return g_new0 (LpNameCheck, 1);
}

static void
forget (LpNameCheck *nc)
{
  if (nc->sites == NULL)
    return;
  for (guint i = 0; i < nc->sites->len; i++)
    g_free (g_array_index (nc->sites, LpNamedSite, i).counts);
  naming_clear (&nc->nm, nc->sites->len);
  g_clear_pointer (&nc->nm.inv, lp_inventory_free);
  g_clear_pointer (&nc->sites, g_array_unref);
  g_string_chunk_free (nc->keys);
  nc->keys = NULL;
  nc->stale = 0;
}

void
lp_name_check_free (LpNameCheck *nc)
{
  if (nc == NULL)
    return;
  forget (nc);
  g_free (nc);
}

/* The scenario site of plan site @i, or NULL. */
static const LpSite *
scenario_site (const LpPlan *plan, guint i)
{
  const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);

  return ps->scenario >= 0 && (guint) ps->scenario < plan->sc->sites->len
           ? g_ptr_array_index (plan->sc->sites, ps->scenario)
           : NULL;
}

/* Whether plan site @i gives its token what @k recorded: the inputs of
 * coded_site(), added_site_token() and site_token(). */
static gboolean
same_site (const LpNamedSite *k, const LpPlan *plan, guint i)
{
  const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
  const LpSite *ss = scenario_site (plan, i);

  return k->warm == ps->warm && k->host == ps->host && k->scenario == ps->scenario &&
         strcmp (k->name, ps->name) == 0 &&
         g_strcmp0 (k->scenario_name, ss != NULL ? ss->name : NULL) == 0 &&
         g_strcmp0 (k->code, ss != NULL ? ss->code : NULL) == 0;
}

/* Names @plan in full; on success it becomes the plan @nc compares with. */
static gboolean
check_in_full (LpNameCheck *nc, const LpPlan *plan, GError **error)
{
  LpNaming nm;
  guint n_counts = plan->rs->roles->len + 1;

  if (!naming_init (&nm, plan, NULL, TRUE, error))
    return FALSE;
  if (!naming_run (&nm, error)) {
    naming_clear (&nm, plan->sites->len);
    lp_inventory_free (nm.inv);
    return FALSE;
  }
  forget (nc);
  nc->rs = plan->rs;
  nc->nm = nm;
  nc->keys = g_string_chunk_new (4096);
  nc->sites = g_array_sized_new (FALSE, TRUE, sizeof (LpNamedSite), plan->sites->len);
  for (guint i = 0; i < plan->sites->len; i++) {
    const LpPlanSite *ps = &g_array_index (plan->sites, LpPlanSite, i);
    const LpSite *ss = scenario_site (plan, i);
    LpNamedSite k = { .name = g_string_chunk_insert (nc->keys, ps->name),
                      .scenario_name = ss ? g_string_chunk_insert (nc->keys, ss->name) : NULL,
                      .code = ss && ss->code ? g_string_chunk_insert (nc->keys, ss->code) : NULL,
                      .warm = ps->warm,
                      .host = ps->host,
                      .scenario = ps->scenario,
                      .counts = g_new (guint64, n_counts) };
    token_budget (&nc->nm, i, &k.budget, NULL);
    site_counts (&nc->nm, i, k.counts);
    g_array_append_val (nc->sites, k);
  }
  return TRUE;
}

/* Names site @i's servers by @counts with its token, into nm->scratch one
 * at a time: @each gets each name; FALSE when it says stop. */
static gboolean
each_name (LpNaming *nm, guint i, const guint64 *counts,
           gboolean (*each) (LpNaming *nm, guint i, gpointer data), gpointer data)
{
  const char *token = g_ptr_array_index (nm->inv->site_tokens, i);

  for (guint r = 0; r <= nm->plan->rs->roles->len; r++) {
    for (guint j = 0; j < counts[r]; j++) {
      expand (nm, count_role (nm, r), j + 1, token, nm->scratch, NULL);
      if (!each (nm, i, data))
        return FALSE;
    }
  }
  return TRUE;
}

typedef struct {
  const guint8 *changed; /* per site: its counts changed */
  GHashTable *fresh;     /* the changed sites' new names, owned */
} LpNewNames;

/* each_name(): a new name fits, is another's only where that other changed
 * too, and is made once. */
static gboolean
new_name_fits (LpNaming *nm, guint i, gpointer data)
{
  LpNewNames *nn = data;
  guint owner = GPOINTER_TO_UINT (g_hash_table_lookup (nm->taken, nm->scratch->str));

  (void) i;
  return nm->scratch->len <= nm->max_length && (owner == 0 || nn->changed[owner - 1]) &&
         g_hash_table_add (nn->fresh, g_strdup (nm->scratch->str));
}

static gboolean
drop_name (LpNaming *nm, guint i, gpointer data)
{
  guint *stale = data;

  (void) i;
  *stale += g_hash_table_remove (nm->taken, nm->scratch->str) ? 1 : 0;
  return TRUE;
}

static gboolean
take_name (LpNaming *nm, guint i, gpointer data)
{
  (void) data;
  g_hash_table_insert (nm->taken, g_string_chunk_insert (nm->chunk, nm->scratch->str),
                       GUINT_TO_POINTER (i + 1));
  return TRUE;
}

/* TRUE when @plan differs from the last plan that passed only in some sites'
 * counts, and their new names fit and are free: then @plan passes and is
 * the one to compare with. FALSE: name it in full. */
static gboolean
check_changed (LpNameCheck *nc, const LpPlan *plan)
{
  LpNaming *nm = &nc->nm;
  guint n = plan->sites->len;
  guint n_counts = plan->rs->roles->len + 1;
  g_autofree guint8 *changed = NULL;
  g_autofree guint64 *counts = NULL;
  g_autoptr (GHashTable) fresh = NULL;
  LpNewNames nn;
  gboolean ok = TRUE;

  if (nc->sites == NULL || nc->sites->len != n || nc->rs != plan->rs ||
      nm->max_length != max_length_of (plan) || nc->stale > g_hash_table_size (nm->taken))
    return FALSE;
  nm->plan = plan;
  changed = g_new0 (guint8, n);
  counts = g_new (guint64, (gsize) n * n_counts);
  for (guint i = 0; ok && i < n; i++) {
    const LpNamedSite *k = &g_array_index (nc->sites, LpNamedSite, i);
    gsize budget;
    ok = same_site (k, plan, i) && token_budget (nm, i, &budget, NULL) && budget == k->budget;
    site_counts (nm, i, counts + (gsize) i * n_counts);
    changed[i] = memcmp (counts + (gsize) i * n_counts, k->counts, n_counts * sizeof *counts) != 0;
  }
  fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  nn = (LpNewNames){ changed, fresh };
  for (guint i = 0; ok && i < n; i++)
    ok = !changed[i] || each_name (nm, i, counts + (gsize) i * n_counts, new_name_fits, &nn);
  if (!ok)
    return FALSE;
  for (guint i = 0; i < n; i++) {
    LpNamedSite *k = &g_array_index (nc->sites, LpNamedSite, i);
    if (!changed[i])
      continue;
    each_name (nm, i, k->counts, drop_name, &nc->stale);
    memcpy (k->counts, counts + (gsize) i * n_counts, n_counts * sizeof *counts);
  }
  for (guint i = 0; i < n; i++)
    if (changed[i])
      each_name (nm, i, counts + (gsize) i * n_counts, take_name, NULL);
  return TRUE;
}

gboolean
lp_name_check_plan (LpNameCheck *nc, const LpPlan *plan, GError **error)
{
  return check_changed (nc, plan) || check_in_full (nc, plan, error);
}
