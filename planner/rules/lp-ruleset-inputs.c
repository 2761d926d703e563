/* lp-ruleset-inputs.c: the input vocabulary: values by type, inputs parsed and formatted. */
#include "lp-ruleset-load.h"

#include <math.h>
#include <string.h>

#include "lp-error.h"
#include "lp-units.h"
#include "lp-keyfile.h"

/* ---- values ---- */

LpValueType
lp_value_type_of (const char *text)
{
  gboolean b;
  gsize len = strlen (text);

  if (lp_parse_bool (text, &b, NULL) && !g_ascii_isdigit (text[0]))
    return LP_VALUE_BOOL;
  if (len > 0 && text[len - 1] == '%')
    return LP_VALUE_PERCENT;
  if (len > 0 && g_ascii_isalpha (text[len - 1]))
    return LP_VALUE_DURATION;
  return LP_VALUE_NUMBER;
}

gboolean
lp_ruleset_parse_value (LpValueType type, const char *text, double *value, GError **error)
{
  gboolean b = FALSE;

  switch (type) {
  case LP_VALUE_DURATION: return lp_parse_duration (text, value, error);
  case LP_VALUE_PERCENT: return lp_parse_percent (text, value, error);
  case LP_VALUE_NUMBER: return lp_parse_number (text, value, error);
  case LP_VALUE_BOOL:
    if (!lp_parse_bool (text, &b, error))
      return FALSE;
    *value = b ? 1 : 0;
    return TRUE;
  case LP_VALUE_CHOICE: /* an input's: lp_input_parse() knows its words */
    return lp_parse_number (text, value, error);
  }
  g_assert_not_reached ();
}

gboolean
lp_ruleset_parse_var (const LpRuleVar *v, const char *text, double *value, GError **error)
{
  if (!lp_ruleset_parse_value (v->type, text, value, error))
    return FALSE;
  if (!v->has_range || (*value >= v->min && *value <= v->max))
    return TRUE;
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "expected a value from %s to %s (its range in the rule set), got '%s'", v->min_text,
               v->max_text, text);
  return FALSE;
}

void
lp_ruleset_append_value (GString *s, LpValueType type, double value)
{
  switch (type) {
  case LP_VALUE_DURATION: lp_append_duration (s, value); return;
  case LP_VALUE_BOOL: g_string_append (s, value != 0 ? "true" : "false"); return;
  case LP_VALUE_PERCENT:
    lp_append_decimal (s, value, 6);
    g_string_append_c (s, '%');
    return;
  case LP_VALUE_NUMBER:
  case LP_VALUE_CHOICE: lp_append_decimal (s, value, 6); return;
  }
  g_assert_not_reached ();
}

char *
lp_ruleset_format_value (LpValueType type, double value)
{
  GString *s = g_string_new (NULL);
  lp_ruleset_append_value (s, type, value);
  return g_string_free (s, FALSE);
}

const LpRuleVar *
lp_ruleset_find_var (const LpRuleset *rs, const char *name)
{
  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    if (strcmp (v->name, name) == 0)
      return v;
  }
  return NULL;
}

const LpInput *
lp_ruleset_find_input (const LpRuleset *rs, const char *key)
{
  for (guint i = 0; i < rs->inputs->len; i++) {
    const LpInput *in = g_ptr_array_index (rs->inputs, i);
    if (strcmp (in->key, key) == 0)
      return in;
  }
  return NULL;
}

/* "auto, standard or enterprise" */
static char *
choice_list (const LpInput *in)
{
  GString *s = g_string_new (NULL);
  guint n = g_strv_length (in->choices);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ", in->choices[i]);
  return g_string_free (s, FALSE);
}

static gboolean parse_choice (const LpInput *in, const char *text, double *value, GError **error);

/* A list choice's words, "a, b", as the sum of 2^i over their indexes. */
static gboolean
parse_choice_list (const LpInput *in, const char *text, double *value, GError **error)
{
  g_auto (GStrv) words = g_strsplit (text, ",", -1);
  guint32 bits = 0;
  LpInput one = *in;

  one.list = FALSE;
  for (guint k = 0; words[k] != NULL; k++) {
    double i;
    if (!parse_choice (&one, g_strstrip (words[k]), &i, error))
      return FALSE;
    if (i >= 32) {
      g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "'%s': a list takes its first 32 words only",
                   words[k]);
      return FALSE;
    }
    bits |= 1u << (guint) i;
  }
  *value = bits;
  return TRUE;
}

static gboolean
parse_choice (const LpInput *in, const char *text, double *value, GError **error)
{
  g_autofree char *words = NULL;

  if (in->list)
    return parse_choice_list (in, text, value, error);
  for (guint i = 0; in->choices[i] != NULL; i++) {
    if (strcmp (text, in->choices[i]) == 0) {
      *value = i;
      return TRUE;
    }
  }
  words = choice_list (in);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected %s, got '%s'", words, text);
  return FALSE;
}

/* A percentage's or a number's bounds, and the hint for an SLA written as a fraction: 0.999
 * is 99.9% far more often than it is a 0.999% requirement. */
static gboolean
check_percent (const LpInput *in, const char *text, double v, GError **error)
{
  gboolean inside = in->open ? v > in->min && v < in->max : v >= in->min && v <= in->max;
  g_autofree char *bounds = in->open
                              ? g_strdup_printf ("above %s and below %s", in->min_text,
                                                 in->max_text)
                              : g_strdup_printf ("from %s to %s", in->min_text, in->max_text);
  g_autofree char *meant = NULL;

  if (!inside) {
    g_set_error (error, LP_ERROR, LP_ERROR_INPUT, "expected a %s %s, got '%s'",
                 in->type == LP_VALUE_PERCENT ? "percentage" : "number", bounds, text);
    return FALSE;
  }
  if (in->type != LP_VALUE_PERCENT || !in->open || in->min != 0 || v >= 1)
    return TRUE;
  meant = lp_format_decimal (v * 100, 6);
  g_set_error (error, LP_ERROR, LP_ERROR_INPUT,
               "expected a percentage %s, got '%s', which reads as a fraction (did you mean %s?)",
               bounds, text, meant);
  return FALSE;
}

gboolean
lp_input_parse (const LpInput *in, const char *text, double *value, GError **error)
{
  double v;

  if (in->none && strcmp (text, "none") == 0) {
    *value = INFINITY;
    return TRUE;
  }
  if (in->type == LP_VALUE_CHOICE)
    return parse_choice (in, text, value, error);
  if (!lp_ruleset_parse_value (in->type, text, &v, error))
    return FALSE;
  if (in->has_range && !check_percent (in, text, v, error))
    return FALSE;
  *value = v;
  return TRUE;
}

void
lp_input_append (GString *s, const LpInput *in, double value, gboolean shown)
{
  if (in->none && isinf (value))
    g_string_append (s, "none");
  else if (in->type == LP_VALUE_CHOICE && in->list) {
    const char *sep = "";
    for (guint i = 0; in->choices[i] != NULL; i++) {
      if (((guint32) value >> i) & 1u) {
        g_string_append_printf (s, "%s%s", sep, in->choices[i]);
        sep = ", ";
      }
    }
  } else if (in->type == LP_VALUE_CHOICE)
    g_string_append (s, in->choices[(guint) value]);
  else if (in->type == LP_VALUE_BOOL && shown)
    g_string_append (s, value != 0 ? "yes" : "no");
  else
    lp_ruleset_append_value (s, in->type, value);
}

const char *
lp_input_placeholder (const LpInput *in)
{
  return in->placeholder;
}

/* "DUR", "PCT", "NUM", none for a switch, "EDITION" for a choice. */
char *
lp_input_new_placeholder (const LpInput *in)
{
  switch (in->type) {
  case LP_VALUE_DURATION: return g_strdup ("DUR");
  case LP_VALUE_PERCENT: return g_strdup ("PCT");
  case LP_VALUE_NUMBER: return g_strdup ("NUM");
  case LP_VALUE_BOOL: return NULL;
  case LP_VALUE_CHOICE: return g_ascii_strup (in->key, -1);
  }
  g_assert_not_reached ();
}

char *
lp_input_format (const LpInput *in, double value, gboolean shown)
{
  GString *s = g_string_new (NULL);
  lp_input_append (s, in, value, shown);
  return g_string_free (s, FALSE);
}

const LpEdition *
lp_ruleset_find_edition (const LpRuleset *rs, const char *id)
{
  for (guint i = 0; i < rs->editions->len; i++) {
    const LpEdition *e = g_ptr_array_index (rs->editions, i);
    if (strcmp (e->id, id) == 0)
      return e;
  }
  return NULL;
}

const char **
lp_ruleset_constant_names (const LpRuleset *rs)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < rs->vars->len; i++) {
    const LpRuleVar *v = g_ptr_array_index (rs->vars, i);
    if (!v->is_input)
      g_ptr_array_add (names, v->name);
  }
  g_ptr_array_add (names, NULL);
  return (const char **) g_ptr_array_free (names, FALSE);
}
